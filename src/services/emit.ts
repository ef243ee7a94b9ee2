/**
 * The last step of every card: skip it when the clinician silenced it (override within the policy
 * period while the key — which carries the band — is unchanged, or an accepted suggestion), otherwise
 * store the result behind it and attach the SMART link whose appContext is only the opaque result id.
 * Used by the AF and kidney services (one card per call; the cardiovascular service does the same
 * steps for up to two cards with one suppression lookup, in its own service.ts).
 */
import { unreadableIn } from '../cards/resources.js';
import type { ProducedCard, ServiceContext } from '../cds/service.js';
import { makeCard, smartLink, type CardParts } from '../cards/build.js';
import { saveResult, RESULT_PAYLOAD_VERSION } from '../cards/result.js';
import type { ModelRun } from '../cards/run-model.js';
import { suppressionFor } from '../cards/suppression.js';
import type { ServiceDeps } from './deps.js';

export interface EmitBase {
  ctx: ServiceContext;
  deps: ServiceDeps;
  serviceId: string;
  patientRef: string;
}

export interface CardToEmit {
  /** Stable key carrying the band, e.g. `af-anticoagulation:band=recommended`. */
  key: string;
  band: string;
  parts: Omit<CardParts, 'links'>;
  runs: ModelRun[];
  findings?: unknown;
}

export async function emitCard(base: EmitBase, c: CardToEmit): Promise<ProducedCard | undefined> {
  const { ctx, deps } = base;
  const tenant = ctx.caller.tenant;
  const verdict = await suppressionFor(
    ctx.store,
    { patientRef: base.patientRef, serviceId: base.serviceId, ...(tenant === undefined ? {} : { tenant }) },
    ctx.now,
    deps.suppression,
  );
  const v = verdict(c.key);
  if (v.suppressed) {
    ctx.trace?.suppressed(c.key, v, { card: cardIdOf(c.key) });
    return undefined;
  }
  const resultId = await saveResult(
    ctx.store,
    {
      patientRef: base.patientRef,
      unreadable: unreadableIn(ctx.prefetch),
      payload: {
        version: RESULT_PAYLOAD_VERSION,
        serviceId: base.serviceId,
        card: { key: c.key, summary: c.parts.summary, indicator: c.parts.indicator, band: c.band },
        computedAt: ctx.now.toISOString(),
        runs: c.runs,
        ...(c.findings === undefined ? {} : { findings: c.findings }),
      },
    },
    ctx.now,
    deps.resultTtlMs,
  );
  const card = makeCard({ ...c.parts, links: [smartLink(deps.smartLaunchUrl, resultId)] });
  ctx.trace?.shown({ key: c.key, uuid: card.uuid, card: cardIdOf(c.key) });
  return {
    card,
    key: c.key,
    models: c.runs.map((r) => `${r.model.id}@${r.model.version}`),
    resultId,
  };
}

/** The card id a key starts with (`af-anticoagulation:band=recommended` → `af-anticoagulation`). */
const cardIdOf = (key: string): string => key.split(':')[0] ?? key;

/** "HAS-BLED — 1-year major-bleeding risk on anticoagulation v1.0.0 (Pisters 2010)". */
export function shortModelLine(run: ModelRun): string {
  const text = run.model.citations[0]?.text ?? '';
  const author = /^[A-Za-z'’-]+/.exec(text)?.[0];
  const year = /\b(?:19|20)\d{2}\b/.exec(text)?.[0];
  const ref = author === undefined || year === undefined ? '' : ` (${author} ${year})`;
  return `${run.model.name} v${run.model.version}${ref}`;
}

/**
 * `augur-cardiovascular-risk` (patient-view): resolved prefetch → PCE and PREVENT runs (with the
 * supporting LDL-C, statin and diabetes inputs) → assessment → cards, minus those a site switched
 * off or a clinician already overrode (same band) or accepted; each card shown stands on a stored
 * result that its smart link names by opaque id. The card data file is loaded and checked when the
 * service is built, so bad card data stops start-up.
 */
import type { CdsService, ServiceContext, ServiceResult, ProducedCard } from '../../cds/service.js';
import { makeCard, smartLink } from '../../cards/build.js';
import { patientData, unreadableIn } from '../../cards/resources.js';
import { saveResult, RESULT_PAYLOAD_VERSION, undatedDemographics } from '../../cards/result.js';
import { runModel, type ModelRun, type RunContext } from '../../cards/run-model.js';
import { suppressionFor } from '../../cards/suppression.js';
import { patientRef } from '../../audit/audit.js';
import { extractInputs } from '../../features/extract.js';
import type { FhirResource } from '../../features/types.js';
import type { ModelRegistry } from '../../models/types.js';
import type { ServiceDeps } from '../deps.js';
import type { TraceRecorder } from '../../trace/recorder.js';
import { assess, inPopulation, type Assessment, type Runs } from './assess.js';
import { loadCardiovascularCards, type CardiovascularCards } from './card-data.js';
import { planCards, type PlannedCard } from './cards.js';
import { cardiovascularPrefetch, CONDITIONS_KEY, LIPIDS_KEY, MEDICATIONS_KEY } from './prefetch.js';

export interface CardiovascularOptions {
  /** Another card data file (tests of start-up validation); default `cards/cardiovascular.json`. */
  file?: string;
}

export function cardiovascularService(deps: ServiceDeps, options: CardiovascularOptions = {}): CdsService {
  const cards = loadCardiovascularCards(deps.valueSets, options.file);
  return {
    definition: {
      id: cards.service.id,
      hook: 'patient-view',
      title: cards.service.title,
      description: cards.service.description,
      prefetch: cardiovascularPrefetch(deps.valueSets),
    },
    handle: (ctx) => handle(ctx, deps, cards),
  };
}

async function handle(
  ctx: ServiceContext,
  deps: ServiceDeps,
  cards: CardiovascularCards,
): Promise<ServiceResult> {
  const registry = deps.models();
  const data = patientData(ctx.prefetch);
  const unavailable = new Set(data.unavailable.map((u) => u.key));
  // Absence matters for conditions and medications, so a list cut short counts as unreadable; the
  // Observation searches are newest first, so a cut-short page still holds the latest results.
  const unreadable = new Set([...unavailable, ...data.incomplete]);
  // Known ASCVD cannot be ruled out without the whole Condition list: say nothing (card data rationale).
  if (unreadable.has(CONDITIONS_KEY)) {
    ctx.log.info({ component: 'cardiovascular', reason: 'conditions-unreadable' }, 'no cardiovascular cards');
    ctx.trace?.notNeeded(
      `the Condition list (${CONDITIONS_KEY}) could not be read whole: known ASCVD cannot be ruled out`,
    );
    return { cards: [] };
  }
  const runCtx: RunContext = { now: ctx.now, settings: deps.settings, valueSets: deps.valueSets };
  const runs = await modelRuns(registry, cards, data.resources, runCtx);
  if (!inPopulation(runs)) {
    for (const r of [runs.pce, ...runs.prevent.map((p) => p.run)]) ctx.trace?.model(r);
    ctx.trace?.notNeeded('out of population for every model'); // No card, nothing stored (rationale.scope).
    return { cards: [] };
  }

  const supporting = extractInputs(cards.supportingInputs, data.resources, runCtx).provenance;
  const assessment = assess(
    runs,
    supporting,
    { medicationsUnknown: unreadable.has(MEDICATIONS_KEY), lipidsUnknown: unavailable.has(LIPIDS_KEY) },
    cards,
  );
  if (ctx.trace !== undefined) traceAssessment(ctx.trace, assessment, cards, deps.disabledCards);
  const patientId = ctx.request.context.patientId;
  const planned = planCards(assessment, cards, { patientId, disabled: deps.disabledCards });
  if (planned.length === 0) return { cards: [] };

  const ref = patientRef(patientId);
  const verdict = await suppressionFor(
    ctx.store,
    {
      patientRef: ref,
      serviceId: cards.service.id,
      ...(ctx.caller.tenant === undefined ? {} : { tenant: ctx.caller.tenant }),
    },
    ctx.now,
    deps.suppression,
  );
  const produced: ProducedCard[] = [];
  for (const p of planned) {
    const v = verdict(p.key);
    if (v.suppressed) {
      ctx.trace?.suppressed(p.key, v, { card: p.id });
      continue;
    }
    const card = await produce(p, assessment, ref, ctx, deps, cards);
    ctx.trace?.shown({ key: p.key, uuid: card.card.uuid, card: p.id });
    produced.push(card);
  }
  return { cards: produced };
}

/**
 * The model runs with the band, and each card the assessment does not plan, with why (recorded only
 * when traced). Mirrors planCards' conditions in words; never feeds back into the decision.
 */
function traceAssessment(
  trace: TraceRecorder,
  a: Assessment,
  cards: CardiovascularCards,
  disabled: ReadonlySet<string>,
): void {
  trace.model(a.runs.pce, a.band?.id);
  for (const p of a.runs.prevent) trace.model(p.run);
  // LDL-C the lab did not report: calculated by Augur (Sampson/NIH) with its sources, or why not.
  const ldl = a.supporting['ldl_cholesterol_mg_dl'];
  if (ldl !== undefined && (ldl.flags.includes('derived') || ldl.value === null))
    trace.derivedInput('ldl_cholesterol_mg_dl', ldl);
  if (a.statin?.withheld === 'stale-lipids')
    trace.notNeeded('statin draft withheld: the lipid panel is stale or incomplete', 'cv-statin-suggestion');
  if (a.statin?.withheld === 'medications-unknown')
    trace.notNeeded('statin draft withheld: the medication list could not be read', 'cv-statin-suggestion');
  if (a.onStatin) trace.notNeeded('already on a statin: no statin draft', 'cv-statin-suggestion');
  if (a.statin === undefined && !a.onStatin)
    trace.notNeeded(
      'no statin rule of the card data matches (age, LDL-C, diabetes, band)',
      'cv-statin-suggestion',
    );
  for (const id of ['cv-risk', 'cv-statin-suggestion', 'cv-lipids-missing'])
    if (disabled.has(id)) trace.switchedOff(id);
  if (a.lipids.status === 'complete')
    trace.notNeeded('lipid panel complete and current', 'cv-lipids-missing');
  if (a.lipids.status === 'unknown')
    trace.notNeeded('the lipid search could not be read: absence proves nothing', 'cv-lipids-missing');
  if (!a.severeLdl && a.band === undefined) trace.notNeeded('no PCE estimate: no band to show', 'cv-risk');
  if (!a.severeLdl && a.band !== undefined && cards.pce.bandPolicy[a.band.id]?.show !== true)
    trace.notNeeded(`PCE band "${a.band.id}": the card data shows no card for this band`, 'cv-risk');
  if (!a.severeLdl && a.onStatin && !cards.pce.showWhenOnStatin)
    trace.notNeeded('on a statin: the card data shows no risk card', 'cv-risk');
}

async function modelRuns(
  registry: ModelRegistry,
  cards: CardiovascularCards,
  resources: readonly FhirResource[],
  ctx: RunContext,
): Promise<Runs> {
  const run = (id: string): Promise<ModelRun> => {
    const model = registry.get(id);
    if (model === undefined)
      throw new Error(`model "${id}" named in the cardiovascular card data is not loaded`);
    return runModel(model, resources, ctx);
  };
  const [pce, prevent] = await Promise.all([
    run(cards.pce.modelId),
    Promise.all(cards.prevent.runs.map((p) => run(p.modelId))),
  ]);
  return {
    pce,
    prevent: prevent.map((r, i) => ({ horizon: cards.prevent.runs[i]?.horizon ?? '', run: r })),
  };
}

/** Stores the result behind the card, then builds the wire card with a smart link to it. */
async function produce(
  p: PlannedCard,
  a: Assessment,
  ref: string,
  ctx: ServiceContext,
  deps: ServiceDeps,
  cards: CardiovascularCards,
): Promise<ProducedCard> {
  const resultId = await saveResult(
    ctx.store,
    {
      patientRef: ref,
      unreadable: unreadableIn(ctx.prefetch),
      payload: {
        version: RESULT_PAYLOAD_VERSION,
        serviceId: cards.service.id,
        card: {
          key: p.key,
          summary: p.parts.summary,
          indicator: p.parts.indicator,
          ...(p.band === undefined ? {} : { band: p.band }),
        },
        computedAt: ctx.now.toISOString(),
        runs: [a.runs.pce, ...a.runs.prevent.map((r) => r.run)],
        findings: {
          cardId: p.id,
          cardData: `${cards.id}@${cards.version}`,
          severeLdl: a.severeLdl,
          onStatin: a.onStatin,
          lipids: a.lipids,
          supportingInputs: undatedDemographics(a.supporting),
          ...(a.statin === undefined
            ? {}
            : {
                statin: {
                  rule: a.statin.rule.id,
                  intensity: a.statin.rule.intensity,
                  rxnorm: a.statin.draft.coding.code,
                  ...(a.statin.withheld === undefined ? {} : { withheld: a.statin.withheld }),
                },
              }),
        },
      },
    },
    ctx.now,
    deps.resultTtlMs,
  );
  const card = makeCard({ ...p.parts, links: [smartLink(deps.smartLaunchUrl, resultId)] });
  return { card, key: p.key, models: p.models, resultId };
}

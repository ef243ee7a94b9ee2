/**
 * Care gaps, derived from the cards the services would issue (never from a second copy of their
 * rules): a gap is a card id, optionally narrowed by what the service stored with the card (its
 * findings). One worklist row per patient per gap. The number is an output of the model the card
 * stands on; the drivers are that run's largest input contributions (names and signed size only).
 */
import type { ModelRun } from '../cards/run-model.js';
import type { ResultPayload } from '../cards/result.js';
import type { CareGap } from './types.js';
import { cardIdOf } from '../cards/card-id.js';

export interface GapDefinition {
  id: string;
  label: string;
  serviceId: string;
  /** Card ids that signal the gap. */
  cards: readonly string[];
  /** Model and output the worklist's number comes from (absent: no number, e.g. pharmacogenomics). */
  measure?: { model: string; output: string };
  /** Further condition on the stored result (e.g. no referral open). */
  when?: (payload: ResultPayload) => boolean;
}

const findings = (p: ResultPayload): Record<string, unknown> =>
  typeof p.findings === 'object' && p.findings !== null ? (p.findings as Record<string, unknown>) : {};

export const GAPS: readonly GapDefinition[] = [
  {
    id: 'cv-no-statin',
    label: 'Cardiovascular risk calling for a statin, none on file',
    serviceId: 'augur-cardiovascular-risk',
    cards: ['cv-statin-suggestion', 'cv-risk'],
    measure: { model: 'ascvd-pce-10y', output: 'risk_10y' },
    // A statin rule of the card data matched and the patient is on no statin (drafted, or withheld
    // because the lipids are stale: the gap is there either way).
    when: (p) => findings(p)['onStatin'] === false && findings(p)['statin'] !== undefined,
  },
  {
    id: 'cv-lipids-missing',
    label: 'Lipid panel missing or out of date for risk estimation',
    serviceId: 'augur-cardiovascular-risk',
    cards: ['cv-lipids-missing'],
  },
  {
    id: 'af-no-anticoagulant',
    label: 'Atrial fibrillation, CHA₂DS₂-VASc calls for anticoagulation, none on file',
    serviceId: 'augur-atrial-fibrillation',
    cards: ['af-anticoagulation'],
    measure: { model: 'cha2ds2-vasc', output: 'score' },
  },
  {
    id: 'ckd-no-referral',
    label: 'CKD with KFRE above the referral threshold, no nephrology referral open',
    serviceId: 'augur-kidney-risk',
    cards: ['kfre-risk'],
    measure: { model: 'kfre-4v', output: 'risk_5y' },
    when: (p) => {
      const orders = findings(p)['openOrders'] as { referral?: unknown } | undefined;
      return orders?.referral === undefined;
    },
  },
  {
    id: 'ckd-acr-missing',
    label: 'CKD G3–G5 without a urine albumin/creatinine ratio',
    serviceId: 'augur-kidney-risk',
    cards: ['kfre-acr-missing'],
  },
  {
    id: 'pgx-interacting-drug',
    label: 'Actionable genotype with an interacting drug active',
    serviceId: 'augur-pgx-patient-view',
    cards: ['pgx'],
  },
];

const flagged = (runs: readonly ModelRun[], flag: 'missing' | 'stale'): string[] => [
  ...new Set(
    runs.flatMap((r) =>
      r.status === 'not-applicable'
        ? []
        : [
            ...Object.entries(r.inputs).flatMap(([name, p]) => (p.flags.includes(flag) ? [name] : [])),
            ...(flag === 'missing' && r.status === 'insufficient-data' ? r.missing : []),
          ],
    ),
  ),
];

/** Top inputs by the size of their contribution to `output`, e.g. `sbp_mm_hg +6.1`. */
export function drivers(run: ModelRun, output: string, top = 3): string[] {
  if (run.status !== 'ok') return [];
  const size = (c: (typeof run.explanation.contributions)[number]): number =>
    c.probabilityPoints?.[output] ?? c.outputUnits?.[output] ?? c.contribution[output] ?? 0;
  return [...run.explanation.contributions]
    .filter((c) => size(c) !== 0)
    .sort((a, b) => Math.abs(size(b)) - Math.abs(size(a)))
    .slice(0, top)
    .map((c) => `${c.input} ${size(c) > 0 ? '+' : ''}${size(c).toFixed(1)}`);
}

/** Gene–drug findings of a PGx card: `clopidogrel: CYP2C19 Poor Metabolizer`. */
function pgxDrivers(p: ResultPayload): string[] {
  if (!Array.isArray(p.findings)) return [];
  return (p.findings as { drug: string; genes: { gene: string; phenotype?: string }[] }[]).map(
    (f) => `${f.drug}: ${f.genes.map((g) => `${g.gene} ${g.phenotype ?? 'unknown'}`).join(', ')}`,
  );
}

/** The gaps one stored card result signals (usually none or one). */
export function gapsOf(patientId: string, payload: ResultPayload): CareGap[] {
  const card = payload.card;
  if (card === undefined) return [];
  const id = cardIdOf(card.key, payload.findings);
  return GAPS.filter(
    (g) => g.serviceId === payload.serviceId && g.cards.includes(id) && (g.when?.(payload) ?? true),
  ).map((g) => {
    const run =
      g.measure === undefined ? undefined : payload.runs.find((r) => r.model.id === g.measure?.model);
    const value = run?.status === 'ok' && g.measure !== undefined ? run.outputs[g.measure.output] : undefined;
    return {
      patientId,
      gap: g.id,
      label: g.label,
      serviceId: payload.serviceId,
      card: id,
      ...(card.band === undefined ? {} : { band: card.band }),
      indicator: card.indicator,
      ...(run === undefined ? {} : { model: `${run.model.id}@${run.model.version}` }),
      ...(g.measure === undefined ? {} : { measure: g.measure.output }),
      ...(value === undefined ? {} : { value }),
      drivers:
        run !== undefined && g.measure !== undefined ? drivers(run, g.measure.output) : pgxDrivers(payload),
      missing: flagged(payload.runs, 'missing'),
      stale: flagged(payload.runs, 'stale'),
      summary: card.summary,
      computedAt: payload.computedAt,
    };
  });
}

/** One row per patient per gap: the first card signalling a gap gives its row. */
export function uniqueGaps(gaps: readonly CareGap[]): CareGap[] {
  const seen = new Set<string>();
  return gaps.filter((g) => (seen.has(g.gap) ? false : (seen.add(g.gap), true)));
}

export { flagged as flaggedInputs };

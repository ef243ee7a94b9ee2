/**
 * The clinical decision, pure: model runs + supporting inputs + what data could be read → which band,
 * whether the severe-LDL pathway applies, which statin rule (if any) the guideline supports, and the
 * state of the lipid panel. Every threshold and rule comes from the card data.
 */
import type { Band } from '../../cards/data.js';
import { bandFor } from '../../cards/data.js';
import type { ModelRun } from '../../cards/run-model.js';
import type { InputProvenance } from '../../features/types.js';
import type { CardiovascularCards, StatinDraft, StatinRule } from './card-data.js';

export interface PreventRun {
  horizon: string;
  run: ModelRun;
}

export interface Runs {
  pce: ModelRun;
  prevent: PreventRun[];
}

export interface DataState {
  /** The medication list could not be read (or was cut short): statin use unknown. */
  medicationsUnknown: boolean;
  /** The lipid search could not be read: absence of lipids proves nothing. */
  lipidsUnknown: boolean;
}

export type LipidStatus =
  | { status: 'complete' }
  | { status: 'unknown' }
  | { status: 'missing'; missing: string[] }
  | { status: 'stale'; stale: { name: string; p: InputProvenance }[]; lastDate: string };

export interface StatinPlan {
  rule: StatinRule;
  draft: StatinDraft;
  /** Why the draft is not offered although the rule matches. */
  withheld?: 'stale-lipids' | 'medications-unknown';
}

export interface Assessment {
  runs: Runs;
  supporting: Record<string, InputProvenance>;
  severeLdl: boolean;
  band?: Band;
  pceRisk?: number;
  onStatin: boolean;
  statin?: StatinPlan;
  lipids: LipidStatus;
}

const num = (p: InputProvenance | undefined): number | undefined =>
  typeof p?.value === 'number' ? p.value : undefined;

/** True when the patient is in at least one model's population (before the severe-LDL override). */
export const inPopulation = (runs: Runs): boolean =>
  [runs.pce, ...runs.prevent.map((p) => p.run)].some((r) => r.status !== 'not-applicable');

/** The severe-LDL pathway takes the patient out of risk estimation: the PCE run says so instead. */
export function withSevereLdl(pce: ModelRun, cards: CardiovascularCards, ldl?: InputProvenance): ModelRun {
  if (pce.status === 'not-applicable' || (num(ldl) ?? 0) < cards.severeLdl.minMgDl) return pce;
  return {
    status: 'not-applicable',
    model: pce.model,
    reason: cards.severeLdl.notApplicableReason,
    ...(ldl?.source === undefined ? {} : { source: ldl.source }),
  };
}

/** `runs` as the models returned them; the assessment's runs carry the severe-LDL override. */
export function assess(
  runs: Runs,
  supporting: Record<string, InputProvenance>,
  data: DataState,
  cards: CardiovascularCards,
): Assessment {
  const ldl = num(supporting['ldl_cholesterol_mg_dl']);
  const severeLdl = ldl !== undefined && ldl >= cards.severeLdl.minMgDl;
  const pce = runs.pce;
  const pceRisk = !severeLdl && pce.status === 'ok' ? pce.outputs[cards.pce.output] : undefined;
  const band = pceRisk === undefined ? undefined : bandFor(cards.pce.bands, pceRisk);
  const onStatin = supporting['on_statin']?.value === true;
  const lipids = lipidStatus(runs, supporting, data, cards);
  const statin = onStatin ? undefined : statinPlan(supporting, band, lipids, data, cards);
  return {
    runs: { ...runs, pce: withSevereLdl(pce, cards, supporting['ldl_cholesterol_mg_dl']) },
    supporting,
    severeLdl,
    ...(band === undefined ? {} : { band }),
    ...(pceRisk === undefined ? {} : { pceRisk }),
    onStatin,
    ...(statin === undefined ? {} : { statin }),
    lipids,
  };
}

/** The first statin rule whose conditions hold (age, LDL-C, diabetes, PCE band), if any. */
export function matchRule(
  rules: readonly StatinRule[],
  facts: { age?: number | undefined; ldl?: number | undefined; diabetes: boolean; band?: string | undefined },
): StatinRule | undefined {
  return rules.find(({ when: w }) => {
    if ((w.ageMin !== undefined || w.ageMax !== undefined) && facts.age === undefined) return false;
    const age = facts.age ?? 0;
    if (w.ageMin !== undefined && age < w.ageMin) return false;
    if (w.ageMax !== undefined && age > w.ageMax) return false;
    if ((w.ldlMin !== undefined || w.ldlBelow !== undefined) && facts.ldl === undefined) return false;
    const ldl = facts.ldl ?? 0;
    if (w.ldlMin !== undefined && ldl < w.ldlMin) return false;
    if (w.ldlBelow !== undefined && ldl >= w.ldlBelow) return false;
    if (w.diabetes !== undefined && w.diabetes !== facts.diabetes) return false;
    if (w.pceBands !== undefined && (facts.band === undefined || !w.pceBands.includes(facts.band)))
      return false;
    return true;
  });
}

function statinPlan(
  supporting: Record<string, InputProvenance>,
  band: Band | undefined,
  lipids: LipidStatus,
  data: DataState,
  cards: CardiovascularCards,
): StatinPlan | undefined {
  const rule = matchRule(cards.statin.rules, {
    age: num(supporting['age_years']),
    ldl: num(supporting['ldl_cholesterol_mg_dl']),
    diabetes: supporting['diabetes']?.value === true,
    band: band?.id,
  });
  if (rule === undefined) return undefined;
  const draft = cards.statin.medications[rule.intensity];
  if (data.medicationsUnknown) return { rule, draft, withheld: 'medications-unknown' };
  if (cards.statin.requireFreshLipids && lipids.status !== 'complete')
    return { rule, draft, withheld: 'stale-lipids' };
  return { rule, draft };
}

/** Missing beats stale: a panel with a missing member is ordered as missing. */
function lipidStatus(
  runs: Runs,
  supporting: Record<string, InputProvenance>,
  data: DataState,
  cards: CardiovascularCards,
): LipidStatus {
  if (data.lipidsUnknown) return { status: 'unknown' };
  const inputs = lipidInputs(runs, supporting);
  const named = cards.lipids.inputs.map((name) => ({ name, p: inputs[name] }));
  const missing = named.filter(({ p }) => p === undefined || p.value === null).map(({ name }) => name);
  if (missing.length > 0) return { status: 'missing', missing };
  const present = named.flatMap(({ name, p }) => (p === undefined ? [] : [{ name, p }]));
  const stale = present.filter(({ p }) => p.flags.includes('stale'));
  if (stale.length === 0) return { status: 'complete' };
  const lastDate = present
    .map(({ p }) => p.date?.slice(0, 10) ?? '')
    .sort()
    .at(-1);
  return { status: 'stale', stale, lastDate: lastDate ?? '' };
}

/** Lipid provenance from the first run that extracted inputs, plus the supporting LDL-C. */
function lipidInputs(
  runs: Runs,
  supporting: Record<string, InputProvenance>,
): Record<string, InputProvenance> {
  const withInputs = [runs.pce, ...runs.prevent.map((p) => p.run)].find(
    (r): r is Extract<ModelRun, { inputs: unknown }> => r.status !== 'not-applicable',
  );
  return { ...(withInputs?.inputs ?? {}), ...supporting };
}

/**
 * The apixaban dose for stroke prevention in AF, or why none is suggested. The label's rule (ELIQUIS
 * §2.2): 2.5 mg twice daily with at least two of age ≥ 80, weight ≤ 60 kg, creatinine ≥ 1.5 mg/dL,
 * else 5 mg. A dose is suggested only when the known criteria settle it: when a missing weight or
 * creatinine could change the answer, the suggestion is "review" without a dose — never a guessed dose.
 * Thresholds and inputs are card data (cards/atrial-fibrillation.json). Pure.
 */
import { activeConditionsIn } from '../../features/conditions.js';
import { extractInputs } from '../../features/extract.js';
import type { ExtractContext, FhirResource, InputProvenance } from '../../features/types.js';
import { referenceOf } from '../../features/types.js';
import { getValueSet } from '../../features/valuesets.js';
import { describeInput } from '../../cards/build.js';
import type { AfCards } from './data.js';

export interface DoseCriterion {
  label: string;
  /** undefined: not known (missing, or older than the lookback). */
  met: boolean | undefined;
  shown: string;
}

export type DoseDecision =
  | { kind: 'dose'; dose: 'standard' | 'reduced'; criteria: DoseCriterion[] }
  | { kind: 'review'; why: string; criteria: DoseCriterion[] }
  /** A condition where a DOAC dose is not Augur's to suggest (valve disease, dialysis, transplant). */
  | { kind: 'none'; why: string };

type Rule = AfCards['apixaban'];

function criterion(
  label: string,
  p: InputProvenance | undefined,
  test: (v: number) => boolean,
): DoseCriterion {
  const v = p?.value;
  if (p === undefined || typeof v !== 'number') return { label, met: undefined, shown: 'not on file' };
  const stale = p.flags.includes('stale') ? ', stale' : '';
  return { label, met: test(v), shown: `${describeInput(p)}${stale}` };
}

export function apixabanDose(
  rule: Rule,
  ageYears: number,
  resources: readonly FhirResource[],
  ctx: ExtractContext,
): DoseDecision {
  for (const id of rule.noDose.conditionValueSets) {
    const c = activeConditionsIn(resources, getValueSet(ctx.valueSets, id))[0];
    if (c !== undefined) {
      const shown = c.code?.text ?? c.code?.coding?.[0]?.display ?? c.code?.coding?.[0]?.code ?? id;
      return { kind: 'none', why: `${shown} (${referenceOf(c) ?? 'Condition'})` };
    }
  }
  const { provenance } = extractInputs(rule.doseInputs, resources, ctx);
  const r = rule.reduction;
  const criteria: DoseCriterion[] = [
    {
      label: `Age ≥ ${String(r.ageYearsAtLeast)}`,
      met: ageYears >= r.ageYearsAtLeast,
      shown: `${String(ageYears)} y`,
    },
    criterion(
      `Weight ≤ ${String(r.weightKgAtMost)} kg`,
      provenance['weight_kg'],
      (v) => v <= r.weightKgAtMost,
    ),
    criterion(
      `Creatinine ≥ ${String(r.creatinineMgDlAtLeast)} mg/dL`,
      provenance['creatinine_mg_dl'],
      (v) => v >= r.creatinineMgDlAtLeast,
    ),
  ];
  const creatinine = provenance['creatinine_mg_dl']?.value;
  if (typeof creatinine === 'number' && creatinine > rule.noDose.creatinineMgDlAbove)
    return {
      kind: 'review',
      why: `creatinine ${describeInput(provenance['creatinine_mg_dl'] ?? { value: creatinine, flags: [] })} is above ${String(rule.noDose.creatinineMgDlAbove)} mg/dL: check creatinine clearance`,
      criteria,
    };
  const met = criteria.filter((c) => c.met === true).length;
  const unknown = criteria.filter((c) => c.met === undefined);
  if (met >= r.criteriaNeeded) return { kind: 'dose', dose: 'reduced', criteria };
  if (met + unknown.length < r.criteriaNeeded) return { kind: 'dose', dose: 'standard', criteria };
  return {
    kind: 'review',
    why: `${unknown.map((c) => c.label.split(' ')[0]?.toLowerCase() ?? '').join(' and ')} not on file, and ${unknown.length > 1 ? 'they decide' : 'it decides'} the dose`,
    criteria,
  };
}

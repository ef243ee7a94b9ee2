/**
 * The service's prefetch templates (CDS Hooks 2.0: `{{context.patientId}}`, token search with
 * comma-OR codes, `_sort=-date`, `_count`). Observation codes come from models/valuesets.json, so the
 * templates ask for exactly the codes the models read. Newest first and capped: the models use the
 * latest result in each window, so a cut-short Observation page loses only older results. Conditions
 * and medications gather every page: "no ASCVD" and "no statin" are conclusions from absence.
 */
import type { PrefetchDeclaration } from '../../cds/service.js';
import { getValueSet, type ValueSetIndex } from '../../features/valuesets.js';

/** Observation groups: prefetch key → value sets whose codes it asks for, and how many results. */
const OBSERVATION_KEYS: Readonly<Record<string, { valueSets: readonly string[]; count: number }>> = {
  lipids: {
    // Triglycerides: the third input of the Sampson/NIH LDL-C calculation when the lab reported no LDL-C.
    valueSets: [
      'loinc-total-cholesterol',
      'loinc-hdl-cholesterol',
      'loinc-ldl-cholesterol',
      'loinc-triglycerides',
    ],
    count: 40,
  },
  bloodPressure: { valueSets: ['loinc-bp-panel', 'loinc-systolic-bp'], count: 10 },
  smoking: { valueSets: ['loinc-smoking-status'], count: 5 },
  bodySize: { valueSets: ['loinc-bmi', 'loinc-body-height', 'loinc-body-weight'], count: 15 },
  kidneyAndGlycaemia: {
    valueSets: ['loinc-egfr', 'loinc-creatinine', 'loinc-uacr', 'loinc-hba1c'],
    count: 40,
  },
};

/** The prefetch key whose unavailability means "lipid absence proves nothing". */
export const LIPIDS_KEY = 'lipids';
export const CONDITIONS_KEY = 'conditions';
export const MEDICATIONS_KEY = 'medications';

/** `system|code` tokens of the value sets, comma-OR'd, in file order without repeats. */
function codeTokens(valueSets: ValueSetIndex, ids: readonly string[]): string {
  const tokens = new Set(ids.flatMap((id) => [...getValueSet(valueSets, id).codes]));
  return [...tokens].join(',');
}

export function cardiovascularPrefetch(valueSets: ValueSetIndex): Record<string, PrefetchDeclaration> {
  const observations = Object.fromEntries(
    Object.entries(OBSERVATION_KEYS).map(([key, g]) => [
      key,
      {
        query: `Observation?patient={{context.patientId}}&code=${codeTokens(valueSets, g.valueSets)}&_sort=-date&_count=${String(g.count)}`,
        required: false,
        onMissing: 'omit',
      } satisfies PrefetchDeclaration,
    ]),
  );
  return {
    patient: { query: 'Patient/{{context.patientId}}', required: true, onMissing: 'fail' },
    ...observations,
    // Every Condition, not only active ones: prior stroke, prior MI and past dialysis count as history.
    [CONDITIONS_KEY]: {
      query: 'Condition?patient={{context.patientId}}',
      required: false,
      onMissing: 'omit',
      allPages: true,
    },
    [MEDICATIONS_KEY]: {
      query: 'MedicationRequest?patient={{context.patientId}}&status=active',
      required: false,
      onMissing: 'omit',
      allPages: true,
    },
  };
}

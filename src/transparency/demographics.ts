/**
 * Which of the HTI-1 demographic and social variables ((b)(11)(iv)(A)(5)–(13)) a model uses as inputs,
 * read from its input contract's Patient bindings — the contract Augur enforces, so the statement
 * cannot drift from what the model is actually fed.
 */
import type { InputSpec } from '../models/manifest.js';

const VARIABLES = [
  'race',
  'ethnicity',
  'language',
  'sexual orientation',
  'gender identity',
  'sex',
  'date of birth',
  'social determinants of health data',
  'health status assessments data',
] as const;
type Variable = (typeof VARIABLES)[number];

/** Evidence-based attribute id → the one variable it asks about. */
export const DEMOGRAPHIC_OF: Readonly<Record<string, Variable | undefined>> = Object.fromEntries(
  VARIABLES.map((v, i) => [`(A)(${String(i + 5)})`, v]),
);

/** Patient binding field → the variable and how it is read. */
const BOUND: Readonly<Record<string, { variable: Variable; how: string }>> = {
  race: { variable: 'race', how: 'US Core race extension' },
  sex: { variable: 'sex', how: 'Patient.gender' },
  'age-years': { variable: 'date of birth', how: 'age in years computed from Patient.birthDate' },
};

function uses(inputs: readonly InputSpec[]): Map<Variable, string[]> {
  const used = new Map<Variable, string[]>();
  for (const i of inputs) {
    if (i.fhir.source !== 'patient') continue;
    const b = BOUND[i.fhir.field];
    if (b === undefined) continue;
    used.set(b.variable, [...(used.get(b.variable) ?? []), `input "${i.name}" (${b.how})`]);
  }
  return used;
}

/**
 * One variable ("Used: input "sex" (Patient.gender)" / "Not used …"), or all nine when `only` is
 * undefined. Derived from the Patient bindings; other inputs are clinical measurements and conditions.
 */
export function demographicUse(inputs: readonly InputSpec[], only?: Variable): string {
  const used = uses(inputs);
  const one = (v: Variable): string => {
    const how = used.get(v);
    return how === undefined ? `${v}: not used` : `${v}: used — ${how.join(', ')}`;
  };
  if (only !== undefined) return `${one(only)} (from the input contract's Patient bindings).`;
  return `${VARIABLES.map(one).join('; ')} (from the input contract's Patient bindings; the other inputs are clinical measurements, conditions and medications).`;
}

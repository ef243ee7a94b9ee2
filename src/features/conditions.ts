/** Conditions: true when an active, not-refuted Condition is coded in the value set. */
import type { Condition } from 'fhir/r4.js';
import type { FhirResource, Resolved } from './types.js';
import { referenceOf, resolved } from './types.js';
import type { CompiledValueSet } from './valuesets.js';
import { conceptInValueSet } from './valuesets.js';

/** condition-clinical (FHIR R4): these mean the condition is present now. */
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
/** condition-ver-status (FHIR R4): these mean it is not (or was never) the patient's condition. */
const EXCLUDED_VERIFICATION = new Set(['refuted', 'entered-in-error']);

const codeOf = (cc: Condition['clinicalStatus']): string | undefined => cc?.coding?.[0]?.code;

export function isActiveCondition(c: Condition): boolean {
  const clinical = codeOf(c.clinicalStatus);
  const verification = codeOf(c.verificationStatus);
  return clinical !== undefined && ACTIVE.has(clinical) && !EXCLUDED_VERIFICATION.has(verification ?? '');
}

/** Any clinical status (or none), as long as it was not refuted or entered in error: the patient's history. */
export function isHistoricalCondition(c: Condition): boolean {
  return !EXCLUDED_VERIFICATION.has(codeOf(c.verificationStatus) ?? '');
}

export function activeConditionsIn(resources: readonly FhirResource[], vs: CompiledValueSet): Condition[] {
  return conditionsIn(resources, vs, false);
}

/** Conditions in the value set: active ones, or (history) every one that was not refuted; active first. */
export function conditionsIn(
  resources: readonly FhirResource[],
  vs: CompiledValueSet,
  history: boolean,
): Condition[] {
  const matching = resources
    .filter((r): r is Condition => r.resourceType === 'Condition')
    .filter(
      (c) => (history ? isHistoricalCondition(c) : isActiveCondition(c)) && conceptInValueSet(c.code, vs),
    );
  return history
    ? [...matching.filter(isActiveCondition), ...matching.filter((c) => !isActiveCondition(c))]
    : matching;
}

export function resolveCondition(
  resources: readonly FhirResource[],
  vs: CompiledValueSet,
  history = false,
): Resolved {
  const found = conditionsIn(resources, vs, history);
  const first = found[0];
  if (first === undefined)
    return resolved(false, { notes: [`no ${history ? '' : 'active '}Condition in ${vs.id}`] });
  const date = first.onsetDateTime ?? first.onsetPeriod?.start ?? first.recordedDate;
  const source = referenceOf(first);
  const shown =
    first.code?.text ?? first.code?.coding?.[0]?.display ?? first.code?.coding?.[0]?.code ?? vs.id;
  const past =
    history && !isActiveCondition(first)
      ? ` (history: ${codeOf(first.clinicalStatus) ?? 'no clinical status'})`
      : '';
  return resolved(true, {
    ...(date === undefined ? {} : { date }),
    ...(source === undefined ? {} : { source }),
    notes: [`${shown}${past}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}`],
  });
}

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

export function activeConditionsIn(resources: readonly FhirResource[], vs: CompiledValueSet): Condition[] {
  return resources
    .filter((r): r is Condition => r.resourceType === 'Condition')
    .filter((c) => isActiveCondition(c) && conceptInValueSet(c.code, vs));
}

export function resolveCondition(resources: readonly FhirResource[], vs: CompiledValueSet): Resolved {
  const found = activeConditionsIn(resources, vs);
  const first = found[0];
  if (first === undefined) return resolved(false, { notes: [`no active Condition in ${vs.id}`] });
  const date = first.onsetDateTime ?? first.onsetPeriod?.start ?? first.recordedDate;
  const source = referenceOf(first);
  const shown =
    first.code?.text ?? first.code?.coding?.[0]?.display ?? first.code?.coding?.[0]?.code ?? vs.id;
  return resolved(true, {
    ...(date === undefined ? {} : { date }),
    ...(source === undefined ? {} : { source }),
    notes: [found.length > 1 ? `${shown} (and ${found.length - 1} more)` : shown],
  });
}

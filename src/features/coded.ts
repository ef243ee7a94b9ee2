/** Coded observations (e.g. smoking status 72166-2) mapped to an input value through answer value sets. */
import type { CodedObservationBinding } from './binding.js';
import { datedObservations, inWindow, withSource } from './observations.js';
import type { FhirResource, Flag, InputValue, Resolved } from './types.js';
import { referenceOf, resolved } from './types.js';
import type { ValueSetIndex } from './valuesets.js';
import { conceptInValueSet, getValueSet } from './valuesets.js';

export function resolveCoded(
  b: CodedObservationBinding,
  resources: readonly FhirResource[],
  now: Date,
  index: ValueSetIndex,
): Resolved {
  const question = getValueSet(index, b.valueSet);
  const answers = Object.entries(b.answers).map(([id, value]) => ({ vs: getValueSet(index, id), value }));
  const all = datedObservations(resources, now, (o) =>
    conceptInValueSet(o.code, question) && o.valueCodeableConcept !== undefined
      ? o.valueCodeableConcept
      : undefined,
  );
  const { within, notes } = inWindow(all, b);
  const skipped: string[] = [];
  for (const d of within) {
    const hit = answers.find((a) => conceptInValueSet(d.item, a.vs));
    if (hit === undefined) {
      const shown = d.item.text ?? d.item.coding?.map((c) => c.display ?? c.code).join(', ') ?? 'no code';
      skipped.push(
        `${referenceOf(d.observation) ?? 'Observation'} (${d.dateText}): answer "${shown}" not mapped`,
      );
      continue;
    }
    return withSource(answered(hit.value, d.ageDays, b.staleAfterDays, skipped), d);
  }
  const flags: Flag[] = skipped.length > 0 ? ['uninterpretable'] : [];
  return resolved(null, { flags, notes: [...notes, ...skipped] });
}

function answered(value: InputValue, ageDays: number, staleAfterDays: number, skipped: string[]): Resolved {
  const flags: Flag[] = skipped.length > 0 ? ['uninterpretable'] : [];
  const notes = [...skipped];
  if (ageDays > staleAfterDays) {
    flags.push('stale');
    notes.push(`recorded ${Math.floor(ageDays)} days ago (stale after ${staleAfterDays})`);
  }
  return resolved(value, { flags, notes });
}

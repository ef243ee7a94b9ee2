/**
 * Medication classes: true when an active MedicationRequest or MedicationStatement names a drug in
 * the class's value set, by RxNorm code (ingredient, or SCD/SBD via the ingredient map), else by the
 * ingredient name in its display text (flagged `matched-by-text`).
 */
import type { CodeableConcept, Medication, MedicationRequest, MedicationStatement } from 'fhir/r4.js';
import type { FhirResource, Resolved } from './types.js';
import { referenceOf, resolved } from './types.js';
import type { CompiledValueSet } from './valuesets.js';
import { conceptInValueSet, nameInText } from './valuesets.js';

type MedicationUse = MedicationRequest | MedicationStatement;

/** Only these statuses mean the patient is on the drug now (FHIR R4 medicationrequest/statement status). */
const ACTIVE = new Set(['active']);

function isActiveUse(r: FhirResource): r is MedicationUse {
  return (
    (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') &&
    ACTIVE.has(r.status)
  );
}

/** The drug concepts of an order: its code, or the referenced (contained or bundled) Medication's code and ingredients. */
export function conceptsOf(use: MedicationUse, resources: readonly FhirResource[] = []): CodeableConcept[] {
  if (use.medicationCodeableConcept !== undefined) return [use.medicationCodeableConcept];
  const ref = use.medicationReference?.reference;
  if (ref === undefined) return [];
  const med = ref.startsWith('#')
    ? use.contained?.find((c): c is Medication => c.resourceType === 'Medication' && c.id === ref.slice(1))
    : resources.find(
        (r): r is Medication => r.resourceType === 'Medication' && `Medication/${r.id ?? ''}` === ref,
      );
  if (med === undefined) return [];
  const ingredients = (med.ingredient ?? []).flatMap((i) =>
    i.itemCodeableConcept === undefined ? [] : [i.itemCodeableConcept],
  );
  return [...(med.code === undefined ? [] : [med.code]), ...ingredients];
}

const dateOf = (use: MedicationUse): string | undefined =>
  use.resourceType === 'MedicationRequest'
    ? use.authoredOn
    : (use.effectiveDateTime ?? use.effectivePeriod?.start ?? use.dateAsserted);

const textsOf = (c: CodeableConcept): string[] => [
  ...(c.text === undefined ? [] : [c.text]),
  ...(c.coding ?? []).flatMap((x) => (x.display === undefined ? [] : [x.display])),
];

export function resolveMedicationClass(resources: readonly FhirResource[], vs: CompiledValueSet): Resolved {
  const uses = resources.filter(isActiveUse).map((u) => ({ u, concepts: conceptsOf(u, resources) }));
  const coded = uses.find(({ concepts }) => concepts.some((c) => conceptInValueSet(c, vs)));
  if (coded !== undefined) return onDrug(coded.u, describe(coded.concepts), false);
  for (const { u, concepts } of uses) {
    const text = concepts.flatMap(textsOf).find((t) => nameInText(t, vs) !== undefined);
    if (text !== undefined) return onDrug(u, `"${text}" matched ${nameInText(text, vs) ?? ''} by name`, true);
  }
  return resolved(false, { notes: [`no active medication in ${vs.id}`] });
}

const describe = (concepts: CodeableConcept[]): string =>
  concepts.flatMap(textsOf)[0] ?? concepts[0]?.coding?.[0]?.code ?? 'medication';

function onDrug(use: MedicationUse, note: string, byText: boolean): Resolved {
  const date = dateOf(use);
  const source = referenceOf(use);
  return resolved(true, {
    ...(date === undefined ? {} : { date }),
    ...(source === undefined ? {} : { source }),
    flags: byText ? ['matched-by-text'] : [],
    notes: [note],
  });
}

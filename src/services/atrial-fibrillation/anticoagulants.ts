/**
 * Is the patient on an oral anticoagulant? An active or on-hold MedicationRequest/MedicationStatement
 * whose drug is in the anticoagulant value set: by RxNorm code (ingredient, or SCD/SBD through the
 * ingredient map), else by ingredient name in the drug's text or in the medication reference's display
 * (flagged as matched by text). Orders whose drug cannot be read at all are reported, so a card can say
 * "no anticoagulant on file" honestly. Pure.
 */
import type { CodeableConcept, MedicationRequest, MedicationStatement } from 'fhir/r4.js';
import { conceptsOf } from '../../features/medications.js';
import { referenceOf, type FhirResource } from '../../features/types.js';
import { conceptInValueSet, nameInText, type CompiledValueSet } from '../../features/valuesets.js';

type MedicationUse = MedicationRequest | MedicationStatement;

/** On-hold counts: an anticoagulant paused for a procedure is still this patient's anticoagulant. */
const CURRENT = new Set(['active', 'on-hold']);

export interface AnticoagulantFound {
  /** The drug as written in the record, e.g. "apixaban 5 MG Oral Tablet". */
  name: string;
  source?: string;
  date?: string;
  byText: boolean;
}

export interface AnticoagulantCheck {
  found: AnticoagulantFound[];
  /** Current orders whose drug could not be identified (a reference to a Medication not in the data). */
  unidentified: string[];
}

const isCurrentUse = (r: FhirResource): r is MedicationUse =>
  (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') &&
  CURRENT.has(r.status);

/** The drug concepts (features' conceptsOf), plus the medication reference's display as text. */
function conceptsWithDisplay(use: MedicationUse, resources: readonly FhirResource[]): CodeableConcept[] {
  const display = use.medicationReference?.display;
  return [
    ...conceptsOf(use, resources),
    ...(use.medicationCodeableConcept !== undefined || display === undefined ? [] : [{ text: display }]),
  ];
}

const textsOf = (c: CodeableConcept): string[] => [
  ...(c.text === undefined ? [] : [c.text]),
  ...(c.coding ?? []).flatMap((x) => (x.display === undefined ? [] : [x.display])),
];

const dateOf = (use: MedicationUse): string | undefined =>
  use.resourceType === 'MedicationRequest'
    ? use.authoredOn
    : (use.effectiveDateTime ?? use.effectivePeriod?.start ?? use.dateAsserted);

export function findAnticoagulants(
  resources: readonly FhirResource[],
  vs: CompiledValueSet,
): AnticoagulantCheck {
  const check: AnticoagulantCheck = { found: [], unidentified: [] };
  for (const use of resources.filter(isCurrentUse)) {
    const concepts = conceptsWithDisplay(use, resources);
    const texts = concepts.flatMap(textsOf);
    const coded = concepts.some((c) => conceptInValueSet(c, vs));
    const byText = !coded && texts.some((t) => nameInText(t, vs) !== undefined);
    const source = referenceOf(use);
    if (coded || byText) {
      const date = dateOf(use);
      check.found.push({
        name: texts[0] ?? concepts[0]?.coding?.[0]?.code ?? 'anticoagulant',
        byText,
        ...(source === undefined ? {} : { source }),
        ...(date === undefined ? {} : { date }),
      });
    } else if (concepts.length === 0 && source !== undefined) {
      check.unidentified.push(source);
    }
  }
  return check;
}

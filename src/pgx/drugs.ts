/**
 * Which covered drug an order is for: by RxNorm code (ingredient, or clinical / branded drug via the
 * SCD/SBD → ingredient map in cards/pgx/drugs.json), else by the ingredient name in the display text
 * (flagged `byText`, so the card can say it matched by name).
 */
import { conceptsOf } from '../features/medications.js';
import type { CodeableConcept, FhirResource, MedicationRequest, MedicationStatement } from 'fhir/r4.js';
import { normalizeSystem, SYSTEMS } from '../features/systems.js';
import type { PgxTables } from './tables.js';

export interface DrugMatch {
  drug: string;
  byText: boolean;
  /** What the order said, for the card: its display text or code. */
  ordered: string;
}

type MedicationUse = MedicationRequest | MedicationStatement;

export { conceptsOf };

const texts = (c: CodeableConcept): string[] => [
  ...(c.text === undefined ? [] : [c.text]),
  ...(c.coding ?? []).flatMap((x) => (x.display === undefined ? [] : [x.display])),
];

export function matchDrug(
  tables: PgxTables,
  use: MedicationUse,
  resources: readonly FhirResource[] = [],
): DrugMatch | undefined {
  const concepts = conceptsOf(use, resources);
  const ordered = concepts.flatMap(texts)[0] ?? concepts[0]?.coding?.[0]?.code ?? 'medication';
  for (const c of concepts)
    for (const coding of c.coding ?? []) {
      if (coding.system === undefined || coding.code === undefined) continue;
      if (normalizeSystem(coding.system) !== SYSTEMS.rxnorm) continue;
      const drug = tables.drugByCode.get(coding.code.trim());
      if (drug !== undefined) return { drug, byText: false, ordered };
    }
  for (const text of concepts.flatMap(texts)) {
    const lower = text.toLowerCase();
    for (const [drug, pattern] of tables.drugNamePatterns)
      if (pattern.test(lower)) return { drug, byText: true, ordered };
  }
  return undefined;
}

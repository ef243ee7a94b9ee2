/**
 * Reading the patient's FHIR data with the app's own token: the Patient, the Observations the models'
 * input contracts bind (codes from models/valuesets.json, so the query follows the manifests), the
 * pharmacogenomic results, Conditions, and MedicationRequests/Statements with their Medications.
 */
import { LDL_SAMPSON } from '../../../src/features/ldl-sampson.js';
import { DERIVATION_VALUE_SETS } from '../../../src/features/derived.js';
import { PHENOTYPE_CODES } from '../../../src/features/genotype-parse.js';
import { GENOTYPE_CODES } from '../../../src/features/genotype.js';
import type { FhirResource } from '../../../src/features/types.js';
import { readResources, type Unreadable } from '../../../src/fhir-read/index.js';
import { getValueSet, type ValueSetIndex } from '../../../src/features/valuesets.js';
import type { InputSpec } from '../../../src/models/manifest.js';
import type { AppSession, ModelCard } from './types.js';

/** Genotype observation codes (pgx.md "Genotypes and phenotypes in FHIR"): LOINC 84413-4, SNOMED 363779003. */
/** Searches are paged; this many pages of `_count` results at most per query. */
const PAGE_LIMIT = 10;
const COUNT = 200;

/** Value sets an input reads observations from (a derived input also reads what it is derived from). */
function observationValueSets(input: InputSpec): string[] {
  const b = input.fhir;
  switch (b.source) {
    case 'observation':
      return [b.valueSet, ...(b.componentValueSet === undefined ? [] : [b.componentValueSet])];
    case 'coded-observation':
      return [b.valueSet];
    case 'derived':
      return [
        ...(b.preferValueSet === undefined ? [] : [b.preferValueSet]),
        ...(b.derivation === 'egfr-ckd-epi-2021'
          ? [DERIVATION_VALUE_SETS.creatinine]
          : b.derivation === 'ldl-sampson-nih'
            ? Object.values(LDL_SAMPSON.inputs).map((i) => i.valueSet)
            : [DERIVATION_VALUE_SETS.height, DERIVATION_VALUE_SETS.weight]),
      ];
    case 'condition':
    case 'medication-class':
    case 'patient':
    case 'genotype':
    case 'setting':
      return [];
  }
}

/** `system|code` tokens of every observation the models bind, plus genotype/phenotype results. */
export function observationCodes(models: readonly ModelCard[], index: ValueSetIndex): string[] {
  const sets = new Set(models.flatMap((m) => m.inputs.flatMap(observationValueSets)));
  const codes = new Set<string>();
  for (const id of sets) for (const key of getValueSet(index, id).codes) codes.add(key);
  // Pharmacogenomic results are read for the PGx section whether or not a model uses them.
  for (const key of [...GENOTYPE_CODES, ...PHENOTYPE_CODES]) codes.add(key);
  return [...codes].sort();
}

/** The FHIR searches for one patient (relative URLs, resolved against the launch's FHIR base). */
export function patientQueries(patientId: string, codes: readonly string[]): string[] {
  const p = encodeURIComponent(patientId);
  // A few searches of ≤ 40 codes each keep URLs well under common 8 KiB limits.
  const chunks: string[][] = [];
  for (let i = 0; i < codes.length; i += 40) chunks.push(codes.slice(i, i + 40));
  return [
    ...chunks.map(
      (c) => `Observation?patient=${p}&code=${c.map(encodeURIComponent).join(',')}&_count=${COUNT}`,
    ),
    `Condition?patient=${p}&_count=${COUNT}`,
    `MedicationRequest?patient=${p}&_include=MedicationRequest:medication&_count=${COUNT}`,
    `MedicationStatement?patient=${p}&_count=${COUNT}`,
  ];
}

const isResource = (v: unknown): v is FhirResource =>
  typeof v === 'object' && v !== null && typeof (v as { resourceType?: unknown }).resourceType === 'string';

/**
 * The resources of a flat search answer or a Bundle (OperationOutcomes dropped), each through the same
 * FHIR boundary reader the services use: a malformed resource is set aside with why, never read.
 */
function resourcesIn(answer: unknown): { resources: FhirResource[]; unreadable: Unreadable[] } {
  const items: unknown[] = Array.isArray(answer)
    ? answer
    : isResource(answer) && answer.resourceType === 'Bundle'
      ? (Array.isArray(answer.entry) ? answer.entry : []).map(
          (e: { resource?: unknown } | null) => e?.resource,
        )
      : [answer];
  const read = readResources(
    items
      .filter(isResource)
      .filter((r) => r.resourceType !== 'OperationOutcome' && r.resourceType !== 'Bundle'),
  );
  return read;
}

export interface PatientData {
  resources: FhirResource[];
  /** Searches that failed, and resources the boundary reader refused: the app says which data it could not read. */
  failed: { query: string; reason: string }[];
}

export async function loadPatientData(
  session: AppSession,
  models: readonly ModelCard[],
  index: ValueSetIndex,
): Promise<PatientData> {
  const patient = await session.fhir(`Patient/${encodeURIComponent(session.patientId)}`);
  const queries = patientQueries(session.patientId, observationCodes(models, index));
  const settled = await Promise.allSettled(
    queries.map((q) => session.fhir(q, { flat: true, pageLimit: PAGE_LIMIT })),
  );
  const seen = new Set<string>();
  const resources: FhirResource[] = [];
  const answers = [
    resourcesIn(patient),
    ...settled.flatMap((s) => (s.status === 'fulfilled' ? [resourcesIn(s.value)] : [])),
  ];
  for (const r of answers.flatMap((a) => a.resources)) {
    const key = `${r.resourceType}/${r.id ?? String(resources.length)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    resources.push(r);
  }
  const failed = settled.flatMap((s, i) =>
    s.status === 'rejected'
      ? [
          {
            query: (queries[i] ?? '').split('?')[0] ?? '',
            reason: s.reason instanceof Error ? s.reason.message : 'failed',
          },
        ]
      : [],
  );
  const unreadable = answers
    .flatMap((a) => a.unreadable)
    .map((u) => ({ query: u.reference, reason: u.problem }));
  return { resources, failed: [...failed, ...unreadable] };
}

/**
 * Typed builders for synthetic cardiovascular patients: one options object → the FHIR resources a real
 * EHR would hold (Patient, lipid/BP/smoking/BMI/eGFR Observations, Conditions, MedicationRequests),
 * each about the patient, plus the same data shaped as the service's prefetch (searchset Bundles).
 * Ages and dates are relative to a fixed clock, so a test never depends on the wall clock.
 */
import type { Bundle, FhirResource, Observation } from 'fhir/r4.js';
import {
  aBloodPressure,
  aCondition,
  aMedicationRequest,
  anObservation,
  aPatient,
  concept,
  coding,
  SNOMED,
} from '../../support/fhir-builders.js';

/** The clock every cardiovascular test runs at (the app's `now`). */
export const NOW = new Date('2026-11-22T12:00:00Z');
export const FRESH = '2026-09-01';
export const STALE = '2024-06-01';
/** Older than the 5-year lipid lookback: as good as missing. */
export const ANCIENT = '2020-06-01';

export interface CvPatientOptions {
  id: string;
  age: number;
  sex?: 'male' | 'female';
  race?: 'white' | 'black' | 'asian' | undefined;
  /** Lipids in mg/dL; null leaves the analyte out. */
  tc?: number | null;
  hdl?: number | null;
  ldl?: number | null;
  /** Triglycerides in mg/dL (none unless given), drawn with the other lipids unless `tgDate`. */
  tg?: number | null;
  tgDate?: string;
  lipidDate?: string;
  sbp?: number | null;
  bpTreated?: boolean;
  smoker?: boolean | null;
  diabetes?: boolean;
  onStatin?: boolean;
  ascvd?: boolean;
  egfr?: number | null;
  bmi?: number | null;
}

export type PrefetchKey =
  | 'patient'
  | 'lipids'
  | 'bloodPressure'
  | 'smoking'
  | 'bodySize'
  | 'kidneyAndGlycaemia'
  | 'conditions'
  | 'medications';

export interface CvPatient {
  id: string;
  resources: FhirResource[];
  byKey: Record<PrefetchKey, FhirResource[]>;
}

/** Defaults: 55-year-old white man, TC 213, HDL 50, LDL 130, SBP 120 untreated, non-smoker (Goff 2014). */
export function aCvPatient(o: CvPatientOptions): CvPatient {
  const subject = { reference: `Patient/${o.id}` };
  const byKey: Record<PrefetchKey, FhirResource[]> = {
    patient: [],
    lipids: [],
    bloodPressure: [],
    smoking: [],
    bodySize: [],
    kidneyAndGlycaemia: [],
    conditions: [],
    medications: [],
  };
  let n = 0;
  const id = (kind: string): string => `${o.id}-${kind}-${String(++n)}`;
  const obs = (key: PrefetchKey, observation: Observation): void => {
    byKey[key].push({ ...observation, subject });
  };
  const lab = (key: PrefetchKey, loinc: string, value: number, unit: string, date = FRESH): void => {
    obs(key, anObservation({ id: id('obs'), loinc, value, unit, date }));
  };

  byKey.patient.push(
    aPatient({
      id: o.id,
      birthDate: `${String(NOW.getUTCFullYear() - o.age)}-05-15`,
      gender: o.sex ?? 'male',
      ...(o.race === undefined ? {} : { race: [o.race] }),
    }),
  );
  const lipidDate = o.lipidDate ?? FRESH;
  const tc = o.tc === undefined ? 213 : o.tc;
  const hdl = o.hdl === undefined ? 50 : o.hdl;
  const ldl = o.ldl === undefined ? 130 : o.ldl;
  if (tc !== null) lab('lipids', '2093-3', tc, 'mg/dL', lipidDate);
  if (hdl !== null) lab('lipids', '2085-9', hdl, 'mg/dL', lipidDate);
  if (ldl !== null) lab('lipids', '13457-7', ldl, 'mg/dL', lipidDate);
  if (o.tg !== undefined && o.tg !== null) lab('lipids', '2571-8', o.tg, 'mg/dL', o.tgDate ?? lipidDate);
  const sbp = o.sbp === undefined ? 120 : o.sbp;
  if (sbp !== null)
    obs('bloodPressure', aBloodPressure({ id: id('bp'), systolic: sbp, diastolic: 80, date: FRESH }));
  const smoker = o.smoker === undefined ? false : o.smoker;
  if (smoker !== null) {
    const answer = smoker
      ? coding(SNOMED, '449868002', 'Smokes tobacco daily')
      : coding(SNOMED, '266919005', 'Never smoked tobacco');
    obs(
      'smoking',
      anObservation({ id: id('smk'), loinc: '72166-2', valueCodeableConcept: concept(answer), date: FRESH }),
    );
  }
  const egfr = o.egfr === undefined ? 90 : o.egfr;
  if (egfr !== null) lab('kidneyAndGlycaemia', '98979-8', egfr, 'mL/min/{1.73_m2}');
  const bmi = o.bmi === undefined ? 27 : o.bmi;
  if (bmi !== null) lab('bodySize', '39156-5', bmi, 'kg/m2');

  const condition = (icd10: string): void => {
    byKey.conditions.push({ ...aCondition({ id: id('cond'), icd10 }), subject });
  };
  if (o.diabetes === true) condition('E11.9');
  if (o.ascvd === true) condition('I25.10');
  const med = (rxnorm: string, display: string): void => {
    byKey.medications.push({ ...aMedicationRequest({ id: id('med'), rxnorm, display }), subject });
  };
  if (o.bpTreated === true) med('29046', 'lisinopril');
  if (o.onStatin === true) med('617310', 'atorvastatin 20 MG Oral Tablet');

  return { id: o.id, resources: Object.values(byKey).flat(), byKey };
}

const searchset = (resources: FhirResource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource })),
});

/** The patient's data as complete prefetch: the Patient, and a searchset Bundle per search key. */
export function prefetchOf(p: CvPatient, omit: readonly PrefetchKey[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, resources] of Object.entries(p.byKey) as [PrefetchKey, FhirResource[]][]) {
    if (omit.includes(key)) continue;
    out[key] = key === 'patient' ? resources[0] : searchset(resources);
  }
  return out;
}

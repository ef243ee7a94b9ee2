/**
 * Typed builders for synthetic patients of the AF and kidney services: every resource is about the
 * given patient (subject set), dated relative to the test clock (2026-11-22), with real codes.
 */
import type {
  Condition,
  FhirResource,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  ServiceRequest,
} from 'fhir/r4.js';
import {
  aBloodPressure,
  aCondition,
  aMedicationRequest,
  aMedicationStatement,
  anObservation,
  coding,
  concept,
  RXNORM,
  SNOMED,
} from '../../support/fhir-builders.js';

/** The test clock's year: a patient "aged 70" is born mid-year so the age is unambiguous on 2026-11-22. */
export const birthDateForAge = (age: number): string => `${String(2026 - age)}-06-01`;

export function person(id: string, sex: 'male' | 'female' | 'unknown', age: number | undefined): Patient {
  return {
    resourceType: 'Patient',
    id,
    gender: sex,
    ...(age === undefined ? {} : { birthDate: birthDateForAge(age) }),
  };
}

const about = <T extends FhirResource>(patientId: string, r: T): T => ({
  ...r,
  subject: { reference: `Patient/${patientId}` },
});

/** ICD-10-CM codes used in the scenarios (value sets in models/valuesets.json). */
export const ICD = {
  af: 'I48.91',
  hypertension: 'I10',
  diabetes: 'E11.9',
  heartFailure: 'I50.9',
  stroke: 'I63.9',
  oldMi: 'I25.2',
  ckd3a: 'N18.31',
  ckd3b: 'N18.32',
  ckd4: 'N18.4',
  ckd5: 'N18.5',
  dialysis: 'Z99.2',
  mitralStenosis: 'I05.0',
  alcoholDependence: 'F10.20',
  giBleed: 'K92.2',
} as const;

const ICD_TEXT: Readonly<Record<string, string>> = {
  'I48.91': 'Atrial fibrillation',
  I10: 'Essential hypertension',
  'E11.9': 'Type 2 diabetes mellitus',
  'I50.9': 'Heart failure',
  'I63.9': 'Cerebral infarction',
  'I25.2': 'Old myocardial infarction',
  'N18.31': 'Chronic kidney disease, stage 3a',
  'N18.32': 'Chronic kidney disease, stage 3b',
  'N18.4': 'Chronic kidney disease, stage 4',
  'N18.5': 'Chronic kidney disease, stage 5',
  'Z99.2': 'Dependence on renal dialysis',
  'I05.0': 'Rheumatic mitral stenosis',
  'F10.20': 'Alcohol dependence',
  'K92.2': 'Gastrointestinal haemorrhage',
};

export function condition(
  patientId: string,
  id: string,
  icd10: string,
  onset = '2020-03-01',
  status = 'active',
): Condition {
  const c = about(patientId, aCondition({ id, icd10, onset, clinicalStatus: status }));
  const text = ICD_TEXT[icd10];
  return text === undefined ? c : { ...c, code: { ...c.code, text } };
}

export function quantity(
  patientId: string,
  id: string,
  loinc: string,
  value: number,
  unit: string,
  date = '2026-10-01',
): Observation {
  return about(patientId, anObservation({ id, loinc, value, unit, date }));
}

export const weight = (p: string, id: string, kg: number, date?: string) =>
  quantity(p, id, '29463-7', kg, 'kg', date);
export const creatinine = (p: string, id: string, mgDl: number, date?: string) =>
  quantity(p, id, '2160-0', mgDl, 'mg/dL', date);
export const egfr = (p: string, id: string, value: number, date?: string) =>
  quantity(p, id, '98979-8', value, 'mL/min/{1.73_m2}', date);
export const uacr = (p: string, id: string, mgG: number, date?: string) =>
  quantity(p, id, '9318-7', mgG, 'mg/g', date);

export function bp(patientId: string, id: string, systolic: number, date = '2026-10-01'): Observation {
  return about(patientId, aBloodPressure({ id, systolic, diastolic: 80, date }));
}

export const RX = {
  apixabanIngredient: { code: '1364430', display: 'apixaban' },
  apixaban5: { code: '1364445', display: 'apixaban 5 MG Oral Tablet' },
  warfarin5: { code: '855332', display: 'warfarin sodium 5 MG Oral Tablet' },
  ibuprofen: { code: '5640', display: 'ibuprofen' },
  aspirin: { code: '1191', display: 'aspirin' },
  metformin: { code: '6809', display: 'metformin' },
} as const;

export function medicationRequest(
  patientId: string,
  id: string,
  drug: { code: string; display: string },
  status: MedicationRequest['status'] = 'active',
): MedicationRequest {
  return about(
    patientId,
    aMedicationRequest({ id, rxnorm: drug.code, display: drug.display, status, authoredOn: '2026-08-01' }),
  );
}

export function medicationStatement(
  patientId: string,
  id: string,
  drug: { code: string; display: string },
): MedicationStatement {
  return about(
    patientId,
    aMedicationStatement({ id, rxnorm: drug.code, display: drug.display, authoredOn: '2026-07-01' }),
  );
}

/** An open ServiceRequest, e.g. a nephrology referral (SNOMED) or a urine ACR order (LOINC). */
export function serviceRequest(
  patientId: string,
  id: string,
  code: { system: string; code: string; display?: string },
  status: ServiceRequest['status'] = 'active',
  text?: string,
): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status,
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    code: {
      ...concept(coding(code.system, code.code, code.display)),
      ...(text === undefined ? {} : { text }),
    },
    authoredOn: '2026-09-15',
  };
}

export { RXNORM, SNOMED };

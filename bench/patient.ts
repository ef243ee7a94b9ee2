/**
 * A realistic patient for the load benchmark: 68-year-old man with atrial fibrillation, hypertension,
 * type 2 diabetes and CKD G3b, not on a statin or an anticoagulant — every risk service has work to do.
 * Four years of data: 48 blood pressures, lipid panels, creatinine/eGFR, urine ACR, HbA1c, INR, BMI,
 * smoking status (≈ 90 Observations), 5 Conditions, 3 active MedicationRequests. Dates are relative to
 * `now` so nothing is stale by accident.
 */
import type { FhirResource } from 'fhir/r4.js';
import {
  aBloodPressure,
  aCondition,
  aMedicationRequest,
  anObservation,
  aPatient,
  coding,
  concept,
  SNOMED,
} from '../test/support/fhir-builders.js';

/** The services whose cards this patient exercises (the bench and examples/requests use them). */
export const RISK_SERVICES = ['augur-cardiovascular-risk', 'augur-atrial-fibrillation', 'augur-kidney-risk'];

export function benchPatient(now: Date): FhirResource[] {
  const ago = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString();
  const birth = new Date(now.getTime() - (68 * 365.25 + 40) * 86_400_000).toISOString().slice(0, 10);
  const resources: FhirResource[] = [
    aPatient({ id: 'p1', birthDate: birth, gender: 'male', race: ['white'] }),
  ];
  for (let i = 0; i < 48; i++) {
    resources.push(
      aBloodPressure({
        id: `bp-${i}`,
        systolic: 128 + (i % 7) * 4,
        diastolic: 78 + (i % 5) * 2,
        date: ago(30 * i + 3),
      }),
    );
  }
  for (let i = 0; i < 4; i++) {
    const d = ago(365 * i + 20);
    resources.push(
      anObservation({ id: `tc-${i}`, loinc: '2093-3', value: 212 - i * 3, unit: 'mg/dL', date: d }),
      anObservation({ id: `hdl-${i}`, loinc: '2085-9', value: 41 + i, unit: 'mg/dL', date: d }),
      anObservation({ id: `ldl-${i}`, loinc: '13457-7', value: 138 - i * 2, unit: 'mg/dL', date: d }),
    );
  }
  for (let i = 0; i < 8; i++) {
    const d = ago(180 * i + 10);
    resources.push(
      anObservation({ id: `cr-${i}`, loinc: '2160-0', value: 1.7 + i * 0.03, unit: 'mg/dL', date: d }),
      anObservation({ id: `egfr-${i}`, loinc: '98979-8', value: 41 + i, unit: 'mL/min/{1.73_m2}', date: d }),
      anObservation({ id: `a1c-${i}`, loinc: '4548-4', value: 7.4 - i * 0.1, unit: '%', date: d }),
    );
  }
  for (let i = 0; i < 3; i++) {
    resources.push(
      anObservation({
        id: `acr-${i}`,
        loinc: '9318-7',
        value: 180 - i * 20,
        unit: 'mg/g',
        date: ago(200 * i + 15),
      }),
    );
  }
  for (let i = 0; i < 6; i++) {
    resources.push(
      anObservation({
        id: `inr-${i}`,
        loinc: '6301-6',
        value: 1.0 + (i % 2) * 0.1,
        unit: '{INR}',
        date: ago(60 * i + 7),
      }),
    );
  }
  resources.push(
    anObservation({ id: 'bmi', loinc: '39156-5', value: 31.2, unit: 'kg/m2', date: ago(40) }),
    anObservation({ id: 'height', loinc: '8302-2', value: 178, unit: 'cm', date: ago(40) }),
    anObservation({ id: 'weight', loinc: '29463-7', value: 99, unit: 'kg', date: ago(40) }),
    anObservation({
      id: 'smoking',
      loinc: '72166-2',
      valueCodeableConcept: concept(coding(SNOMED, '8517006', 'Ex-smoker')),
      date: ago(40),
    }),
    aCondition({ id: 'af', icd10: 'I48.91', onset: ago(900) }),
    aCondition({ id: 'htn', icd10: 'I10', onset: ago(3000) }),
    aCondition({ id: 'dm2', icd10: 'E11.9', onset: ago(2500) }),
    aCondition({ id: 'ckd', icd10: 'N18.32', onset: ago(700) }),
    aCondition({ id: 'oa', snomed: '396275006', onset: ago(1500) }),
    aMedicationRequest({ id: 'lisinopril', rxnorm: '314077', display: 'lisinopril 20 MG Oral Tablet' }),
    aMedicationRequest({
      id: 'metformin',
      rxnorm: '861007',
      display: 'metformin hydrochloride 500 MG Oral Tablet',
    }),
    aMedicationRequest({ id: 'amlodipine', rxnorm: '197361', display: 'amlodipine 5 MG Oral Tablet' }),
  );
  // The builders leave Observation.subject out; a FHIR server finds results by patient through it.
  for (const r of resources) if (r.resourceType === 'Observation') r.subject = { reference: 'Patient/p1' };
  return resources;
}

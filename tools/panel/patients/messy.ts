/**
 * Messy charts, as real EHRs hold them: lipids in mmol/L, duplicate same-day results,
 * entered-in-error records, blood pressure only as panel components, conditions coded only in
 * ICD-10-CM, a MedicationStatement instead of a MedicationRequest, a drug in a referenced Medication
 * resource, a calculated and a direct LDL-C on the same day. Each expectation is the clinically correct
 * one; `messy.augurToday` says what Augur does with it today (found by running the regression suite).
 */
import { card, cards, type PatientSpec } from '../spec.js';
import { today } from './messy-today.js';
import { APIXABAN, DRUG, onStatin, onStatinNoCard, problem, STATIN, takes, workup } from './common.js';

const white = { race: ['white' as const] };
const intermediateModerate = (why: string) =>
  cards(
    why,
    card({
      card: 'cv-statin-suggestion',
      indicator: 'warning',
      band: 'intermediate',
      suggestions: [STATIN.moderate],
    }),
  );

export const MESSY: PatientSpec[] = [
  {
    patient: { id: 'augur-messy-mmol', name: ['Magnus', 'Lindqvist'], gender: 'male', age: 60, ...white },
    title:
      '60-year-old man (as cv-intermediate) whose lipids are reported in mmol/L (TC 5.43, HDL 1.16, LDL-C 3.36)',
    covers: ['lipids in mmol/L (LOINC 14647-2, 14646-4, 22748-8)'],
    chart: (c) => {
      workup(c, { sbp: 140, dbp: 86, heightCm: 176, weightKg: 88, creatinine: 1.0 });
      c.lipids({ tc: 5.43, hdl: 1.16, ldl: 3.36, daysAgo: 21, unit: 'mmol/L' });
      takes(c, 'lisinopril20');
    },
    expect: {
      'augur-cardiovascular-risk': intermediateModerate(
        'TC 210, HDL 45, LDL-C 130 mg/dL once converted (× 38.67): the same card as cv-intermediate',
      ),
    },
    messy: {
      what: 'Total, HDL and LDL cholesterol in mmol/L; LDL-C under its molar LOINC 22748-8',
      ...today('augur-messy-mmol'),
    },
  },
  {
    patient: { id: 'augur-messy-duplicates', name: ['Dorothy', 'Twice'], gender: 'male', age: 61, ...white },
    title:
      '61-year-old man with a lipemic morning sample (TC 330, HDL 30) repeated the same afternoon (TC 212, HDL 46), and an LDL-C filed twice',
    covers: ['duplicate same-day results: the later repeat counts; an identical duplicate changes nothing'],
    chart: (c) => {
      workup(c, { sbp: 138, heightCm: 175, weightKg: 86, creatinine: 1.0 });
      takes(c, 'lisinopril20');
      c.lab('2093-3', 330, 'mg/dL', 21, { time: '08:10:00' });
      c.lab('2085-9', 30, 'mg/dL', 21, { time: '08:10:00' });
      c.lab('2093-3', 212, 'mg/dL', 21, { time: '14:40:00' });
      c.lab('2085-9', 46, 'mg/dL', 21, { time: '14:40:00' });
      c.lab('13457-7', 130, 'mg/dL', 21, { time: '14:40:00' });
      c.lab('13457-7', 130, 'mg/dL', 21, { time: '14:40:00' });
    },
    expect: {
      'augur-cardiovascular-risk': intermediateModerate(
        'with the repeat (TC 212, HDL 46) PCE 13.7 % (intermediate); the morning values would give 25.8 % (high)',
      ),
    },
    messy: {
      what: 'Two total and HDL cholesterol results the same day (the later one a repeat), one LDL-C filed twice',
      ...today('augur-messy-duplicates'),
    },
  },
  {
    patient: {
      id: 'augur-messy-entered-in-error',
      name: ['Erin', 'Errata'],
      gender: 'male',
      age: 58,
      ...white,
    },
    title: '58-year-old man with an LDL-C 212 and an "old MI" both marked entered-in-error',
    covers: ['entered-in-error Observation and Condition are ignored'],
    chart: (c) => {
      workup(c, {
        sbp: 134,
        lipids: { tc: 205, hdl: 47, ldl: 128 },
        heightCm: 178,
        weightKg: 84,
        creatinine: 1.0,
      });
      takes(c, 'lisinopril20');
      c.lab('13457-7', 212, 'mg/dL', 3, { status: 'entered-in-error' });
      c.condition({
        icd10: ['I25.2', 'Old myocardial infarction'],
        onsetDaysAgo: 30,
        verificationStatus: 'entered-in-error',
      });
    },
    expect: {
      'augur-cardiovascular-risk': intermediateModerate(
        'the valid LDL-C is 128 and there is no ASCVD: PCE 9.9 % (intermediate), moderate-intensity draft',
      ),
    },
    messy: {
      what: 'The newest LDL-C (212, would be the severe pathway) and an old-MI Condition (would exclude the patient) are entered-in-error',
      ...today('augur-messy-entered-in-error'),
    },
  },
  {
    patient: {
      id: 'augur-messy-bp-panel-only',
      name: ['Paul', 'Panelli'],
      gender: 'male',
      age: 60,
      ...white,
    },
    title:
      '60-year-old man (as cv-intermediate) whose blood pressures are only components of the 55284-4 panel',
    covers: ['BP only as components of a panel (55284-4; every other chart uses 85354-9 components)'],
    chart: (c) => {
      c.bp(146, 88, 194, '55284-4');
      c.bp(136, 84, 104, '55284-4');
      c.bp(140, 86, 14, '55284-4');
      c.smoking('never', 44);
      c.lipids({ tc: 210, hdl: 45, ldl: 130, daysAgo: 21 });
      takes(c, 'lisinopril20');
    },
    expect: {
      'augur-cardiovascular-risk': intermediateModerate(
        'SBP 140 read from the panel component: the same card as cv-intermediate',
      ),
    },
    messy: {
      what: 'No standalone 8480-6: systolic BP only inside 55284-4 panels',
      ...today('augur-messy-bp-panel-only'),
    },
  },
  {
    patient: { id: 'augur-messy-icd10-only', name: ['Ines', 'Coder'], gender: 'female', age: 70, ...white },
    title:
      '70-year-old woman with AF, hypertension, type 2 diabetes and heart failure, every problem coded only in ICD-10-CM',
    covers: ['Conditions coded only in ICD-10-CM', 'CHA₂DS₂-VASc 5'],
    chart: (c) => {
      workup(c, { sbp: 132, heightCm: 163, weightKg: 72, creatinine: 0.9 });
      problem(c, 'af', 365, 'icd10');
      problem(c, 'hypertension', 4000, 'icd10');
      problem(c, 'diabetes2', 3000, 'icd10');
      problem(c, 'heartFailure', 700, 'icd10');
      takes(c, 'lisinopril20', 3500);
      takes(c, 'metformin500', 2900);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': cards(
        'age 65–74, female, hypertension, diabetes, heart failure: CHA₂DS₂-VASc 5, recommended; 5 mg',
        card({
          card: 'af-anticoagulation',
          indicator: 'warning',
          band: 'recommended',
          suggestions: [APIXABAN.standard],
        }),
      ),
    },
    messy: {
      what: 'AF I48.91, hypertension I10, diabetes E11.9, heart failure I50.9 with no SNOMED CT coding',
      ...today('augur-messy-icd10-only'),
    },
  },
  {
    patient: {
      id: 'augur-messy-statin-statement',
      name: ['Stuart', 'Statement'],
      gender: 'male',
      age: 61,
      ...white,
    },
    title:
      '61-year-old man at intermediate risk whose atorvastatin is recorded only as a MedicationStatement',
    covers: ['MedicationStatement instead of MedicationRequest (statin)'],
    chart: (c) => {
      workup(c, {
        sbp: 138,
        lipids: { tc: 212, hdl: 46, ldl: 118 },
        heightCm: 177,
        weightKg: 86,
        creatinine: 1.0,
      });
      takes(c, 'lisinopril20');
      const [rxnorm, display] = DRUG.atorvastatin40;
      c.medication({ rxnorm, display, startedDaysAgo: 600, statement: true, sig: '1 tablet by mouth daily' });
    },
    noCard: {
      'augur-cardiovascular-risk':
        'already on a statin (an active MedicationStatement): no risk card, certainly no statin draft',
    },
    messy: {
      what: 'The statin is an active MedicationStatement (medication reconciliation), no MedicationRequest',
      ...today('augur-messy-statin-statement'),
    },
  },
  {
    patient: {
      id: 'augur-messy-medication-reference',
      name: ['Rita', 'Reference'],
      gender: 'male',
      age: 72,
      ...white,
    },
    title:
      '72-year-old man with AF and hypertension on apixaban, the drug in a referenced Medication resource',
    covers: ['MedicationRequest.medicationReference to a Medication resource (anticoagulant)'],
    chart: (c) => {
      workup(c, { sbp: 130, heightCm: 176, weightKg: 81, creatinine: 1.0 });
      problem(c, 'af', 600);
      problem(c, 'hypertension', 3000);
      takes(c, 'amlodipine5', 2800);
      const [rxnorm, display] = DRUG.apixaban5;
      c.medication({
        rxnorm,
        display,
        startedDaysAgo: 550,
        referenced: true,
        sig: '1 tablet by mouth twice daily',
      });
      onStatin(c);
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: {
      'augur-atrial-fibrillation':
        'already anticoagulated (apixaban, via the referenced Medication); HAS-BLED < 3: nothing to act on',
    },
    messy: {
      what: 'Apixaban as MedicationRequest.medicationReference → Medication/… (no display on the reference)',
      ...today('augur-messy-medication-reference'),
    },
  },
  {
    patient: {
      id: 'augur-messy-ldl-calc-direct',
      name: ['Linda', 'Direct'],
      gender: 'female',
      age: 54,
      ...white,
    },
    title:
      '54-year-old woman with a calculated LDL-C 184 (13457-7) and a direct LDL-C 196 (18262-6) from the same draw',
    covers: ['calculated and direct LDL-C on the same day: the direct measurement counts'],
    chart: (c) => {
      workup(c, { sbp: 124, heightCm: 165, weightKg: 66, creatinine: 0.8 });
      c.lab('2093-3', 285, 'mg/dL', 21);
      c.lab('2085-9', 58, 'mg/dL', 21);
      c.lab('13457-7', 184, 'mg/dL', 21);
      c.lab('18262-6', 196, 'mg/dL', 21);
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'direct LDL-C 196 ≥ 190: severe hypercholesterolaemia, high-intensity statin (with the calculated 184 the PCE is 2.4 %, low: no card)',
        card({ card: 'cv-statin-suggestion', indicator: 'warning', suggestions: [STATIN.high] }),
      ),
    },
    messy: {
      what: 'A calculated (13457-7, 184) and a direct (18262-6, 196) LDL-C with the same effectiveDateTime',
      ...today('augur-messy-ldl-calc-direct'),
    },
  },
];

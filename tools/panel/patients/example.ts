/**
 * The bench patient as a panel patient (examples/requests/ is still written from bench/patient.ts): a
 * 68-year-old man with atrial fibrillation, hypertension, type 2 diabetes and CKD G3b, four years of
 * data (≈ 90 Observations) — every risk service has work to do. Same values as bench/patient.ts.
 */
import { card, cards, type PatientSpec } from '../spec.js';
import { APIXABAN, REFERRAL, STATIN, problem, takes } from './common.js';

export const EXAMPLE_ID = 'augur-example';

export const EXAMPLE: PatientSpec = {
  patient: { id: EXAMPLE_ID, name: ['Ernest', 'Example'], gender: 'male', age: 68, race: ['white'] },
  title:
    '68-year-old man with AF, hypertension, type 2 diabetes and CKD G3b, four years of data, on no statin or anticoagulant',
  covers: [
    'every risk service at once (examples/requests/)',
    'statin rule diabetes-high-risk (diabetes and PCE ≥ 20 %)',
    'a long history: the latest result in each window counts',
  ],
  chart: (c) => {
    for (let i = 47; i >= 0; i--) c.bp(128 + (i % 7) * 4, 78 + (i % 5) * 2, 30 * i + 3);
    for (let i = 3; i >= 0; i--)
      c.lipids({ tc: 212 - i * 3, hdl: 41 + i, ldl: 138 - i * 2, daysAgo: 365 * i + 20 });
    for (let i = 7; i >= 0; i--) {
      c.lab('2160-0', Number((1.7 + i * 0.03).toFixed(2)), 'mg/dL', 180 * i + 10);
      c.lab('98979-8', 41 + i, 'mL/min/{1.73_m2}', 180 * i + 10);
      c.lab('4548-4', Number((7.4 - i * 0.1).toFixed(1)), '%', 180 * i + 10);
    }
    for (let i = 2; i >= 0; i--) c.lab('9318-7', 180 - i * 20, 'mg/g', 200 * i + 15);
    for (let i = 5; i >= 0; i--) c.lab('6301-6', 1.0 + (i % 2) * 0.1, '{INR}', 60 * i + 7);
    c.lab('39156-5', 31.2, 'kg/m2', 40, { category: 'vital-signs' });
    c.height(178, 40);
    c.weight(99, 40);
    c.smoking('former', 40);
    problem(c, 'af', 900, 'icd10');
    problem(c, 'hypertension', 3000, 'icd10');
    problem(c, 'diabetes2', 2500, 'icd10');
    problem(c, 'ckd3b', 700, 'icd10');
    problem(c, 'osteoarthritis', 1500, 'snomed');
    takes(c, 'lisinopril20', 2900);
    takes(c, 'metformin500', 2400, '1 tablet by mouth twice daily');
    takes(c, 'amlodipine5', 2000);
  },
  expect: {
    'augur-cardiovascular-risk': cards(
      'diabetes with PCE ≥ 20 % (36 %): high-intensity statin reasonable (IIa)',
      card({ card: 'cv-statin-suggestion', indicator: 'warning', band: 'high', suggestions: [STATIN.high] }),
    ),
    'augur-atrial-fibrillation': cards(
      'CHA₂DS₂-VASc 3 (age 65–74, hypertension, diabetes): recommended; only creatinine ≥ 1.5 met → 5 mg',
      card({
        card: 'af-anticoagulation',
        indicator: 'warning',
        band: 'recommended',
        suggestions: [APIXABAN.standard],
      }),
    ),
    'augur-kidney-risk': cards(
      'eGFR 41, urine ACR 180: KFRE 5-yr 5.4 % > 5 %: refer to nephrology',
      card({ card: 'kfre-risk', indicator: 'warning', band: 'referral', suggestions: [REFERRAL] }),
    ),
  },
};

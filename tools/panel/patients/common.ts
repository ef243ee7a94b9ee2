/**
 * Shared pieces of the panel's charts: the drugs they hold (RxNorm clinical drugs), problem codes, a
 * routine work-up (blood pressures, smoking status, lipids, height/weight, creatinine) and the
 * expectations that follow from common situations.
 */
import type { Chart } from '../chart.js';
import type { Smoking } from '../codes.js';
import { card, cards, none } from '../spec.js';
import type { Expectation } from '../types.js';

/** RxNorm clinical drugs (SCD) the charts hold: [code, display]. */
export const DRUG = {
  atorvastatin40: ['617311', 'atorvastatin 40 MG Oral Tablet'],
  atorvastatin20: ['617310', 'atorvastatin 20 MG Oral Tablet'],
  simvastatin40: ['198211', 'simvastatin 40 MG Oral Tablet'],
  lisinopril20: ['314077', 'lisinopril 20 MG Oral Tablet'],
  amlodipine5: ['197361', 'amlodipine 5 MG Oral Tablet'],
  losartan50: ['979492', 'losartan potassium 50 MG Oral Tablet'],
  metformin500: ['861007', 'metformin hydrochloride 500 MG Oral Tablet'],
  apixaban5: ['1364445', 'apixaban 5 MG Oral Tablet'],
  warfarin5: ['855332', 'warfarin sodium 5 MG Oral Tablet'],
  ibuprofen600: ['197806', 'ibuprofen 600 MG Oral Tablet'],
  clopidogrel75: ['309362', 'clopidogrel 75 MG Oral Tablet'],
  codeine30: ['2670', 'codeine'],
} as const satisfies Record<string, readonly [string, string]>;
export type Drug = keyof typeof DRUG;

/** Problem codes: [ICD-10-CM] and [SNOMED CT], each [code, display]. */
export const PROBLEM = {
  hypertension: {
    icd10: ['I10', 'Essential (primary) hypertension'],
    snomed: ['59621000', 'Essential hypertension'],
  },
  diabetes2: {
    icd10: ['E11.9', 'Type 2 diabetes mellitus without complications'],
    snomed: ['44054006', 'Diabetes mellitus type 2'],
  },
  af: { icd10: ['I48.91', 'Unspecified atrial fibrillation'], snomed: ['49436004', 'Atrial fibrillation'] },
  heartFailure: { icd10: ['I50.9', 'Heart failure, unspecified'], snomed: ['84114007', 'Heart failure'] },
  oldMi: { icd10: ['I25.2', 'Old myocardial infarction'], snomed: ['22298006', 'Myocardial infarction'] },
  ckd3a: {
    icd10: ['N18.31', 'Chronic kidney disease, stage 3a'],
    snomed: ['700378005', 'Chronic kidney disease stage 3A'],
  },
  ckd3b: {
    icd10: ['N18.32', 'Chronic kidney disease, stage 3b'],
    snomed: ['700379002', 'Chronic kidney disease stage 3B'],
  },
  ckd4: {
    icd10: ['N18.4', 'Chronic kidney disease, stage 4 (severe)'],
    snomed: ['431857002', 'Chronic kidney disease stage 4'],
  },
  esrd: { icd10: ['N18.6', 'End stage renal disease'], snomed: ['46177005', 'End-stage renal disease'] },
  dialysis: {
    icd10: ['Z99.2', 'Dependence on renal dialysis'],
    snomed: ['105502003', 'Dependence on renal dialysis'],
  },
  mechanicalValve: { icd10: ['Z95.2', 'Presence of prosthetic heart valve'] },
  osteoarthritis: {
    icd10: ['M17.11', 'Unilateral primary osteoarthritis, right knee'],
    snomed: ['396275006', 'Osteoarthritis'],
  },
  hiv: {
    icd10: ['B20', 'Human immunodeficiency virus [HIV] disease'],
    snomed: ['86406008', 'Human immunodeficiency virus infection'],
  },
  crohns: {
    icd10: ['K50.90', "Crohn's disease, unspecified, without complications"],
    snomed: ['34000006', "Crohn's disease"],
  },
  colonCancer: {
    icd10: ['C18.9', 'Malignant neoplasm of colon, unspecified'],
    snomed: ['363406005', 'Malignant neoplasm of colon'],
  },
} as const satisfies Record<string, { icd10: readonly [string, string]; snomed?: readonly [string, string] }>;
export type Problem = keyof typeof PROBLEM;

/** A problem coded in both systems (or only one: `only`). */
export function problem(c: Chart, p: Problem, onsetDaysAgo: number, only?: 'icd10' | 'snomed'): void {
  const codes: { icd10: readonly [string, string]; snomed?: readonly [string, string] } = PROBLEM[p];
  c.condition({
    onsetDaysAgo,
    ...(only === 'snomed' ? {} : { icd10: [...codes.icd10] }),
    ...(only === 'icd10' || codes.snomed === undefined ? {} : { snomed: [...codes.snomed] }),
  });
}

export function takes(c: Chart, d: Drug, startedDaysAgo = 400, sig = '1 tablet by mouth daily'): void {
  const [rxnorm, display] = DRUG[d];
  c.medication({ rxnorm, display, startedDaysAgo, sig });
}

export interface Workup {
  /** Latest systolic/diastolic; two older readings come before it. */
  sbp: number;
  dbp?: number;
  bpDaysAgo?: number;
  smoking?: Smoking;
  lipids?: { tc: number; hdl: number; ldl?: number; tg?: number; daysAgo?: number };
  heightCm?: number;
  weightKg?: number;
  /** Serum creatinine, mg/dL (eGFR is derived by Augur, or reported with `egfr`). */
  creatinine?: number;
  egfr?: number;
  labsDaysAgo?: number;
  hba1c?: number;
}

/** A routine work-up: three blood pressures, smoking status, lipids, body size, kidney labs. */
export function workup(c: Chart, w: Workup): void {
  const bpDay = w.bpDaysAgo ?? 14;
  const dbp = w.dbp ?? 80;
  c.bp(w.sbp + 6, dbp + 2, bpDay + 180);
  c.bp(w.sbp - 4, dbp - 2, bpDay + 90);
  c.bp(w.sbp, dbp, bpDay);
  c.smoking(w.smoking ?? 'never', bpDay + 30);
  if (w.lipids !== undefined) c.lipids({ ...w.lipids, daysAgo: w.lipids.daysAgo ?? 21 });
  const labs = w.labsDaysAgo ?? 21;
  if (w.heightCm !== undefined) c.height(w.heightCm, bpDay);
  if (w.weightKg !== undefined) c.weight(w.weightKg, bpDay);
  if (w.creatinine !== undefined) c.lab('2160-0', w.creatinine, 'mg/dL', labs);
  if (w.egfr !== undefined) c.lab('98979-8', w.egfr, 'mL/min/{1.73_m2}', labs);
  if (w.hba1c !== undefined) c.lab('4548-4', w.hba1c, '%', labs);
}

/** A statin-treated patient with a fresh lipid panel: the cardiovascular service has nothing to add. */
export function onStatin(c: Chart): void {
  takes(c, 'atorvastatin40', 800);
  c.lipids({ tc: 170, hdl: 50, ldl: 85, daysAgo: 45 });
}

/** The lipid-panel card a patient in the primary-prevention population without lipids gets. */
export const LIPID_PANEL = 'create ServiceRequest loinc:57698-3';

export const lipidsMissing = (why: string): Expectation =>
  cards(why, card({ card: 'cv-lipids-missing', indicator: 'info', suggestions: [LIPID_PANEL] }));

/** A statin-treated patient with fresh lipids: the decision the PCE informs is made. */
export const onStatinNoCard = none(
  'already on a statin with fresh lipids: no risk card (card data pce.showWhenOnStatin)',
);

/** The apixaban drafts (cards/atrial-fibrillation.json). */
export const APIXABAN = {
  standard: 'create MedicationRequest rxnorm:1364445',
  reduced: 'create MedicationRequest rxnorm:1364435',
  review: 'create MedicationRequest rxnorm:1364430',
} as const;

export const STATIN = {
  moderate: 'create MedicationRequest rxnorm:617310',
  high: 'create MedicationRequest rxnorm:617311',
} as const;

export const REFERRAL = 'create ServiceRequest snomed:306125004';
export const URINE_ACR = 'create ServiceRequest loinc:9318-7';

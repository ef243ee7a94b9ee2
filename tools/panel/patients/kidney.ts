/**
 * Kidney panel: each KFRE tier (5-yr > 5 % referral, 2-yr > 10 % multidisciplinary care, 2-yr > 40 %
 * KRT planning) and below, urine ACR missing, stale or in another unit, an open nephrology referral,
 * eGFR ≥ 60, an expired eGFR, and CKD not coded. KFRE values in the comments: Tangri 2016, North
 * America (models.md §3), on the chart's latest values.
 */
import type { Chart } from '../chart.js';
import { SYSTEM } from '../codes.js';
import { card, cards, type PatientSpec } from '../spec.js';
import { onStatin, onStatinNoCard, problem, REFERRAL, takes, URINE_ACR, workup } from './common.js';

const white = { race: ['white' as const] };

/** CKD follow-up labs: eGFR (CKD-EPI 2021, reported) and urine ACR. */
function kidneyLabs(
  c: Chart,
  egfr: number,
  acr: number | null,
  o: { egfrDaysAgo?: number; acrDaysAgo?: number } = {},
): void {
  c.lab('98979-8', egfr, 'mL/min/{1.73_m2}', o.egfrDaysAgo ?? 30);
  if (acr !== null) c.lab('9318-7', acr, 'mg/g', o.acrDaysAgo ?? 30);
}

function ckdPatient(c: Chart, stage: 'ckd3a' | 'ckd3b' | 'ckd4', sbp: number): void {
  workup(c, { sbp, heightCm: 172, weightKg: 80 });
  problem(c, stage, 1200);
  problem(c, 'hypertension', 4000);
  takes(c, 'losartan50', 3500);
  onStatin(c);
}

const risk = (why: string, tier: string, indicator: 'info' | 'warning', extra: string[] = []) =>
  cards(why, card({ card: 'kfre-risk', indicator, band: tier, suggestions: [REFERRAL, ...extra] }));

export const KIDNEY: PatientSpec[] = [
  {
    patient: { id: 'augur-kfre-referral', name: ['Ken', 'Fraser'], gender: 'male', age: 68, ...white },
    title: '68-year-old man with CKD G3b, eGFR 41, urine ACR 250 mg/g: KFRE 5-yr 6.2 %',
    covers: ['KFRE tier referral (5-yr > 5 %): info card with a nephrology referral draft'],
    chart: (c) => {
      ckdPatient(c, 'ckd3b', 132);
      kidneyLabs(c, 41, 250);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-kidney-risk': risk('5-year risk 6.2 % > 5 % (NICE NG203): refer', 'referral', 'warning'),
    },
  },
  {
    patient: {
      id: 'augur-kfre-multidisciplinary',
      name: ['Monica', 'Duran'],
      gender: 'male',
      age: 65,
      ...white,
    },
    title: '65-year-old man with CKD G4, eGFR 28, urine ACR 600 mg/g: KFRE 2-yr 12.9 %',
    covers: ['KFRE tier multidisciplinary (2-yr > 10 %): warning'],
    chart: (c) => {
      ckdPatient(c, 'ckd4', 136);
      kidneyLabs(c, 28, 600);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-kidney-risk': risk(
        '2-year risk 12.9 % > 10 % (KDIGO 2024): multidisciplinary care',
        'multidisciplinary',
        'warning',
      ),
    },
  },
  {
    patient: { id: 'augur-kfre-krt-planning', name: ['Karl', 'Tremaine'], gender: 'male', age: 60, ...white },
    title: '60-year-old man with CKD G4, eGFR 18, urine ACR 2,000 mg/g: KFRE 2-yr 55 %',
    covers: ['KFRE tier KRT planning (2-yr > 40 %): warning'],
    chart: (c) => {
      ckdPatient(c, 'ckd4', 140);
      kidneyLabs(c, 18, 2000);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-kidney-risk': risk(
        '2-year risk 55 % > 40 %: plan kidney replacement therapy',
        'krt-planning',
        'warning',
      ),
    },
  },
  {
    patient: { id: 'augur-kfre-low', name: ['Lena', 'Lowell'], gender: 'female', age: 75, ...white },
    title: '75-year-old woman with CKD G3a, eGFR 50, urine ACR 20 mg/g: KFRE 5-yr 0.5 %',
    covers: ['KFRE below every tier: no card'],
    chart: (c) => {
      ckdPatient(c, 'ckd3a', 128);
      kidneyLabs(c, 50, 20);
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: { 'augur-kidney-risk': 'KFRE 2-yr 0.2 %, 5-yr 0.5 %: below every tier' },
  },
  {
    patient: { id: 'augur-kfre-acr-missing', name: ['Alma', 'Cristo'], gender: 'female', age: 70, ...white },
    title: '70-year-old woman with CKD G3b, eGFR 38, no urine ACR on file',
    covers: ['urine ACR missing in CKD G3+: quiet card ordering it'],
    chart: (c) => {
      ckdPatient(c, 'ckd3b', 130);
      kidneyLabs(c, 38, null);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-kidney-risk': cards(
        'KFRE needs a urine ACR: one order fixes it',
        card({ card: 'kfre-acr-missing', indicator: 'info', band: 'g3b', suggestions: [URINE_ACR] }),
      ),
    },
  },
  {
    patient: { id: 'augur-kfre-referred', name: ['Ruth', 'Referred'], gender: 'male', age: 68, ...white },
    title: '68-year-old man as kfre-referral, with a nephrology referral already open',
    covers: ['open nephrology referral: the referral tier stays silent'],
    chart: (c) => {
      ckdPatient(c, 'ckd3b', 132);
      kidneyLabs(c, 41, 250);
      c.add({
        resourceType: 'ServiceRequest',
        id: c.nextId('servicerequest', 'nephrology'),
        status: 'active',
        intent: 'order',
        category: [{ coding: [{ system: SYSTEM.snomed, code: '3457005', display: 'Patient referral' }] }],
        code: {
          coding: [{ system: SYSTEM.snomed, code: '306125004', display: 'Referral to nephrology service' }],
        },
        subject: c.subject,
        authoredOn: c.clock.ago(10),
      });
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: {
      'augur-kidney-risk':
        'referral tier with an active nephrology referral: silent (cards/kidney.json whenReferred)',
    },
  },
  {
    patient: { id: 'augur-kfre-acr-stale', name: ['Stanley', 'Kidd'], gender: 'male', age: 66, ...white },
    title: '66-year-old man with CKD G3b, eGFR 35, urine ACR 400 mg/g measured 500 days ago',
    covers: ['stale urine ACR (> 1 year): risk card with a repeat-ACR suggestion'],
    chart: (c) => {
      ckdPatient(c, 'ckd3b', 134);
      kidneyLabs(c, 35, 400, { acrDaysAgo: 500 });
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-kidney-risk': risk(
        '5-year risk 14.9 % > 5 %; the ACR is stale, so a repeat is suggested too',
        'referral',
        'warning',
        [URINE_ACR],
      ),
    },
  },
  {
    patient: {
      id: 'augur-kfre-creatinine-umol',
      name: ['Ulrich', 'Moll'],
      gender: 'male',
      age: 72,
      ...white,
    },
    title: '72-year-old man with CKD G3b: creatinine only in µmol/L (170), no reported eGFR, ACR 300',
    covers: ['eGFR derived (CKD-EPI 2021) from a creatinine in µmol/L'],
    chart: (c) => {
      ckdPatient(c, 'ckd3b', 136);
      c.lab('14682-9', 170, 'umol/L', 30);
      c.lab('9318-7', 300, 'mg/g', 30);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-kidney-risk': risk(
        'creatinine 170 µmol/L = 1.92 mg/dL → eGFR 36 (CKD-EPI 2021); 5-yr risk > 5 %',
        'referral',
        'warning',
      ),
    },
  },
  {
    patient: { id: 'augur-kfre-egfr-normal', name: ['Nora', 'Normand'], gender: 'female', age: 50, ...white },
    title: '50-year-old woman with a CKD code but eGFR 72',
    covers: ['CKD coded, eGFR ≥ 60 (G1–G2): no card'],
    chart: (c) => {
      workup(c, { sbp: 124, heightCm: 166, weightKg: 70 });
      c.condition({ icd10: ['N18.2', 'Chronic kidney disease, stage 2 (mild)'], onsetDaysAgo: 800 });
      kidneyLabs(c, 72, 45);
      onStatin(c);
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: { 'augur-kidney-risk': 'eGFR 72 (G1–G2): KFRE is for G3–G5' },
  },
  {
    patient: { id: 'augur-kfre-egfr-expired', name: ['Edgar', 'Pastdue'], gender: 'male', age: 70, ...white },
    title: '70-year-old man with CKD G3b whose last eGFR is 400 days old (outside the 1-year lookback)',
    covers: ['eGFR older than the lookback: KFRE not estimated, no card'],
    chart: (c) => {
      ckdPatient(c, 'ckd3b', 134);
      kidneyLabs(c, 38, 300, { egfrDaysAgo: 400 });
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: {
      'augur-kidney-risk': 'no eGFR or creatinine in a year: KFRE and the CKD stage are unknown; no card',
    },
  },
  {
    patient: { id: 'augur-kfre-not-coded', name: ['Irene', 'Uncoded'], gender: 'female', age: 69, ...white },
    title: '69-year-old woman with eGFR 42 and ACR 200 but no CKD on the problem list',
    covers: ['CKD not coded: outside the KFRE population'],
    chart: (c) => {
      workup(c, { sbp: 130, heightCm: 163, weightKg: 70 });
      kidneyLabs(c, 42, 200);
      onStatin(c);
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: { 'augur-kidney-risk': 'no CKD Condition: KFRE requires coded CKD' },
  },
];

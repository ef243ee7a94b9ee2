/**
 * Cardiovascular panel: every PCE band, each statin rule (LDL-C ≥ 190, diabetes 40–75, PCE high and
 * intermediate), on a statin, above 75, missing / stale / expired lipids, missing or stale blood
 * pressure, an unreadable smoking status, and out of population (age, known ASCVD).
 * PCE values in the comments are the 2013 equations on the chart's latest values (models.md §1).
 */
import { card, cards, type PatientSpec } from '../spec.js';
import { LIPID_PANEL, STATIN, problem, takes, workup } from './common.js';

const white = { race: ['white' as const] };

export const CV: PatientSpec[] = [
  {
    patient: { id: 'augur-cv-low', name: ['Alice', 'Lowe'], gender: 'female', age: 45, ...white },
    title: '45-year-old woman, optimal values: PCE 0.4 % (low)',
    covers: ['PCE low band (no card)'],
    chart: (c) => {
      workup(c, {
        sbp: 112,
        dbp: 72,
        lipids: { tc: 180, hdl: 62, ldl: 100 },
        heightCm: 165,
        weightKg: 62,
        creatinine: 0.8,
      });
    },
    noCard: {
      'augur-cardiovascular-risk': 'PCE 0.4 % — low band: no card (cards/cardiovascular.json bandPolicy.low)',
    },
  },
  {
    patient: { id: 'augur-cv-borderline', name: ['Bruno', 'Borden'], gender: 'male', age: 56, ...white },
    title: '56-year-old man, untreated SBP 128, TC 200, HDL 52: PCE 5.9 % (borderline)',
    covers: ['PCE borderline band: info card, no statin draft'],
    chart: (c) => {
      workup(c, {
        sbp: 128,
        lipids: { tc: 200, hdl: 52, ldl: 125 },
        heightCm: 178,
        weightKg: 84,
        creatinine: 1.0,
      });
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'borderline risk: a risk discussion, no draft (risk enhancers are not reliably coded)',
        card({ card: 'cv-risk', indicator: 'info', band: 'borderline', suggestions: [] }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-intermediate', name: ['Carl', 'Medina'], gender: 'male', age: 60, ...white },
    title: '60-year-old man on lisinopril, SBP 140, TC 210, HDL 45, LDL-C 130: PCE 13.1 % (intermediate)',
    covers: [
      'PCE intermediate band',
      'statin rule pce-intermediate: moderate-intensity atorvastatin 20 mg draft',
    ],
    chart: (c) => {
      workup(c, {
        sbp: 140,
        dbp: 86,
        lipids: { tc: 210, hdl: 45, ldl: 130 },
        heightCm: 176,
        weightKg: 88,
        creatinine: 1.0,
      });
      takes(c, 'lisinopril20');
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'intermediate risk, LDL-C 70–189, age 40–75: moderate-intensity statin (Class I)',
        card({
          card: 'cv-statin-suggestion',
          indicator: 'warning',
          band: 'intermediate',
          suggestions: [STATIN.moderate],
        }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-high', name: ['Harold', 'Hightower'], gender: 'male', age: 65, ...white },
    title: '65-year-old male smoker on amlodipine, SBP 150, TC 230, HDL 40: PCE 31.6 % (high)',
    covers: ['PCE high band', 'statin rule pce-high: high-intensity atorvastatin 40 mg draft'],
    chart: (c) => {
      workup(c, {
        sbp: 150,
        dbp: 90,
        smoking: 'current',
        lipids: { tc: 230, hdl: 40, ldl: 150 },
        heightCm: 180,
        weightKg: 92,
        creatinine: 1.1,
      });
      takes(c, 'amlodipine5');
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'high risk, LDL-C 70–189, age 40–75: high-intensity statin (Class I)',
        card({
          card: 'cv-statin-suggestion',
          indicator: 'warning',
          band: 'high',
          suggestions: [STATIN.high],
        }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-severe-ldl', name: ['Frank', 'Fields'], gender: 'male', age: 50, ...white },
    title: '50-year-old man with LDL-C 205 mg/dL (possible familial hypercholesterolaemia)',
    covers: ['statin rule severe-ldl (LDL-C ≥ 190): high intensity without risk calculation'],
    chart: (c) => {
      workup(c, {
        sbp: 125,
        lipids: { tc: 290, hdl: 45, ldl: 205 },
        heightCm: 181,
        weightKg: 86,
        creatinine: 0.9,
      });
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'LDL-C ≥ 190 mg/dL, age 20–75: high-intensity statin without risk calculation; the PCE does not apply (no band)',
        card({ card: 'cv-statin-suggestion', indicator: 'warning', suggestions: [STATIN.high] }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-diabetes', name: ['Diana', 'Sweet'], gender: 'female', age: 52, ...white },
    title: '52-year-old woman with type 2 diabetes, LDL-C 110: PCE 2.5 % (low)',
    covers: ['statin rule diabetes 40–75 (moderate intensity) whatever the PCE band'],
    chart: (c) => {
      workup(c, {
        sbp: 122,
        dbp: 76,
        lipids: { tc: 190, hdl: 55, ldl: 110 },
        heightCm: 163,
        weightKg: 79,
        creatinine: 0.8,
        hba1c: 7.1,
      });
      problem(c, 'diabetes2', 1500);
      takes(c, 'metformin500', 1400, '1 tablet by mouth twice daily');
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'diabetes, age 40–75, LDL-C ≥ 70: moderate-intensity statin (Class I); the card keeps the PCE band (low)',
        card({
          card: 'cv-statin-suggestion',
          indicator: 'warning',
          band: 'low',
          suggestions: [STATIN.moderate],
        }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-on-statin', name: ['Oscar', 'Stanton'], gender: 'male', age: 62, ...white },
    title: '62-year-old man on atorvastatin 40 mg and lisinopril: PCE 15 % on treated lipids',
    covers: ['already on a statin (MedicationRequest): no risk card'],
    chart: (c) => {
      workup(c, {
        sbp: 138,
        lipids: { tc: 215, hdl: 44, ldl: 120 },
        heightCm: 174,
        weightKg: 85,
        creatinine: 1.0,
      });
      takes(c, 'atorvastatin40');
      takes(c, 'lisinopril20');
    },
    noCard: {
      'augur-cardiovascular-risk':
        'on a statin: the decision the PCE informs is made (cards/cardiovascular.json pce.showWhenOnStatin)',
    },
  },
  {
    patient: { id: 'augur-cv-over-75', name: ['Walter', 'Olds'], gender: 'male', age: 77, ...white },
    title: '77-year-old man on lisinopril, SBP 145: PCE 39.8 % (high), above the statin rules’ 75',
    covers: ['PCE high band above 75: info card without a statin draft'],
    chart: (c) => {
      workup(c, {
        sbp: 145,
        lipids: { tc: 220, hdl: 45, ldl: 140 },
        heightCm: 172,
        weightKg: 80,
        creatinine: 1.1,
      });
      takes(c, 'lisinopril20');
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'above 75 the statin rules do not apply (IIb, clinical assessment): the band as an info card, no draft',
        card({ card: 'cv-risk', indicator: 'info', band: 'high', suggestions: [] }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-lipids-missing', name: ['Leo', 'Nolan'], gender: 'male', age: 55, ...white },
    title: '55-year-old man with no lipid panel on file',
    covers: ['lipids missing: quiet lipid-panel order card; no risk card (PCE not estimated)'],
    chart: (c) => {
      workup(c, { sbp: 130, heightCm: 177, weightKg: 83, creatinine: 0.9 });
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'no lipids in 5 years: the one missing input an order fixes; the PCE cannot run',
        card({ card: 'cv-lipids-missing', indicator: 'info', suggestions: [LIPID_PANEL] }),
      ),
    },
  },
  {
    patient: {
      id: 'augur-cv-calculated-ldl',
      name: ['Calvin', 'Sampson'],
      gender: 'male',
      age: 63,
      ...white,
    },
    title:
      '63-year-old treated smoker with diabetes, SBP 158, TC 240, HDL 38, TG 180, no LDL-C reported: PCE 54.8 % (high)',
    covers: [
      'LDL-C calculated by Augur (Sampson/NIH: 169 mg/dL) when the lab reported none; the statin rules apply to it',
      'statin rule diabetes-high-risk: high-intensity atorvastatin 40 mg draft',
    ],
    chart: (c) => {
      workup(c, {
        sbp: 158,
        dbp: 88,
        smoking: 'current',
        lipids: { tc: 240, hdl: 38, tg: 180 },
        heightCm: 178,
        weightKg: 95,
        creatinine: 1.0,
        hba1c: 7.8,
      });
      problem(c, 'diabetes2', 2000);
      takes(c, 'lisinopril20');
      takes(c, 'metformin500', 1900, '1 tablet by mouth twice daily');
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'TC, HDL and TG from last month, no LDL-C reported: Augur calculates LDL-C 169 (Sampson/NIH); diabetes with PCE ≥ 20 %: high-intensity statin (IIa on intensity, Class I statin)',
        card({
          card: 'cv-statin-suggestion',
          indicator: 'warning',
          band: 'high',
          suggestions: [STATIN.high],
        }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-no-tg', name: ['Norman', 'Tiggs'], gender: 'male', age: 63, ...white },
    title:
      '63-year-old treated smoker with diabetes, SBP 158, TC 240 and HDL 38 last month but no LDL-C and no triglycerides: PCE 54.8 % (high)',
    covers: [
      'LDL-C neither reported nor calculable (no triglycerides): ONE card that says what is missing and orders the lipid panel, not a risk card plus a contradicting lipid card',
    ],
    chart: (c) => {
      workup(c, {
        sbp: 158,
        dbp: 88,
        smoking: 'current',
        lipids: { tc: 240, hdl: 38 },
        heightCm: 178,
        weightKg: 95,
        creatinine: 1.0,
        hba1c: 7.8,
      });
      problem(c, 'diabetes2', 2000);
      takes(c, 'lisinopril20');
      takes(c, 'metformin500', 1900, '1 tablet by mouth twice daily');
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'the risk was estimated from TC and HDL, but the statin rules need LDL-C, which cannot be calculated without triglycerides: one info card (cannot-estimate) carrying the lipid-panel order',
        card({ card: 'cv-risk', indicator: 'info', band: 'high', suggestions: [LIPID_PANEL] }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-lipids-stale', name: ['Stella', 'Oldfield'], gender: 'male', age: 60, ...white },
    title: '60-year-old man (as cv-intermediate) whose lipids are 500 days old',
    covers: ['stale lipids (> 1 year): risk card without the draft + lipid-panel card'],
    chart: (c) => {
      workup(c, {
        sbp: 140,
        dbp: 86,
        lipids: { tc: 210, hdl: 45, ldl: 130, daysAgo: 500 },
        heightCm: 176,
        weightKg: 88,
        creatinine: 1.0,
      });
      takes(c, 'lisinopril20', 900);
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'stale lipids: the band is shown (flagged) but the statin draft waits for a fresh panel, which the second card orders',
        card({ card: 'cv-risk', indicator: 'info', band: 'intermediate', suggestions: [] }),
        card({ card: 'cv-lipids-missing', indicator: 'info', suggestions: [LIPID_PANEL] }),
      ),
    },
  },
  {
    patient: {
      id: 'augur-cv-lipids-expired',
      name: ['Ernest', 'Longago'],
      gender: 'male',
      age: 59,
      ...white,
    },
    title: '59-year-old man whose only lipid panel is 2,000 days old (outside the 5-year lookback)',
    covers: ['lipids older than the lookback count as missing'],
    chart: (c) => {
      workup(c, {
        sbp: 132,
        lipids: { tc: 220, hdl: 44, ldl: 140, daysAgo: 2000 },
        heightCm: 179,
        weightKg: 90,
        creatinine: 1.0,
      });
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'the 2,000-day-old panel is outside the 1,825-day lookback: lipids missing',
        card({ card: 'cv-lipids-missing', indicator: 'info', suggestions: [LIPID_PANEL] }),
      ),
    },
  },
  {
    patient: { id: 'augur-cv-bp-missing', name: ['Bernard', 'Cuffless'], gender: 'male', age: 58, ...white },
    title: '58-year-old man with fresh lipids but no blood pressure on file',
    covers: ['systolic BP missing: PCE not estimated, no card (nothing to order at patient-view)'],
    chart: (c) => {
      c.smoking('never', 30);
      c.lipids({ tc: 205, hdl: 47, ldl: 128, daysAgo: 21 });
      c.lab('2160-0', 1.0, 'mg/dL', 21);
    },
    noCard: {
      'augur-cardiovascular-risk':
        'no systolic BP in a year: the PCE refuses to run and a missing BP is not an order (card data rationale.missingData)',
    },
  },
  {
    patient: {
      id: 'augur-cv-bp-stale',
      name: ['Beatrice', 'Waters'],
      gender: 'female',
      age: 58,
      race: ['black'],
    },
    title:
      '58-year-old Black woman on lisinopril whose latest BP (146) is 250 days old: PCE 10.7 % (AA equations)',
    covers: ['stale BP (> 180 days) is used and flagged', 'African-American PCE equations'],
    chart: (c) => {
      workup(c, {
        sbp: 146,
        bpDaysAgo: 250,
        lipids: { tc: 220, hdl: 48, ldl: 140 },
        heightCm: 167,
        weightKg: 81,
        creatinine: 0.9,
      });
      takes(c, 'lisinopril20', 700);
    },
    expect: {
      'augur-cardiovascular-risk': cards(
        'a stale BP is flagged but still used; intermediate band with the moderate-intensity draft',
        card({
          card: 'cv-statin-suggestion',
          indicator: 'warning',
          band: 'intermediate',
          suggestions: [STATIN.moderate],
        }),
      ),
    },
  },
  {
    patient: {
      id: 'augur-cv-smoking-unreadable',
      name: ['Samuel', 'Ashby'],
      gender: 'male',
      age: 57,
      ...white,
    },
    title: '57-year-old man whose smoking status is coded "consumption unknown" (an answer Augur cannot map)',
    covers: ['unreadable coded input (smoking status): PCE not estimated, no card'],
    chart: (c) => {
      workup(c, {
        sbp: 134,
        smoking: 'unknown',
        lipids: { tc: 205, hdl: 47, ldl: 128 },
        heightCm: 175,
        weightKg: 82,
        creatinine: 1.0,
      });
    },
    noCard: {
      'augur-cardiovascular-risk':
        'smoking status answer not mapped (uninterpretable): the PCE refuses to run; lipids are complete, so no lipid card either',
    },
  },
  {
    patient: { id: 'augur-cv-too-old', name: ['Agnes', 'Elder'], gender: 'female', age: 82, ...white },
    title: '82-year-old woman with hypertension',
    covers: ['out of population by age (above 79)'],
    chart: (c) => {
      workup(c, {
        sbp: 150,
        lipids: { tc: 230, hdl: 55, ldl: 140 },
        heightCm: 158,
        weightKg: 60,
        creatinine: 1.0,
      });
      problem(c, 'hypertension', 5000);
      takes(c, 'amlodipine5', 3000);
    },
    noCard: {
      'augur-cardiovascular-risk': 'age 82: outside the PCE (40–79) and PREVENT (30–79) populations',
    },
  },
  {
    patient: { id: 'augur-cv-too-young', name: ['Tyler', 'Young'], gender: 'male', age: 25, ...white },
    title: '25-year-old man with ordinary lipids',
    covers: ['out of population by age (below 30)'],
    chart: (c) => {
      workup(c, {
        sbp: 118,
        lipids: { tc: 190, hdl: 50, ldl: 120 },
        heightCm: 183,
        weightKg: 78,
        creatinine: 0.9,
      });
    },
    noCard: {
      'augur-cardiovascular-risk': 'age 25: outside the PCE (40–79) and PREVENT (30–79) populations',
    },
  },
  {
    patient: { id: 'augur-cv-known-ascvd', name: ['Martin', 'Hart'], gender: 'male', age: 60, ...white },
    title: '60-year-old man with an old myocardial infarction (ICD-10-CM I25.2 only)',
    covers: ['out of population: known ASCVD (secondary prevention)', 'Condition coded only in ICD-10-CM'],
    chart: (c) => {
      workup(c, {
        sbp: 140,
        lipids: { tc: 210, hdl: 45, ldl: 130 },
        heightCm: 176,
        weightKg: 88,
        creatinine: 1.0,
      });
      problem(c, 'oldMi', 2000, 'icd10');
    },
    noCard: {
      'augur-cardiovascular-risk':
        'known ASCVD (old MI): secondary prevention, outside the primary-prevention models',
    },
  },
];

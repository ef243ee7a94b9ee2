/**
 * Atrial fibrillation panel: CHA₂DS₂-VASc recommended / considered / below for men and women, the
 * apixaban dose rule (5 mg, 2.5 mg with two criteria, one criterion is not enough, "review" when a
 * missing weight could decide, creatinine > 2.5), no DOAC with a mechanical valve or on dialysis, and
 * HAS-BLED ≥ 3 with modifiable factors for a patient already anticoagulated.
 */
import { card, cards, type PatientSpec } from '../spec.js';
import { APIXABAN, onStatin, onStatinNoCard, problem, takes, workup } from './common.js';

const white = { race: ['white' as const] };
const recommended = (why: string, suggestion: string | null): ReturnType<typeof cards> =>
  cards(
    why,
    card({
      card: 'af-anticoagulation',
      indicator: 'warning',
      band: 'recommended',
      suggestions: suggestion === null ? [] : [suggestion],
    }),
  );
const considered = (why: string): ReturnType<typeof cards> =>
  cards(
    why,
    card({
      card: 'af-anticoagulation',
      indicator: 'info',
      band: 'considered',
      suggestions: [APIXABAN.standard],
    }),
  );
const TOO_OLD_FOR_CV = 'age ≥ 80: outside the PCE and PREVENT populations';

export const AF: PatientSpec[] = [
  {
    patient: { id: 'augur-af-male-recommended', name: ['Arthur', 'Fibb'], gender: 'male', age: 70, ...white },
    title: '70-year-old man with AF and hypertension, 82 kg, creatinine 1.0: CHA₂DS₂-VASc 2',
    covers: ['CHA₂DS₂-VASc recommended (man, ≥ 2)', 'apixaban 5 mg (no dose-reduction criterion)'],
    chart: (c) => {
      workup(c, { sbp: 134, heightCm: 178, weightKg: 82, creatinine: 1.0 });
      problem(c, 'af', 400);
      problem(c, 'hypertension', 3000);
      takes(c, 'lisinopril20', 2500);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': recommended(
        'score 2 in a man: anticoagulation recommended; no criterion for 2.5 mg',
        APIXABAN.standard,
      ),
    },
  },
  {
    patient: { id: 'augur-af-male-considered', name: ['Albert', 'Quinn'], gender: 'male', age: 60, ...white },
    title: '60-year-old man with AF and hypertension: CHA₂DS₂-VASc 1',
    covers: ['CHA₂DS₂-VASc considered (man, 1): info card, draft not recommended'],
    chart: (c) => {
      workup(c, { sbp: 128, heightCm: 180, weightKg: 90, creatinine: 0.9 });
      problem(c, 'af', 200);
      problem(c, 'hypertension', 2000);
      takes(c, 'losartan50', 1900);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': considered(
        'score 1 in a man: anticoagulation reasonable to consider (class 2a)',
      ),
    },
  },
  {
    patient: { id: 'augur-af-male-low', name: ['Adam', 'Lowry'], gender: 'male', age: 52, ...white },
    title: '52-year-old man with lone AF: CHA₂DS₂-VASc 0',
    covers: ['CHA₂DS₂-VASc below "considered" (man, 0): no card'],
    chart: (c) => {
      workup(c, { sbp: 124, heightCm: 182, weightKg: 85, creatinine: 0.9 });
      problem(c, 'af', 150);
      onStatin(c);
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: { 'augur-atrial-fibrillation': 'CHA₂DS₂-VASc 0 in a man: below "considered", nothing to act on' },
  },
  {
    patient: {
      id: 'augur-af-female-recommended',
      name: ['Edith', 'Fairweather'],
      gender: 'female',
      age: 82,
      ...white,
    },
    title: '82-year-old woman with AF and hypertension, 55 kg: CHA₂DS₂-VASc 4',
    covers: ['CHA₂DS₂-VASc recommended (woman, ≥ 3)', 'apixaban 2.5 mg (age ≥ 80 and weight ≤ 60 kg)'],
    chart: (c) => {
      workup(c, { sbp: 136, heightCm: 158, weightKg: 55, creatinine: 1.1 });
      problem(c, 'af', 300);
      problem(c, 'hypertension', 6000);
      takes(c, 'amlodipine5', 5000);
    },
    noCard: { 'augur-cardiovascular-risk': TOO_OLD_FOR_CV },
    expect: {
      'augur-atrial-fibrillation': recommended(
        'score 4 in a woman; two of age ≥ 80, weight ≤ 60 kg, creatinine ≥ 1.5 → 2.5 mg',
        APIXABAN.reduced,
      ),
    },
  },
  {
    patient: {
      id: 'augur-af-female-considered',
      name: ['Flora', 'Conway'],
      gender: 'female',
      age: 67,
      ...white,
    },
    title: '67-year-old woman with AF: CHA₂DS₂-VASc 2 (age 65–74, female)',
    covers: ['CHA₂DS₂-VASc considered (woman, 2)'],
    chart: (c) => {
      workup(c, { sbp: 126, heightCm: 164, weightKg: 68, creatinine: 0.8 });
      problem(c, 'af', 120);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': considered(
        'score 2 in a woman: anticoagulation reasonable to consider (class 2a)',
      ),
    },
  },
  {
    patient: { id: 'augur-af-female-low', name: ['Fiona', 'Little'], gender: 'female', age: 58, ...white },
    title: '58-year-old woman with AF and no other criterion: CHA₂DS₂-VASc 1 (female sex only)',
    covers: ['CHA₂DS₂-VASc below "considered" (woman, 1): no card'],
    chart: (c) => {
      workup(c, { sbp: 118, heightCm: 168, weightKg: 64, creatinine: 0.7 });
      problem(c, 'af', 90);
      onStatin(c);
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: { 'augur-atrial-fibrillation': 'CHA₂DS₂-VASc 1 in a woman (sex alone): below "considered"' },
  },
  {
    patient: {
      id: 'augur-af-dose-one-criterion',
      name: ['Otto', 'Oneway'],
      gender: 'male',
      age: 83,
      ...white,
    },
    title: '83-year-old man with AF, 78 kg, creatinine 1.2: one dose-reduction criterion (age)',
    covers: ['apixaban rule: one criterion is not enough → 5 mg'],
    chart: (c) => {
      workup(c, { sbp: 130, heightCm: 172, weightKg: 78, creatinine: 1.2 });
      problem(c, 'af', 500);
    },
    noCard: { 'augur-cardiovascular-risk': TOO_OLD_FOR_CV },
    expect: {
      'augur-atrial-fibrillation': recommended(
        'score 2 (age ≥ 75); only age ≥ 80 met → 5 mg',
        APIXABAN.standard,
      ),
    },
  },
  {
    patient: {
      id: 'augur-af-dose-review',
      name: ['Reginald', 'Unweighed'],
      gender: 'male',
      age: 81,
      ...white,
    },
    title: '81-year-old man with AF and hypertension, creatinine 1.0, no weight on file',
    covers: ['apixaban rule: missing weight could decide → "review" draft of the ingredient, no dose'],
    chart: (c) => {
      workup(c, { sbp: 132, creatinine: 1.0 });
      problem(c, 'af', 250);
      problem(c, 'hypertension', 4000);
      takes(c, 'amlodipine5', 3500);
    },
    noCard: { 'augur-cardiovascular-risk': TOO_OLD_FOR_CV },
    expect: {
      'augur-atrial-fibrillation': recommended(
        'age ≥ 80 met, weight unknown: it decides the dose, so no dose is guessed',
        APIXABAN.review,
      ),
    },
  },
  {
    patient: {
      id: 'augur-af-creatinine-high',
      name: ['Clara', 'Renner'],
      gender: 'female',
      age: 72,
      ...white,
    },
    title: '72-year-old woman with AF and hypertension, creatinine 2.8 mg/dL',
    covers: ['apixaban rule: creatinine > 2.5 (ARISTOTLE exclusion) → "review" without a dose'],
    chart: (c) => {
      workup(c, { sbp: 138, heightCm: 160, weightKg: 70, creatinine: 2.8 });
      problem(c, 'af', 180);
      problem(c, 'hypertension', 3000);
      takes(c, 'amlodipine5', 2800);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': recommended(
        'score 3 in a woman; creatinine 2.8 > 2.5: check creatinine clearance, no dose',
        APIXABAN.review,
      ),
    },
  },
  {
    patient: {
      id: 'augur-af-mechanical-valve',
      name: ['Victor', 'Valverde'],
      gender: 'male',
      age: 70,
      ...white,
    },
    title: '70-year-old man with AF, hypertension and a prosthetic heart valve, not anticoagulated',
    covers: ['no DOAC with a mechanical valve: card without a draft, saying why'],
    chart: (c) => {
      workup(c, { sbp: 130, heightCm: 176, weightKg: 80, creatinine: 1.0 });
      problem(c, 'af', 365);
      problem(c, 'hypertension', 3000);
      problem(c, 'mechanicalValve', 2000);
      takes(c, 'lisinopril20', 2500);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': recommended(
        'score 2; prosthetic valve: no DOAC dose is Augur’s to suggest (warfarin is the anticoagulant)',
        null,
      ),
    },
  },
  {
    patient: { id: 'augur-af-dialysis', name: ['Dale', 'Dial'], gender: 'male', age: 66, ...white },
    title: '66-year-old man with AF, hypertension and end-stage renal disease on dialysis',
    covers: ['no DOAC on dialysis: card without a draft', 'KFRE out of population (dialysis)'],
    chart: (c) => {
      workup(c, { sbp: 142, heightCm: 175, weightKg: 77, creatinine: 6.5 });
      problem(c, 'af', 200);
      problem(c, 'hypertension', 5000);
      problem(c, 'esrd', 900);
      problem(c, 'dialysis', 880);
      takes(c, 'amlodipine5', 3000);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': recommended(
        'score 2; dialysis: no DOAC dose suggested (ARISTOTLE excluded it)',
        null,
      ),
    },
    noCard: { 'augur-kidney-risk': 'on dialysis: outside the KFRE population' },
  },
  {
    patient: { id: 'augur-af-bleeding-risk', name: ['Bill', 'Bleddyn'], gender: 'male', age: 74, ...white },
    title: '74-year-old man with AF on apixaban, taking ibuprofen, SBP 172: HAS-BLED 3',
    covers: ['HAS-BLED ≥ 3 with modifiable factors (uncontrolled BP, NSAID) on an anticoagulant'],
    chart: (c) => {
      workup(c, { sbp: 172, dbp: 94, heightCm: 177, weightKg: 84, creatinine: 1.1 });
      problem(c, 'af', 700);
      problem(c, 'hypertension', 4000);
      problem(c, 'osteoarthritis', 1500);
      takes(c, 'apixaban5', 650, '1 tablet by mouth twice daily');
      takes(c, 'ibuprofen600', 60, '1 tablet by mouth three times daily as needed');
      takes(c, 'amlodipine5', 3000);
      onStatin(c);
    },
    expect: {
      'augur-cardiovascular-risk': onStatinNoCard,
      'augur-atrial-fibrillation': cards(
        'anticoagulated, HAS-BLED 3 (SBP > 160, NSAID, age > 65): name the modifiable factors; not a reason to stop',
        card({ card: 'af-bleeding-risk', indicator: 'warning', band: 'high', suggestions: [] }),
      ),
    },
  },
  {
    patient: {
      id: 'augur-af-on-warfarin',
      name: ['Winifred', 'Stable'],
      gender: 'female',
      age: 76,
      ...white,
    },
    title: '76-year-old woman with AF on warfarin, SBP 128: HAS-BLED 1',
    covers: ['anticoagulated, HAS-BLED < 3: no card'],
    chart: (c) => {
      workup(c, { sbp: 128, heightCm: 162, weightKg: 66, creatinine: 0.9 });
      problem(c, 'af', 1200);
      takes(c, 'warfarin5', 1100);
      onStatin(c);
    },
    expect: { 'augur-cardiovascular-risk': onStatinNoCard },
    noCard: { 'augur-atrial-fibrillation': 'anticoagulated (warfarin) and HAS-BLED 1: nothing to act on' },
  },
];

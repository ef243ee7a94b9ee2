/**
 * augur-cardiovascular-risk end to end through HTTP (signed JWT, real store, complete prefetch): every
 * PCE band, the statin draft shown and withheld, every missing-data branch, out-of-population patients,
 * PREVENT 30-year only up to 59, and the published PCE example. Summaries are written out in full:
 * they are what the clinician reads.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedicationRequest, ServiceRequest } from 'fhir/r4.js';
import { cardsDir } from '../../../src/cards/data.js';
import { responseViolations } from '../../../src/cds/card-invariants.js';
import {
  CARDIOVASCULAR_FILE,
  type CardiovascularCards,
} from '../../../src/services/cardiovascular/card-data.js';
import { cardiovascularService } from '../../../src/services/cardiovascular/service.js';
import { startServiceApp, type ServiceApp } from '../../support/services.js';
import { aPatientViewRequest } from '../../support/hook-requests.js';
import { aCvPatient, ANCIENT, NOW, prefetchOf, STALE, type CvPatientOptions } from './builders.js';
import { call, runOf, storedResult, suggested, suggestedCodes, summaries, withPrefetch } from './harness.js';

let t: ServiceApp;
beforeAll(async () => {
  t = await startServiceApp((deps) => [cardiovascularService(deps)], { now: () => NOW });
});
afterAll(() => t.close());

const cardsFor = (o: CvPatientOptions) => withPrefetch(t, aCvPatient(o));

/** 60-year-old man, treated SBP 140: PCE 12.3 % (intermediate). */
const INTERMEDIATE: Omit<CvPatientOptions, 'id'> = { age: 60, race: 'white', sbp: 140, bpTreated: true };

describe('PCE bands (2018 AHA/ACC: < 5 low, 5–7.5 borderline, 7.5–20 intermediate, ≥ 20 high)', () => {
  it('low (< 5 %) with complete, fresh data: no card', async () => {
    expect(await cardsFor({ id: 'band-low', age: 55, sex: 'female', race: 'white' })).toEqual([]);
  });

  it('borderline: a quiet info card, no statin draft (IIb, depends on risk enhancers)', async () => {
    const cards = await cardsFor({ id: 'band-borderline', age: 55, race: 'white' });
    expect(summaries(cards)).toEqual(['10-yr ASCVD risk 5.4 % — borderline (PCE)']);
    expect(cards[0]?.indicator).toBe('info');
    expect(cards[0]?.suggestions).toBeUndefined();
    expect(cards[0]?.detail).toContain('risk-enhancing factors');
  });

  it('intermediate, not on a statin: warning with a moderate-intensity atorvastatin draft', async () => {
    const cards = await cardsFor({ id: 'band-intermediate', ...INTERMEDIATE });
    expect(summaries(cards)).toEqual([
      '10-yr ASCVD risk 12.3 % — intermediate (PCE); moderate-intensity statin recommended',
    ]);
    expect(cards[0]?.indicator).toBe('warning');
    expect(suggestedCodes(cards[0])).toEqual(['rxnorm:617310']);
    expect(cards[0]?.suggestions?.[0]?.label).toBe(
      'Start atorvastatin 20 mg daily (moderate-intensity statin)',
    );
  });

  it('high: warning with a high-intensity atorvastatin draft', async () => {
    const cards = await cardsFor({ id: 'band-high', age: 65, race: 'white', sbp: 150, smoker: true });
    expect(summaries(cards)).toEqual([
      '10-yr ASCVD risk 23.3 % — high (PCE); high-intensity statin recommended',
    ]);
    expect(cards[0]?.indicator).toBe('warning');
    expect(suggestedCodes(cards[0])).toEqual(['rxnorm:617311']);
  });

  it('every response passes the CDS Hooks card invariants (checked explicitly here)', async () => {
    const res = await call(
      t,
      aPatientViewRequest({
        patientId: 'inv',
        prefetch: prefetchOf(aCvPatient({ id: 'inv', ...INTERMEDIATE })),
      }),
    );
    expect(responseViolations({ cards: res })).toEqual([]);
    const lipids = await cardsFor({ id: 'inv-lipids', age: 50, tc: null, hdl: null, ldl: null });
    expect(responseViolations({ cards: lipids })).toEqual([]);
  });
});

describe('the card itself', () => {
  it('detail for 10 seconds: guideline reading, top inputs under the named reference, flags, where the rest is', async () => {
    const [card] = await cardsFor({ id: 'detail', ...INTERMEDIATE, race: undefined });
    expect(card?.detail).toBe(
      [
        'Intermediate risk (7.5–20 %): if a risk discussion favours statin therapy, start a moderate-intensity statin (Class I); risk enhancers favour it, and a coronary artery calcium score can help when the decision is uncertain (IIa).',
        '**LDL-C:** 130 mg/dL (2026-09-01)',
        '**Guideline:** 10-year risk 7.5–20 %, LDL-C 70–189 mg/dL, age 40–75: moderate-intensity statin if a risk discussion favours it (Class I).',
        [
          '**What drives the PCE risk, compared with a 55-year-old non-smoking White woman with optimal values (total cholesterol 170, HDL 50 mg/dL, untreated SBP 110 mmHg, no diabetes) (1.4 %):**',
          '- Sex male: adds 4.1 percentage points',
          '- Age 60 y: adds 2.4 percentage points',
          '- Systolic BP 140 mmHg (2026-09-01): adds 2.3 percentage points',
        ].join('\n'),
        '**Check these inputs**\n- Race (equation choice): missing',
        'PREVENT risk, every input and the model citations: Full explanation (Augur).',
      ].join('\n\n'),
    );
    // Secondary models and citations live in the side app, not on the card.
    expect(card?.detail).not.toContain('PREVENT\n');
    expect(card?.detail).not.toContain('Pooled Cohort Equations');
    expect(card?.detail).not.toContain('1966'); // no birth date as a "date"
  });

  it('source with guideline URL and topic, override reasons with display, smart link with an opaque id only', async () => {
    const [card] = await cardsFor({ id: 'parts', ...INTERMEDIATE });
    expect(card?.source).toEqual({
      label: '2018 AHA/ACC Cholesterol Guideline (statin therapy)',
      url: 'https://doi.org/10.1161/CIR.0000000000000625',
      topic: {
        system: 'http://loinc.org',
        code: '79423-0',
        display: 'Cardiovascular disease 10Y risk [Likelihood] ACC-AHA Pooled Cohort by Goff 2013',
      },
    });
    expect(card?.overrideReasons?.map((r) => r.display)).toContain(
      'Patient declines a statin after risk discussion',
    );
    expect(card?.selectionBehavior).toBe('at-most-one');
    expect(card?.links).toEqual([
      {
        label: 'Full explanation (Augur)',
        url: 'https://augur.test/smart-launch/launch.html',
        type: 'smart',
        appContext: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown,
      },
    ]);
  });

  it('the statin draft is a complete MedicationRequest: draft, proposal, subject, RxNorm with display, daily dose', async () => {
    const [card] = await cardsFor({ id: 'draft', ...INTERMEDIATE });
    const [med] = suggested(card) as MedicationRequest[];
    expect(med).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      intent: 'proposal',
      subject: { reference: 'Patient/draft' },
      medicationCodeableConcept: {
        coding: [
          {
            system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
            code: '617310',
            display: 'atorvastatin 20 MG Oral Tablet',
          },
        ],
      },
      dosageInstruction: [
        {
          timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: { value: 20, unit: 'mg', code: 'mg' } }],
        },
      ],
    });
    expect(card?.suggestions?.[0]?.actions?.[0]?.description).toBe(
      'Draft order: atorvastatin 20 MG Oral Tablet, atorvastatin 20 mg by mouth once daily (moderate-intensity statin; Grundy 2018, primary prevention)',
    );
  });

  it('the stored result holds every run with inputs and provenance, outputs, contributions, versions, reasons', async () => {
    const [card] = await cardsFor({ id: 'stored', ...INTERMEDIATE });
    const payload = await storedResult(t, card);
    expect(payload.serviceId).toBe('augur-cardiovascular-risk');
    expect(payload.card).toEqual({
      key: 'cv-risk:pce=intermediate;statin=moderate',
      summary: card?.summary,
      indicator: 'warning',
      band: 'intermediate',
    });
    const pce = runOf(payload, 'ascvd-pce-10y');
    if (pce.status !== 'ok') throw new Error('PCE should have run');
    expect(pce.model.version).toBe('1.0.0');
    expect(pce.outputs['risk_10y']).toBeCloseTo(0.1235, 3);
    expect(pce.inputs['systolic_bp_mm_hg']).toMatchObject({ value: 140, date: '2026-09-01' });
    expect(pce.explanation.contributions.length).toBeGreaterThan(0);
    const thirty = runOf(payload, 'prevent-30y');
    expect(thirty).toMatchObject({ status: 'not-applicable', reason: 'age 60 is outside 30–59 years' });
    expect(pce.inputs['age_years']).toMatchObject({ value: 60, source: 'Patient/stored' });
    expect(JSON.stringify(payload)).not.toContain('1966-05'); // no birth date (nor name, nor token)
  });
});

describe('the statin draft: shown only when the guideline supports it and no statin is active', () => {
  it('already on a statin: no card (the decision is made; treated lipids understate the PCE)', async () => {
    expect(await cardsFor({ id: 'on-statin', ...INTERMEDIATE, onStatin: true })).toEqual([]);
    expect(
      await cardsFor({
        id: 'on-statin-high',
        age: 65,
        race: 'white',
        sbp: 150,
        smoker: true,
        onStatin: true,
      }),
    ).toEqual([]);
  });

  it('on a statin with stale lipids: only the lipid-panel card', async () => {
    const cards = await cardsFor({
      id: 'on-statin-stale',
      ...INTERMEDIATE,
      onStatin: true,
      lipidDate: STALE,
    });
    expect(summaries(cards)).toEqual([
      'Lipids last measured 2024-06-01 (stale) — repeat the lipid panel to update cardiovascular risk',
    ]);
  });

  it('a site that shows the risk card on a statin (pce.showWhenOnStatin) gets info, no draft, and why the PCE reads low', async () => {
    const data = JSON.parse(
      readFileSync(join(cardsDir(), CARDIOVASCULAR_FILE), 'utf8'),
    ) as CardiovascularCards;
    data.pce.showWhenOnStatin = true;
    const dir = mkdtempSync(join(tmpdir(), 'augur-cv-'));
    const file = join(dir, 'cardiovascular.json');
    writeFileSync(file, JSON.stringify(data));
    const app = await startServiceApp((deps) => [cardiovascularService(deps, { file })], { now: () => NOW });
    try {
      const cards = await withPrefetch(
        app,
        aCvPatient({ id: 'on-statin-shown', ...INTERMEDIATE, onStatin: true }),
      );
      expect(summaries(cards)).toEqual(['10-yr ASCVD risk 12.3 % — intermediate (PCE)']);
      expect(cards[0]?.indicator).toBe('info');
      expect(cards[0]?.suggestions).toBeUndefined();
      expect(cards[0]?.detail).toContain('On a statin: the PCE was derived in untreated people');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('LDL-C ≥ 190: high-intensity statin without risk calculation; the PCE is reported not applicable', async () => {
    const cards = await cardsFor({ id: 'ldl190', age: 45, tc: 290, ldl: 200 });
    expect(summaries(cards)).toEqual([
      'LDL-C 200 mg/dL (≥ 190) — high-intensity statin recommended without risk calculation',
    ]);
    expect(cards[0]?.indicator).toBe('warning');
    expect(suggestedCodes(cards[0])).toEqual(['rxnorm:617311']);
    expect(cards[0]?.detail).toContain('**LDL-C:** 200 mg/dL (2026-09-01)');
    const payload = await storedResult(t, cards[0]);
    expect(runOf(payload, 'ascvd-pce-10y')).toMatchObject({ status: 'not-applicable' });
    expect(payload.card?.key).toBe('cv-risk:ldl=severe;statin=high');
  });

  it('LDL-C ≥ 190 already on a statin: no card (intensification is outside this card)', async () => {
    expect(await cardsFor({ id: 'ldl190-statin', age: 45, tc: 290, ldl: 200, onStatin: true })).toEqual([]);
  });

  it('LDL-C ≥ 190 in a 35-year-old (PCE age range 40–79): the severe-LDL pathway still applies (ages 20–75)', async () => {
    const cards = await cardsFor({ id: 'ldl190-young', age: 35, tc: 290, ldl: 210 });
    expect(summaries(cards)).toEqual([
      'LDL-C 210 mg/dL (≥ 190) — high-intensity statin recommended without risk calculation',
    ]);
  });

  it('diabetes, 40–75, LDL-C ≥ 70: moderate-intensity statin whatever the PCE band (here low)', async () => {
    const cards = await cardsFor({ id: 'dm50', age: 50, sex: 'female', race: 'white', diabetes: true });
    expect(summaries(cards)).toEqual([
      'Diabetes, LDL-C 130 mg/dL — moderate-intensity statin recommended (age 40–75)',
    ]);
    expect(suggestedCodes(cards[0])).toEqual(['rxnorm:617310']);
    expect(cards[0]?.detail).toContain('**PCE 10-yr ASCVD risk:** 2.6 % (low)');
    expect(cards[0]?.detail).toContain('**LDL-C:** 130 mg/dL (2026-09-01)');
  });

  it('diabetes with 10-yr risk ≥ 20 %: high-intensity statin (IIa)', async () => {
    const cards = await cardsFor({
      id: 'dm65',
      age: 65,
      race: 'white',
      diabetes: true,
      smoker: true,
      sbp: 150,
    });
    expect(summaries(cards)).toEqual([
      'Diabetes and 10-yr ASCVD risk 40.1 % — high (PCE); high-intensity statin reasonable',
    ]);
    expect(suggestedCodes(cards[0])).toEqual(['rxnorm:617311']);
  });

  it('diabetes at 78 (outside 40–75): risk card only, info, no draft', async () => {
    const cards = await cardsFor({ id: 'dm78', age: 78, race: 'white', diabetes: true });
    expect(summaries(cards)).toEqual(['10-yr ASCVD risk 45.6 % — high (PCE)']);
    expect(cards[0]?.indicator).toBe('info');
    expect(cards[0]?.suggestions).toBeUndefined();
  });

  it('LDL-C below 70: no draft even at intermediate risk (the rule needs LDL-C 70–189)', async () => {
    const cards = await cardsFor({ id: 'ldl65', ...INTERMEDIATE, ldl: 65 });
    expect(summaries(cards)).toEqual(['10-yr ASCVD risk 12.3 % — intermediate (PCE)']);
    expect(cards[0]?.suggestions).toBeUndefined();
  });

  it('medication list unreadable: no draft, and the card says statin and BP treatment are unknown', async () => {
    // The lisinopril order is not seen: PCE scores untreated SBP 140 (10.6 %, not 12.3 %) and says so.
    const cards = await withPrefetch(t, aCvPatient({ id: 'meds-unknown', ...INTERMEDIATE }), ['medications']);
    expect(summaries(cards)).toEqual(['10-yr ASCVD risk 10.6 % — intermediate (PCE)']);
    expect(cards[0]?.indicator).toBe('info');
    expect(cards[0]?.detail).toContain(
      'No statin draft: the medication list could not be read, so statin use is unknown; blood-pressure treatment was scored as absent.',
    );
  });
});

describe('lipids missing or stale: a quiet info card with a lipid-panel order', () => {
  it('no lipids at all: lipid-panel card only (no estimate without them)', async () => {
    const cards = await cardsFor({ id: 'no-lipids', age: 50, tc: null, hdl: null, ldl: null });
    expect(summaries(cards)).toEqual(['No lipid panel in 5 years — order one to assess cardiovascular risk']);
    expect(cards[0]?.indicator).toBe('info');
    const [order] = suggested(cards[0]) as ServiceRequest[];
    expect(order).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'proposal',
      subject: { reference: 'Patient/no-lipids' },
      code: {
        coding: [
          {
            system: 'http://loinc.org',
            code: '57698-3',
            display: 'Lipid panel with direct LDL - Serum or Plasma',
          },
        ],
      },
    });
    const payload = await storedResult(t, cards[0]);
    expect(runOf(payload, 'ascvd-pce-10y')).toMatchObject({
      status: 'insufficient-data',
      missing: ['total_cholesterol_mg_dl', 'hdl_cholesterol_mg_dl'],
    });
  });

  it('lipids older than the 5-year lookback count as missing', async () => {
    const cards = await cardsFor({ id: 'ancient', age: 50, lipidDate: ANCIENT });
    expect(summaries(cards)).toEqual(['No lipid panel in 5 years — order one to assess cardiovascular risk']);
  });

  it('stale lipids: the (provisional) risk card without a draft, plus the lipid-panel card', async () => {
    const cards = await cardsFor({ id: 'stale', age: 60, race: 'white', sbp: 140, lipidDate: STALE });
    expect(summaries(cards)).toEqual([
      '10-yr ASCVD risk 10.6 % — intermediate (PCE)',
      'Lipids last measured 2024-06-01 (stale) — repeat the lipid panel to update cardiovascular risk',
    ]);
    expect(cards.map((c) => c.indicator)).toEqual(['info', 'info']);
    expect(cards[0]?.detail).toContain('No statin draft: lipids are stale — repeat the panel first.');
    expect(cards[0]?.detail).toContain('- Total cholesterol: stale (2024-06-01)');
    expect(suggestedCodes(cards[1])).toEqual(['loinc:57698-3']);
    expect(cards[1]?.detail).toContain('- Total cholesterol: 213 mg/dL (2024-06-01), stale after 365 days');
  });

  it('stale lipids at low risk: only the lipid-panel card', async () => {
    const cards = await cardsFor({
      id: 'stale-low',
      age: 55,
      sex: 'female',
      race: 'white',
      lipidDate: STALE,
    });
    expect(summaries(cards)).toEqual([
      'Lipids last measured 2024-06-01 (stale) — repeat the lipid panel to update cardiovascular risk',
    ]);
  });

  it('LDL-C alone missing and no triglycerides: ONE card that says what is missing and orders the panel', async () => {
    const cards = await cardsFor({ id: 'no-ldl', ...INTERMEDIATE, ldl: null });
    expect(summaries(cards)).toEqual([
      '10-yr ASCVD risk 12.3 % — intermediate (PCE); LDL-C needed for the statin decision — order a lipid panel',
    ]);
    expect(cards[0]?.indicator).toBe('info'); // cannot-estimate (cards/indicator-policy.json)
    expect(cards[0]?.detail).toContain(
      '**LDL-C:** No LDL-C reported, and no triglycerides on file to calculate it (the Sampson/NIH equation needs total cholesterol, HDL-C and triglycerides). The statin rules need LDL-C: order a lipid panel with direct LDL-C.',
    );
    expect(suggestedCodes(cards[0])).toEqual(['loinc:57698-3']);
  });

  it('a cut-short lipid page (newest first) still shows its latest results: the stale card stands', async () => {
    const p = aCvPatient({ id: 'lipids-paged', age: 60, race: 'white', sbp: 140, lipidDate: STALE });
    const prefetch = prefetchOf(p);
    prefetch['lipids'] = {
      ...(prefetch['lipids'] as object),
      link: [{ relation: 'next', url: 'https://ehr.example/fhir/Observation?page=2' }],
    };
    const cards = await call(t, aPatientViewRequest({ patientId: p.id, prefetch }));
    expect(summaries(cards)).toContain(
      'Lipids last measured 2024-06-01 (stale) — repeat the lipid panel to update cardiovascular risk',
    );
  });

  it('the lipid search unreadable: absence proves nothing, so no lipid-panel card', async () => {
    const cards = await withPrefetch(t, aCvPatient({ id: 'lipids-unknown', age: 50 }), ['lipids']);
    expect(cards).toEqual([]);
  });
});

describe('missing data that no order fixes: no card', () => {
  it.each([
    ['blood pressure', { sbp: null }],
    ['smoking status', { smoker: null }],
  ] as const)('no %s: neither PCE nor PREVENT can run, and nothing is shown', async (_what, missing) => {
    expect(await cardsFor({ id: `miss-${_what.replace(' ', '-')}`, ...INTERMEDIATE, ...missing })).toEqual(
      [],
    );
  });

  it('no administrative sex: nothing is shown', async () => {
    const p = aCvPatient({ id: 'no-sex', ...INTERMEDIATE });
    const patient = p.byKey.patient[0] as { gender?: string };
    delete patient.gender;
    expect(await withPrefetch(t, p)).toEqual([]);
  });

  it('no eGFR: the PCE card stands and does not mention PREVENT’s inputs; the stored result says what PREVENT misses', async () => {
    const cards = await cardsFor({ id: 'no-egfr', ...INTERMEDIATE, egfr: null });
    expect(summaries(cards)).toEqual([
      '10-yr ASCVD risk 12.3 % — intermediate (PCE); moderate-intensity statin recommended',
    ]);
    expect(cards[0]?.detail).not.toContain('eGFR');
    expect(runOf(await storedResult(t, cards[0]), 'prevent-10y')).toMatchObject({
      status: 'insufficient-data',
      missing: ['egfr_ml_min_1_73m2'],
    });
  });

  it('no BMI: likewise', async () => {
    const [card] = await cardsFor({ id: 'no-bmi', ...INTERMEDIATE, bmi: null });
    expect(card?.detail).not.toContain('BMI');
    expect(runOf(await storedResult(t, card), 'prevent-10y')).toMatchObject({ status: 'insufficient-data' });
  });

  it('a Condition list cut short (a next page not fetched): no card, ASCVD could be on page 2', async () => {
    const p = aCvPatient({ id: 'cond-paged', ...INTERMEDIATE });
    const prefetch = prefetchOf(p);
    prefetch['conditions'] = {
      ...(prefetch['conditions'] as object),
      link: [{ relation: 'next', url: 'https://ehr.example/fhir/Condition?page=2' }],
    };
    expect(await call(t, aPatientViewRequest({ patientId: p.id, prefetch }))).toEqual([]);
  });

  it('the Condition list unreadable: no card at all (known ASCVD cannot be ruled out)', async () => {
    expect(
      await withPrefetch(t, aCvPatient({ id: 'cond-unknown', ...INTERMEDIATE }), ['conditions']),
    ).toEqual([]);
  });
});

describe('outside every model population: no card (so no card history and no stored result)', () => {
  it.each([
    ['age 25', { id: 'age25', age: 25 }],
    ['age 85', { id: 'age85', age: 85, sbp: 150 }],
    ['known ASCVD', { id: 'ascvd', ...INTERMEDIATE, ascvd: true }],
    [
      'known ASCVD without lipids',
      { id: 'ascvd-nolip', ...INTERMEDIATE, ascvd: true, tc: null, hdl: null, ldl: null },
    ],
  ] as const)('%s', async (_label, o) => {
    expect(await cardsFor(o)).toEqual([]);
    const history = await t.store.findCardHistory({ patientRef: `Patient/${o.id}` });
    expect(history).toEqual([]);
  });

  it('age 35 with complete data: in PREVENT’s population but nothing to act on → no card', async () => {
    expect(await cardsFor({ id: 'age35', age: 35 })).toEqual([]);
  });

  it('age 35 without lipids: the lipid-panel card (PREVENT needs them)', async () => {
    const cards = await cardsFor({ id: 'age35-nolip', age: 35, tc: null, hdl: null, ldl: null });
    expect(summaries(cards)).toEqual(['No lipid panel in 5 years — order one to assess cardiovascular risk']);
  });
});

describe('PREVENT is context in the side app, not on the card (30-year only up to age 59)', () => {
  it('age 55: the card names no PREVENT number; the stored result holds 10- and 30-year runs', async () => {
    const [card] = await cardsFor({ id: 'prevent55', age: 55, race: 'white' });
    expect(card?.detail).not.toMatch(/total CVD/);
    expect(card?.detail).toContain(
      'PREVENT risk, every input and the model citations: Full explanation (Augur).',
    );
    const payload = await storedResult(t, card);
    expect(runOf(payload, 'prevent-10y')).toMatchObject({ status: 'ok' });
    expect(runOf(payload, 'prevent-30y')).toMatchObject({ status: 'ok' });
  });

  it('age 60: the 30-year run is not applicable (kept in the stored result with its reason)', async () => {
    const [card] = await cardsFor({ id: 'prevent60', ...INTERMEDIATE });
    expect(card?.detail).not.toContain('30-yr');
    expect(runOf(await storedResult(t, card), 'prevent-30y')).toMatchObject({ status: 'not-applicable' });
  });
});

describe('LDL-C calculated by Augur (Sampson/NIH) when the lab reported none', () => {
  /** The issue's patient: 63-year-old treated smoker with diabetes, TC 240, HDL 38, no LDL-C. */
  const ISSUE: Omit<CvPatientOptions, 'id'> = {
    age: 63,
    race: 'white',
    tc: 240,
    hdl: 38,
    ldl: null,
    sbp: 158,
    bpTreated: true,
    smoker: true,
    diabetes: true,
  };

  it('TG on file: LDL-C 169 calculated and flagged; the statin rules apply (warning, high-intensity draft)', async () => {
    const cards = await cardsFor({ id: 'calc-ldl', ...ISSUE, tg: 180 });
    expect(summaries(cards)).toEqual([
      'Diabetes and 10-yr ASCVD risk 54.8 % — high (PCE); high-intensity statin reasonable',
    ]);
    expect(cards[0]?.indicator).toBe('warning'); // action-recommended
    expect(suggestedCodes(cards[0])).toEqual(['rxnorm:617311']);
    expect(cards[0]?.detail).toContain(
      '**LDL-C:** 169 mg/dL, calculated by Augur (Sampson/NIH) from total cholesterol 240 mg/dL (2026-09-01), HDL-C 38 mg/dL (2026-09-01), triglycerides 180 mg/dL (2026-09-01).',
    );
    const payload = await storedResult(t, cards[0]);
    const ldl = (payload.findings as { supportingInputs: Record<string, { flags: string[]; value: number }> })
      .supportingInputs['ldl_cholesterol_mg_dl'];
    expect(ldl?.flags).toContain('derived');
    expect(ldl?.value).toBeCloseTo(168.58, 2);
    // The stored result (side app, trace) keeps each source result's resource id.
    expect((ldl as { note?: string } | undefined)?.note).toContain(
      'triglycerides 180 mg/dL (Observation/calc-ldl-obs-',
    );
  });

  it('the lab’s calculated LDL-C wins over Augur’s (TG on file too)', async () => {
    const cards = await cardsFor({ id: 'lab-ldl', ...ISSUE, ldl: 120, tg: 180 });
    expect(cards[0]?.detail).toContain('**LDL-C:** 120 mg/dL (2026-09-01)');
    expect(cards[0]?.detail).not.toContain('calculated by Augur');
  });

  it('no TG: one info card (cannot-estimate) with the lipid-panel order, not two', async () => {
    const cards = await cardsFor({ id: 'issue-no-tg', ...ISSUE });
    expect(summaries(cards)).toEqual([
      '10-yr ASCVD risk 54.8 % — high (PCE); LDL-C needed for the statin decision — order a lipid panel',
    ]);
    expect(cards[0]?.indicator).toBe('info');
    expect(suggestedCodes(cards[0])).toEqual(['loinc:57698-3']);
    // The band's advice ("start a statin …") would contradict "the statin rules need LDL-C": not shown.
    expect(cards[0]?.detail ?? '').toMatch(/^\*\*LDL-C:\*\* No LDL-C reported/);
    expect(cards[0]?.detail).not.toContain('start a statin');
  });

  it('TG above 800 mg/dL: not calculated, the card says why', async () => {
    const cards = await cardsFor({ id: 'tg-950', ...ISSUE, tg: 950 });
    expect(cards).toHaveLength(1);
    expect(cards[0]?.detail).toContain(
      '**LDL-C:** No LDL-C reported, and triglycerides 950 mg/dL are above 800 mg/dL, the limit the Sampson/NIH equation was validated for, so LDL-C is not calculated (a direct LDL-C is needed). The statin rules need LDL-C: order a lipid panel with direct LDL-C.',
    );
  });
});

describe('the published PCE example (Goff 2014: 55 y, TC 213, HDL 50, untreated SBP 120, non-smoker)', () => {
  // Low-risk profiles get no risk card; with stale lipids the lipid-panel card stands on the same result.
  it.each([
    ['white', 'female', 0.021],
    ['black', 'female', 0.03],
    ['white', 'male', 0.053],
    ['black', 'male', 0.061],
  ] as const)('%s %s → %f (±0.1 percentage point)', async (race, sex, expected) => {
    const cards = await cardsFor({ id: `goff-${race}-${sex}`, age: 55, race, sex, lipidDate: STALE });
    const payload = await storedResult(t, cards.at(-1));
    const pce = runOf(payload, 'ascvd-pce-10y');
    if (pce.status !== 'ok') throw new Error('PCE should have run');
    expect(Math.abs((pce.outputs['risk_10y'] ?? 0) - expected)).toBeLessThanOrEqual(0.001);
  });

  it('the borderline examples read the same number on the card', async () => {
    expect(summaries(await cardsFor({ id: 'goff-wm', age: 55, race: 'white' }))).toEqual([
      '10-yr ASCVD risk 5.4 % — borderline (PCE)',
    ]);
    expect(summaries(await cardsFor({ id: 'goff-bm', age: 55, race: 'black' }))).toEqual([
      '10-yr ASCVD risk 6.1 % — borderline (PCE)',
    ]);
  });
});

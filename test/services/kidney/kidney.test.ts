/**
 * augur-kidney-risk end to end (HTTP, signed JWTs, real store, built-in models): KFRE below and above
 * each threshold (published calculator examples from models/kfre-4v/vectors.json), an open referral,
 * the urine-ACR card, eGFR ≥ 60 and other out-of-population cases, the region setting — each with
 * complete prefetch and fetched from the real FHIR server, same cards.
 */
import { readFileSync } from 'node:fs';
import type { FhirResource, ServiceRequest } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../../src/cds/types.js';
import { kidneyService } from '../../../src/services/kidney/index.js';
import {
  condition,
  creatinine,
  egfr,
  ICD,
  person,
  serviceRequest,
  SNOMED,
  uacr,
} from '../atrial-fibrillation/builders.js';
import {
  MODES,
  startHarness,
  type Harness,
  type Mode,
  type Scenario,
} from '../atrial-fibrillation/harness.js';

interface Vector {
  name: string;
  inputs: {
    age_years: number;
    sex: 'male' | 'female';
    egfr_ml_min_1_73m2: number;
    uacr_mg_g: number;
    region: string;
  };
  expected: { risk_2y: number; risk_5y: number };
  tolerance: number;
}
const vectors = (
  JSON.parse(readFileSync(new URL('../../../models/kfre-4v/vectors.json', import.meta.url), 'utf8')) as {
    vectors: Vector[];
  }
).vectors.filter((v) => v.name.startsWith('published'));
const WOMAN_63 = vectors.find((v) => v.inputs.age_years === 63);
const MAN_55 = vectors.find((v) => v.inputs.age_years === 55);

let h: Harness;
beforeAll(async () => {
  h = await startHarness(kidneyService);
});
afterAll(() => h.close());

interface KidneyOptions {
  sex: 'male' | 'female' | 'unknown';
  age?: number;
  ckd?: string | false;
  egfr?: number;
  creatinineMgDl?: number;
  uacrMgG?: number;
  uacrDate?: string;
  conditions?: string[];
  extra?: (patientId: string) => FhirResource[];
}

let serial = 0;
function ckdPatient(name: string, mode: Mode, o: KidneyOptions): Scenario {
  const p = `k${String(++serial)}-${name.slice(0, 20).replace(/-+$/, '')}-${mode === 'prefetch' ? 'p' : 'f'}`;
  const id = (s: string) => `${p}-${s}`;
  const resources: FhirResource[] = [person(p, o.sex, o.age)];
  if (o.ckd !== false) resources.push(condition(p, id('ckd'), o.ckd ?? ICD.ckd3b, '2023-05-01'));
  if (o.egfr !== undefined) resources.push(egfr(p, id('egfr'), o.egfr));
  if (o.creatinineMgDl !== undefined) resources.push(creatinine(p, id('cr'), o.creatinineMgDl));
  if (o.uacrMgG !== undefined) resources.push(uacr(p, id('acr'), o.uacrMgG, o.uacrDate ?? '2026-09-20'));
  (o.conditions ?? []).forEach((c, i) => resources.push(condition(p, id(`c${String(i)}`), c)));
  resources.push(...(o.extra?.(p) ?? []));
  return { patientId: p, resources };
}

const fromVector = (v: Vector | undefined): KidneyOptions => {
  if (v === undefined) throw new Error('published KFRE vector missing from models/kfre-4v/vectors.json');
  return {
    sex: v.inputs.sex,
    age: v.inputs.age_years,
    egfr: v.inputs.egfr_ml_min_1_73m2,
    uacrMgG: v.inputs.uacr_mg_g,
  };
};

const only = (cards: Card[]): Card => {
  expect(cards).toHaveLength(1);
  return cards[0] as Card;
};
const resourceOf = (card: Card, i = 0): ServiceRequest =>
  card.suggestions?.[i]?.actions?.[0]?.resource as ServiceRequest;

const NEPHROLOGY_REFERRAL = { system: SNOMED, code: '306125004', display: 'Referral to nephrology service' };

describe.each(MODES)('kidney service (%s)', (mode) => {
  it('published example below every threshold (63-year-old woman, eGFR 45, ACR 30: 0.4 % / 1.3 %): no card', async () => {
    expect(await h.cards(ckdPatient('below', mode, fromVector(WOMAN_63)), mode)).toEqual([]);
  });

  it('published example above the referral threshold (55-year-old man, eGFR 38, ACR 150: 2.9 % / 9 %): refer', async () => {
    const s = ckdPatient('referral', mode, fromVector(MAN_55));
    const card = only(await h.cards(s, mode));
    expect(card.summary).toBe('Kidney failure risk 9.0 % in 5 yr (KFRE) — refer to nephrology');
    // The one indicator policy: a referral the card drafts is a recommended action → warning (was info).
    expect(card.indicator).toBe('warning');
    expect(card.detail).toContain('**KFRE (4-variable): 3.0 % at 2 years, 9.0 % at 5 years** (CKD G3b).');
    expect(card.detail).toContain('5-year risk > 5 %: refer for specialist assessment (NICE NG203 1.5.5).');
    expect(card.detail).toContain('Baseline risk calibrated for North America (site setting kfre-region).');
    // eGFR 38 ADDS risk against a reference on the CKD thresholds (the development cohort's mean eGFR
    // of 36 made it read "lowers" on a card recommending referral: issue 11).
    expect(card.detail).toContain(
      [
        '**What drives the risk, compared with a 70-year-old woman at the thresholds of chronic kidney disease (eGFR 60 mL/min/1.73 m², urine ACR 30 mg/g) (0.22 %):**',
        '- eGFR 38 mL/min/1.73 m² (2026-10-01): adds 4.9 percentage points',
        '- Urine ACR 150 mg/g (2026-09-20): adds 2.1 percentage points',
        '- Age 55 y: adds 1.0 percentage point',
      ].join('\n'),
    );
    expect(card.detail).toContain('eGFR 38 mL/min/1.73 m² (2026-10-01)');
    expect(card.detail).toContain('Urine ACR 150 mg/g (2026-09-20)');
    expect(card.source).toEqual({
      label: 'NICE NG203 chronic kidney disease (KFRE referral)',
      url: 'https://www.nice.org.uk/guidance/ng203',
      topic: { system: 'http://snomed.info/sct', code: '709044004', display: 'Chronic kidney disease' },
    });
    expect(card.suggestions?.map((x) => [x.label, x.isRecommended])).toEqual([['Refer to nephrology', true]]);
    expect(resourceOf(card)).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'order',
      code: { coding: [NEPHROLOGY_REFERRAL] },
      category: [{ coding: [{ system: SNOMED, code: '3457005' }] }],
      subject: { reference: `Patient/${s.patientId}` },
      reasonReference: [{ reference: `Condition/${s.patientId}-ckd` }],
    });
    expect(card.suggestions?.[0]?.actions?.[0]?.description).toBe(
      'Draft referral to nephrology: kidney failure risk 3.0 % in 2 yr, 9.0 % in 5 yr (KFRE)',
    );
  });

  it('2-year risk > 10 % (60-year-old man, eGFR 25, ACR 300): multidisciplinary care', async () => {
    const s = ckdPatient('mdt', mode, { sex: 'male', age: 60, ckd: ICD.ckd4, egfr: 25, uacrMgG: 300 });
    const card = only(await h.cards(s, mode));
    expect(card.summary).toBe(
      'Kidney failure risk 14.6 % in 2 yr (KFRE) — refer for multidisciplinary CKD care',
    );
    expect(card.indicator).toBe('warning');
    expect(card.detail).toContain('(CKD G4)');
  });

  it('2-year risk > 40 % (65-year-old man, eGFR 12, ACR 2000): plan kidney replacement therapy', async () => {
    const s = ckdPatient('krt', mode, { sex: 'male', age: 65, ckd: ICD.ckd5, egfr: 12, uacrMgG: 2000 });
    const card = only(await h.cards(s, mode));
    expect(card.summary).toBe(
      'Kidney failure risk 75.6 % in 2 yr (KFRE) — plan kidney replacement therapy with nephrology',
    );
    expect(card.detail).toContain('(CKD G5)');
  });

  describe('a nephrology referral already open', () => {
    const referral = (p: string) => [serviceRequest(p, `${p}-ref`, NEPHROLOGY_REFERRAL)];
    it('at the referral threshold: no card', async () => {
      const s = ckdPatient('referred', mode, { ...fromVector(MAN_55), extra: referral });
      expect(await h.cards(s, mode)).toEqual([]);
    });

    it('a draft referral counts too, and a locally coded one is recognised by its words', async () => {
      const draft = ckdPatient('referred-draft', mode, {
        ...fromVector(MAN_55),
        extra: (p) => [serviceRequest(p, `${p}-ref`, NEPHROLOGY_REFERRAL, 'draft')],
      });
      expect(await h.cards(draft, mode)).toEqual([]);
      const local = ckdPatient('referred-local', mode, {
        ...fromVector(MAN_55),
        extra: (p) => [
          serviceRequest(
            p,
            `${p}-ref`,
            { system: 'urn:oid:1.2.3.4', code: 'REF-42' },
            'active',
            'Renal clinic referral',
          ),
        ],
      });
      expect(await h.cards(local, mode)).toEqual([]);
    });

    it('a completed referral does not count', async () => {
      const s = ckdPatient('referred-done', mode, {
        ...fromVector(MAN_55),
        extra: (p) => [serviceRequest(p, `${p}-ref`, NEPHROLOGY_REFERRAL, 'completed')],
      });
      expect(only(await h.cards(s, mode)).summary).toBe(
        'Kidney failure risk 9.0 % in 5 yr (KFRE) — refer to nephrology',
      );
    });

    it('2-year risk > 40 %: the card stays, says the referral is on file, and suggests no second one', async () => {
      const s = ckdPatient('krt-referred', mode, {
        sex: 'male',
        age: 65,
        ckd: ICD.ckd5,
        egfr: 12,
        uacrMgG: 2000,
        extra: referral,
      });
      const card = only(await h.cards(s, mode));
      expect(card.summary).toBe(
        'Kidney failure risk 75.6 % in 2 yr (KFRE) — plan kidney replacement therapy with nephrology; referral on file',
      );
      expect(card.suggestions).toBeUndefined();
      expect(card.detail).toContain(
        `Nephrology referral on file: Referral to nephrology service (ServiceRequest/${s.patientId}-ref, 2026-09-15).`,
      );
    });
  });

  describe('urine ACR', () => {
    it('missing in CKD G3b: a quiet info card with a urine ACR order', async () => {
      const s = ckdPatient('no-acr', mode, { sex: 'male', age: 70, egfr: 42 });
      const card = only(await h.cards(s, mode));
      expect(card.summary).toBe(
        'No urine ACR in 2 yr with eGFR 42 (CKD G3b) — order one to estimate kidney failure risk',
      );
      expect(card.indicator).toBe('info');
      expect(card.suggestions?.map((x) => [x.label, x.isRecommended])).toEqual([
        ['Order urine albumin/creatinine ratio', true],
      ]);
      expect(resourceOf(card)).toMatchObject({
        resourceType: 'ServiceRequest',
        status: 'draft',
        intent: 'order',
        code: { coding: [{ system: 'http://loinc.org', code: '9318-7' }] },
        category: [{ coding: [{ system: SNOMED, code: '108252007' }] }],
        subject: { reference: `Patient/${s.patientId}` },
      });
    });

    it('only older than the 2-year lookback: the same card', async () => {
      const s = ckdPatient('old-acr', mode, {
        sex: 'female',
        age: 70,
        egfr: 50,
        ckd: ICD.ckd3a,
        uacrMgG: 80,
        uacrDate: '2024-06-01',
      });
      expect(only(await h.cards(s, mode)).summary).toBe(
        'No urine ACR in 2 yr with eGFR 50 (CKD G3a) — order one to estimate kidney failure risk',
      );
    });

    it('missing but already ordered: no card', async () => {
      const s = ckdPatient('acr-ordered', mode, {
        sex: 'male',
        age: 70,
        egfr: 42,
        extra: (p) => [serviceRequest(p, `${p}-acr`, { system: 'http://loinc.org', code: '9318-7' })],
      });
      expect(await h.cards(s, mode)).toEqual([]);
    });

    it('stale (older than a year) with risk above the threshold: the card also offers a repeat ACR', async () => {
      const s = ckdPatient('stale-acr', mode, { ...fromVector(MAN_55), uacrDate: '2025-06-01' });
      const card = only(await h.cards(s, mode));
      expect(card.suggestions?.map((x) => [x.label, x.isRecommended])).toEqual([
        ['Refer to nephrology', true],
        ['Order urine albumin/creatinine ratio', false],
      ]);
      expect(card.selectionBehavior).toBe('any');
      expect(card.detail).toContain('Urine ACR: stale (2025-06-01)');
    });
  });

  it('eGFR derived from creatinine (CKD-EPI 2021) when no eGFR is reported', async () => {
    // 55-year-old man, creatinine 2.1 mg/dL → CKD-EPI 2021 ≈ 36.
    const s = ckdPatient('derived', mode, { sex: 'male', age: 55, creatinineMgDl: 2.1, uacrMgG: 150 });
    const card = only(await h.cards(s, mode));
    expect(card.summary).toMatch(/^Kidney failure risk \d+\.\d % in 5 yr \(KFRE\) — refer to nephrology$/);
    expect(card.detail).toContain('(CKD G3b)');
  });

  it('a stale eGFR (older than 180 days) is used and flagged', async () => {
    const s = ckdPatient('stale-egfr', mode, fromVector(MAN_55));
    const stale = s.resources.map((r) =>
      r.resourceType === 'Observation' && r.id === `${s.patientId}-egfr`
        ? { ...r, effectiveDateTime: '2026-04-01' }
        : r,
    );
    const card = only(await h.cards({ ...s, resources: stale }, mode));
    expect(card.summary).toBe('Kidney failure risk 9.0 % in 5 yr (KFRE) — refer to nephrology');
    expect(card.detail).toContain('**Check**\n- eGFR: stale (2026-04-01)');
  });

  it('urine ACR in mg/mmol is converted (17 mg/mmol ≈ 150 mg/g)', async () => {
    const s = ckdPatient('acr-mmol', mode, { sex: 'male', age: 55, egfr: 38 });
    const acr = uacr(s.patientId, `${s.patientId}-acr`, 17, '2026-09-20');
    acr.valueQuantity = { value: 17, unit: 'mg/mmol', system: 'http://unitsofmeasure.org', code: 'mg/mmol' };
    const card = only(await h.cards({ ...s, resources: [...s.resources, acr] }, mode));
    expect(card.summary).toBe('Kidney failure risk 9.0 % in 5 yr (KFRE) — refer to nephrology');
    expect(card.detail).toContain('Urine ACR 150 mg/g (2026-09-20)');
  });

  describe('outside the population or short of data: no card', () => {
    const none: [string, KidneyOptions][] = [
      ['eGFR ≥ 60 (CKD G2 coded)', { sex: 'male', age: 60, egfr: 65, uacrMgG: 400 }],
      ['no CKD diagnosis', { sex: 'male', age: 55, ckd: false, egfr: 38, uacrMgG: 150 }],
      [
        'on dialysis',
        { sex: 'male', age: 65, ckd: ICD.ckd5, egfr: 12, uacrMgG: 2000, conditions: [ICD.dialysis] },
      ],
      ['no eGFR or creatinine', { sex: 'male', age: 60, uacrMgG: 300 }],
      ['no eGFR and no ACR', { sex: 'male', age: 60 }],
      ['sex unknown', { sex: 'unknown', age: 60, egfr: 25, uacrMgG: 300 }],
      ['sex unknown and no ACR (not actionable by an ACR alone)', { sex: 'unknown', age: 60, egfr: 25 }],
      ['no birth date', { sex: 'male', egfr: 25, uacrMgG: 300 }],
      ['age 17', { sex: 'male', age: 17, egfr: 25, uacrMgG: 300 }],
    ];
    it.each(none)('%s', async (name, o) => {
      expect(await h.cards(ckdPatient(`none-${name.replace(/\W+/g, '-')}`, mode, o), mode)).toEqual([]);
    });
  });
});

describe('KFRE numbers against the published vectors (stored result behind the card)', () => {
  it('the 55-year-old man: outputs within the vector tolerance, region and model version recorded', async () => {
    const v = MAN_55;
    if (v === undefined) throw new Error('vector missing');
    const s = ckdPatient('vector', 'prefetch', fromVector(v));
    const card = only(await h.cards(s, 'prefetch'));
    const link = card.links?.[0];
    expect(link?.type).toBe('smart');
    const stored = await h.app.store.getResult(link?.appContext ?? '', h.clock.now);
    const run = (
      stored?.payload as {
        runs: { status: string; outputs: Record<string, number>; model: { id: string } }[];
      }
    ).runs[0];
    expect(run?.model.id).toBe('kfre-4v');
    expect(Math.abs((run?.outputs['risk_2y'] ?? 0) - v.expected.risk_2y)).toBeLessThanOrEqual(v.tolerance);
    expect(Math.abs((run?.outputs['risk_5y'] ?? 0) - v.expected.risk_5y)).toBeLessThanOrEqual(v.tolerance);
  });
});

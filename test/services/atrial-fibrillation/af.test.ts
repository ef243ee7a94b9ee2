/**
 * augur-atrial-fibrillation end to end (HTTP, signed JWTs, real store, built-in models): every band and
 * decision branch, the dose rule, the bleeding-risk card, missing data and out-of-population patients —
 * each with complete prefetch and with no prefetch (fetched from the real FHIR server), same cards.
 */
import type { FhirResource, MedicationRequest, OperationOutcome } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../../src/cds/types.js';
import { atrialFibrillationService } from '../../../src/services/atrial-fibrillation/index.js';
import {
  bp,
  condition,
  creatinine,
  ICD,
  medicationRequest,
  medicationStatement,
  person,
  RX,
  weight,
} from './builders.js';
import { MODES, startHarness, type Harness, type Mode, type Scenario } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(atrialFibrillationService);
});
afterAll(() => h.close());

type Drug = { code: string; display: string };
interface AfOptions {
  sex: 'male' | 'female' | 'unknown';
  age?: number;
  af?: boolean | 'resolved';
  conditions?: string[];
  sbp?: number;
  weightKg?: number;
  weightDate?: string;
  creatinineMgDl?: number;
  requests?: { drug: Drug; status?: MedicationRequest['status'] }[];
  statements?: Drug[];
  extra?: (patientId: string) => FhirResource[];
}

/** One synthetic patient; ids are unique per name and mode, so suppression never leaks between tests. */
let serial = 0;
function afPatient(name: string, mode: Mode, o: AfOptions): Scenario {
  const p = `af${String(++serial)}-${name.slice(0, 20).replace(/-+$/, '')}-${mode === 'prefetch' ? 'p' : 'f'}`;
  const id = (s: string) => `${p}-${s}`;
  const resources: FhirResource[] = [person(p, o.sex, o.age)];
  if (o.af !== false)
    resources.push(condition(p, id('af'), ICD.af, '2024-02-01', o.af === 'resolved' ? 'resolved' : 'active'));
  (o.conditions ?? []).forEach((c, i) => resources.push(condition(p, id(`c${String(i)}`), c)));
  if (o.sbp !== undefined) resources.push(bp(p, id('bp'), o.sbp));
  if (o.weightKg !== undefined) resources.push(weight(p, id('wt'), o.weightKg, o.weightDate));
  if (o.creatinineMgDl !== undefined) resources.push(creatinine(p, id('cr'), o.creatinineMgDl));
  (o.requests ?? []).forEach((m, i) =>
    resources.push(medicationRequest(p, id(`mr${String(i)}`), m.drug, m.status)),
  );
  (o.statements ?? []).forEach((d, i) => resources.push(medicationStatement(p, id(`ms${String(i)}`), d)));
  resources.push(...(o.extra?.(p) ?? []));
  return { patientId: p, resources };
}

/** Healthy defaults for the dose rule (weight, creatinine) and HAS-BLED (SBP), overridable. */
const typical = { sbp: 130, weightKg: 80, creatinineMgDl: 1.0 };

const only = (cards: Card[]): Card => {
  expect(cards).toHaveLength(1);
  return cards[0] as Card;
};
const draftOf = (card: Card): MedicationRequest =>
  card.suggestions?.[0]?.actions?.[0]?.resource as MedicationRequest;

describe.each(MODES)('AF service (%s)', (mode) => {
  describe('CHA₂DS₂-VASc bands, no anticoagulant on file', () => {
    const cases: [string, AfOptions, string | undefined][] = [
      ['man, score 0', { sex: 'male', age: 60 }, undefined],
      [
        'man, score 1 (hypertension)',
        { sex: 'male', age: 60, conditions: [ICD.hypertension] },
        'CHA₂DS₂-VASc 1 — consider anticoagulation; no anticoagulant on file',
      ],
      [
        'man, score 2 (hypertension, diabetes)',
        { sex: 'male', age: 60, conditions: [ICD.hypertension, ICD.diabetes] },
        'CHA₂DS₂-VASc 2 — anticoagulation recommended; no anticoagulant on file',
      ],
      [
        'man, score 5 (age 78, hypertension, diabetes, heart failure)',
        { sex: 'male', age: 78, conditions: [ICD.hypertension, ICD.diabetes, ICD.heartFailure] },
        'CHA₂DS₂-VASc 5 — anticoagulation recommended; no anticoagulant on file',
      ],
      ['woman, score 1 (sex only)', { sex: 'female', age: 60 }, undefined],
      [
        'woman, score 2 (hypertension)',
        { sex: 'female', age: 60, conditions: [ICD.hypertension] },
        'CHA₂DS₂-VASc 2 — consider anticoagulation; no anticoagulant on file',
      ],
      [
        'woman, score 3 (hypertension, diabetes)',
        { sex: 'female', age: 60, conditions: [ICD.hypertension, ICD.diabetes] },
        'CHA₂DS₂-VASc 3 — anticoagulation recommended; no anticoagulant on file',
      ],
      [
        'woman, score 4 (age 70, prior stroke)',
        { sex: 'female', age: 70, conditions: [ICD.stroke] },
        'CHA₂DS₂-VASc 4 — anticoagulation recommended; no anticoagulant on file',
      ],
    ];
    it.each(cases)('%s', async (name, o, summary) => {
      const cards = await h.cards(afPatient(name.replace(/\W+/g, '-'), mode, { ...typical, ...o }), mode);
      if (summary === undefined) {
        expect(cards).toEqual([]);
        return;
      }
      const card = only(cards);
      expect(card.summary).toBe(summary);
      const recommended = summary.includes('recommended');
      expect(card.indicator).toBe(recommended ? 'warning' : 'info');
      expect(card.suggestions?.map((s) => [s.label, s.isRecommended])).toEqual([
        ['Start apixaban 5 mg twice daily', recommended],
      ]);
    });
  });

  it('history criteria count from resolved Conditions: a prior stroke and a prior MI score, a resolved AF does not apply', async () => {
    const s = afPatient('history', mode, {
      ...typical,
      sex: 'male',
      age: 60,
      extra: (p) => [
        condition(p, `${p}-stroke`, ICD.stroke, '2019-05-01', 'resolved'),
        condition(p, `${p}-mi`, 'I21.9', '2018-01-01', 'resolved'),
      ],
    });
    const card = only(await h.cards(s, mode));
    // Prior stroke +2, vascular disease (prior MI) +1.
    expect(card.summary).toBe('CHA₂DS₂-VASc 3 — anticoagulation recommended; no anticoagulant on file');
    expect(card.detail).toContain(`(Condition/${s.patientId}-stroke, 2019-05-01)`);
    const resolvedAf = afPatient('resolved-af', mode, { ...typical, sex: 'male', age: 80, af: 'resolved' });
    expect(await h.cards(resolvedAf, mode)).toEqual([]);
  });

  it('the detail is the points table: each criterion met with its points, source and date', async () => {
    const s = afPatient('table', mode, {
      ...typical,
      sex: 'female',
      age: 78,
      conditions: [ICD.hypertension, ICD.oldMi],
    });
    const card = only(await h.cards(s, mode));
    expect(card.summary).toBe('CHA₂DS₂-VASc 5 — anticoagulation recommended; no anticoagulant on file');
    const p = s.patientId;
    expect(card.detail).toContain(
      [
        '**Criteria met**',
        `- Age +2 — 78 y (Patient/${p})`,
        `- Female sex +1 — female (Patient/${p})`,
        `- Hypertension +1 — Essential hypertension (Condition/${p}-c0, 2020-03-01)`,
        `- Vascular disease +1 — Old myocardial infarction (Condition/${p}-c1, 2020-03-01)`,
      ].join('\n'),
    );
    expect(card.detail).toContain(
      'Not found in coded data (counted as absent): Heart failure, Diabetes, Prior stroke / TIA / thromboembolism.',
    );
    expect(card.detail).toContain('score ≥ 3 for women: 2023 ACC/AHA/ACCP/HRS class 1');
    expect(card.detail).toContain('≈ 6.7 %/year without anticoagulation');
    // Citations and every criterion of HAS-BLED live in the side app (the card's last line says so).
    expect(card.detail).not.toContain('(Lip 2010)');
    expect(card.detail?.split('\n\n').at(-1)).toBe(
      "Every criterion, HAS-BLED's full table and the model citations: Full explanation (Augur).",
    );
    expect(card.source).toEqual({
      label: '2023 ACC/AHA/ACCP/HRS atrial fibrillation guideline',
      url: 'https://doi.org/10.1161/CIR.0000000000001193',
      topic: { system: 'http://snomed.info/sct', code: '49436004', display: 'Atrial fibrillation' },
    });
    expect(card.overrideReasons?.map((r) => r.display)).toContain('Patient declines anticoagulation');
  });

  describe('apixaban dose (2.5 mg with ≥ 2 of age ≥ 80, weight ≤ 60 kg, creatinine ≥ 1.5 mg/dL)', () => {
    it('no criterion: 5 mg twice daily, a complete draft order', async () => {
      const s = afPatient('dose-std', mode, {
        ...typical,
        sex: 'male',
        age: 70,
        conditions: [ICD.hypertension],
      });
      const card = only(await h.cards(s, mode));
      expect(card.suggestions?.[0]?.actions?.[0]?.description).toBe(
        'Draft order: apixaban 5 MG Oral Tablet, 5 mg by mouth twice daily (stroke prevention in atrial fibrillation)',
      );
      expect(draftOf(card)).toMatchObject({
        resourceType: 'MedicationRequest',
        status: 'draft',
        intent: 'order',
        subject: { reference: `Patient/${s.patientId}` },
        medicationCodeableConcept: {
          coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1364445' }],
        },
        dosageInstruction: [
          {
            text: '5 mg by mouth twice daily',
            timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
            doseAndRate: [{ doseQuantity: { value: 5, unit: 'mg' } }],
          },
        ],
        reasonReference: [{ reference: `Condition/${s.patientId}-af` }],
      });
    });

    it('age ≥ 80 and weight ≤ 60 kg: 2.5 mg twice daily', async () => {
      const s = afPatient('dose-red', mode, { ...typical, sex: 'female', age: 82, weightKg: 55 });
      const card = only(await h.cards(s, mode));
      expect(card.summary).toBe('CHA₂DS₂-VASc 3 — anticoagulation recommended; no anticoagulant on file');
      expect(card.suggestions?.[0]?.label).toBe('Start apixaban 2.5 mg twice daily');
      expect(draftOf(card).medicationCodeableConcept?.coding?.[0]?.code).toBe('1364435');
      expect(draftOf(card).dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value).toBe(2.5);
      expect(card.detail).toContain('- Weight ≤ 60 kg: 55 kg (2026-10-01) — yes');
    });

    it('age ≥ 80 and creatinine ≥ 1.5: 2.5 mg even with no weight on file (it cannot change the dose)', async () => {
      const s = afPatient('dose-red-cr', mode, { sex: 'male', age: 82, sbp: 130, creatinineMgDl: 1.6 });
      const card = only(await h.cards(s, mode));
      expect(card.suggestions?.[0]?.label).toBe('Start apixaban 2.5 mg twice daily');
      expect(card.detail).toContain('- Weight ≤ 60 kg: not on file — unknown');
    });

    it('no creatinine, but no other criterion either: 5 mg (one unknown cannot make two)', async () => {
      const s = afPatient('dose-std-nocr', mode, {
        sex: 'male',
        age: 70,
        sbp: 130,
        weightKg: 80,
        conditions: [ICD.diabetes],
      });
      expect(only(await h.cards(s, mode)).suggestions?.[0]?.label).toBe('Start apixaban 5 mg twice daily');
    });

    const review: [string, AfOptions, string][] = [
      [
        'age ≥ 80, weight missing, creatinine normal',
        { sex: 'male', age: 82, sbp: 130, creatinineMgDl: 1.0 },
        'weight not on file, and it decides the dose',
      ],
      [
        'weight and creatinine missing',
        { sex: 'male', age: 76, sbp: 130 },
        'weight and creatinine not on file, and they decide the dose',
      ],
      [
        'the only weight is older than the 365-day lookback',
        { sex: 'male', age: 82, sbp: 130, creatinineMgDl: 1.0, weightKg: 58, weightDate: '2025-06-01' },
        'weight not on file, and it decides the dose',
      ],
      [
        'creatinine above 2.5 mg/dL (outside ARISTOTLE)',
        { sex: 'male', age: 70, sbp: 130, weightKg: 80, creatinineMgDl: 2.8, conditions: [ICD.diabetes] },
        'creatinine 2.8 mg/dL (2026-10-01) is above 2.5 mg/dL: check creatinine clearance',
      ],
    ];
    it.each(review)(
      'cannot be settled (%s): "review anticoagulation", a draft without a dose',
      async (name, o, why) => {
        const card = only(await h.cards(afPatient(`review-${name.replace(/\W+/g, '-')}`, mode, o), mode));
        expect(card.suggestions?.[0]?.label).toBe('Review anticoagulation: apixaban, dose to be chosen');
        const draft = draftOf(card);
        expect(draft.medicationCodeableConcept?.coding).toEqual([
          { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1364430', display: 'apixaban' },
        ]);
        expect(draft.dosageInstruction).toBeUndefined();
        expect(card.detail).toContain(`No dose suggested: ${why}.`);
        expect(card.suggestions?.[0]?.actions?.[0]?.description).toBe(
          `Draft order: apixaban without a dose (${why}); choose the dose in the order`,
        );
      },
    );

    it('a stale weight (older than 180 days) still counts, and is shown as stale', async () => {
      const s = afPatient('dose-stale', mode, {
        sex: 'female',
        age: 82,
        sbp: 130,
        creatinineMgDl: 1.0,
        weightKg: 58,
        weightDate: '2026-03-01',
      });
      const card = only(await h.cards(s, mode));
      expect(card.suggestions?.[0]?.label).toBe('Start apixaban 2.5 mg twice daily');
      expect(card.detail).toContain('- Weight ≤ 60 kg: 58 kg (2026-03-01), stale — yes');
    });

    it('mitral stenosis: no DOAC suggested at all, and the card says why', async () => {
      const s = afPatient('valve', mode, {
        ...typical,
        sex: 'male',
        age: 70,
        conditions: [ICD.mitralStenosis],
      });
      const card = only(await h.cards(s, mode));
      expect(card.summary).toBe('CHA₂DS₂-VASc 1 — consider anticoagulation; no anticoagulant on file');
      expect(card.suggestions).toBeUndefined();
      expect(card.detail).toContain(
        `no DOAC dose suggested — Rheumatic mitral stenosis (Condition/${s.patientId}-c0); review the anticoagulant`,
      );
    });
  });

  describe('anticoagulant on file', () => {
    const on: [string, Partial<AfOptions>][] = [
      ['apixaban order (RxNorm SCD with its name)', { requests: [{ drug: RX.apixaban5 }] }],
      ['apixaban order on hold', { requests: [{ drug: RX.apixaban5, status: 'on-hold' }] }],
      ['warfarin as a MedicationStatement (RxNorm SCD)', { statements: [RX.warfarin5] }],
      ['apixaban ingredient code only', { requests: [{ drug: RX.apixabanIngredient }] }],
    ];
    it.each(on)('%s: no anticoagulation card', async (name, o) => {
      const s = afPatient(`on-${name.replace(/\W+/g, '-')}`, mode, {
        ...typical,
        sex: 'male',
        age: 78,
        conditions: [ICD.hypertension, ICD.diabetes],
        ...o,
      });
      expect(await h.cards(s, mode)).toEqual([]);
    });

    it('a stopped anticoagulant does not count', async () => {
      const s = afPatient('stopped', mode, {
        ...typical,
        sex: 'male',
        age: 60,
        conditions: [ICD.hypertension, ICD.diabetes],
        requests: [{ drug: RX.apixaban5, status: 'stopped' }],
      });
      expect(only(await h.cards(s, mode)).summary).toBe(
        'CHA₂DS₂-VASc 2 — anticoagulation recommended; no anticoagulant on file',
      );
    });

    it('HAS-BLED ≥ 3 with modifiable factors: a card naming them with source and date', async () => {
      const s = afPatient('bleed', mode, {
        ...typical,
        sex: 'male',
        age: 70,
        sbp: 172,
        conditions: [ICD.hypertension],
        requests: [{ drug: RX.apixaban5 }, { drug: RX.ibuprofen }],
      });
      const card = only(await h.cards(s, mode));
      expect(card.summary).toBe(
        'HAS-BLED 3 — high bleeding risk on anticoagulation; address uncontrolled BP, antiplatelet/NSAID',
      );
      expect(card.indicator).toBe('warning');
      const p = s.patientId;
      expect(card.detail).toContain(
        [
          '**Modifiable factors to address**',
          `- Uncontrolled hypertension (SBP > 160) +1 — 172 mmHg (Observation/${p}-bp, 2026-10-01)`,
          `- Antiplatelet or NSAID +1 — ibuprofen (MedicationRequest/${p}-mr1, 2026-08-01)`,
        ].join('\n'),
      );
      // Non-modifiable criteria (age > 65 here) are in the side app's table, not on the card.
      expect(card.detail).not.toContain('Age > 65');
      expect(card.detail).not.toContain('Model:');
      expect(card.detail).toContain('HAS-BLED is not by itself a reason to withhold anticoagulation');
      expect(card.detail).toContain(`on apixaban 5 MG Oral Tablet (MedicationRequest/${p}-mr0)`);
      expect(card.suggestions).toBeUndefined();
    });

    it('HAS-BLED 4 with aspirin and alcohol named; bleeding history listed but not as modifiable', async () => {
      const s = afPatient('bleed4', mode, {
        ...typical,
        sex: 'female',
        age: 70,
        conditions: [ICD.alcoholDependence, ICD.giBleed],
        statements: [RX.warfarin5, RX.aspirin],
      });
      const card = only(await h.cards(s, mode));
      expect(card.summary).toBe(
        'HAS-BLED 4 — high bleeding risk on anticoagulation; address antiplatelet/NSAID, alcohol',
      );
      expect(card.detail).not.toContain('Bleeding history or predisposition');
      expect(card.detail).toContain('**Modifiable factors to address**');
    });

    it('HAS-BLED ≥ 3 with nothing modifiable: no card (nothing to act on)', async () => {
      const s = afPatient('bleed-fixed', mode, {
        ...typical,
        sex: 'male',
        age: 70,
        conditions: [ICD.stroke, ICD.giBleed],
        requests: [{ drug: RX.apixaban5 }],
      });
      expect(await h.cards(s, mode)).toEqual([]);
    });
  });

  it('not anticoagulated with HAS-BLED ≥ 3: the anticoagulation card names the factors and says it is no reason to withhold', async () => {
    const s = afPatient('both', mode, {
      ...typical,
      sex: 'male',
      age: 72,
      sbp: 168,
      conditions: [ICD.hypertension],
      requests: [{ drug: RX.aspirin }],
    });
    const card = only(await h.cards(s, mode));
    expect(card.summary).toBe('CHA₂DS₂-VASc 2 — anticoagulation recommended; no anticoagulant on file');
    expect(card.detail).toContain(
      '**Bleeding risk:** HAS-BLED 3 (high, ≥ 3). HAS-BLED is not by itself a reason to withhold anticoagulation',
    );
    expect(card.detail).toContain(
      `- Uncontrolled hypertension (SBP > 160) +1 — 168 mmHg (Observation/${s.patientId}-bp, 2026-10-01)`,
    );
    expect(card.detail).toContain(
      `- Antiplatelet or NSAID +1 — aspirin (MedicationRequest/${s.patientId}-mr0, 2026-08-01)`,
    );
  });

  describe('outside the population or short of data', () => {
    const none: [string, AfOptions][] = [
      [
        'no atrial fibrillation',
        { sex: 'male', age: 78, af: false, conditions: [ICD.hypertension, ICD.diabetes] },
      ],
      [
        'atrial fibrillation resolved',
        { sex: 'male', age: 78, af: 'resolved', conditions: [ICD.hypertension] },
      ],
      ['no birth date', { sex: 'male', conditions: [ICD.hypertension, ICD.diabetes] }],
      ['sex unknown', { sex: 'unknown', age: 78, conditions: [ICD.hypertension] }],
      ['age 17', { sex: 'male', age: 17, conditions: [ICD.hypertension, ICD.diabetes, ICD.heartFailure] }],
    ];
    it.each(none)('%s: no card', async (name, o) => {
      expect(
        await h.cards(afPatient(`none-${name.replace(/\W+/g, '-')}`, mode, { ...typical, ...o }), mode),
      ).toEqual([]);
    });

    it('no systolic BP: the card still comes, saying HAS-BLED could not be computed', async () => {
      const s = afPatient('nosbp', mode, {
        sex: 'male',
        age: 66,
        weightKg: 80,
        creatinineMgDl: 1,
        conditions: [ICD.diabetes],
      });
      const card = only(await h.cards(s, mode));
      expect(card.summary).toBe('CHA₂DS₂-VASc 2 — anticoagulation recommended; no anticoagulant on file');
      expect(card.detail).toContain(
        '**Bleeding risk:** HAS-BLED not computed (required input missing: systolic_bp_mm_hg).',
      );
    });

    it('medication orders unreadable (OperationOutcome): no card — "no anticoagulant on file" cannot be said', async () => {
      const outcome: OperationOutcome = {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'not allowed' }],
      };
      const s = afPatient('meds-unreadable', mode, {
        ...typical,
        sex: 'male',
        age: 78,
        conditions: [ICD.hypertension],
      });
      expect(await h.cards(s, mode, { medicationRequests: outcome })).toEqual([]);
    });

    it('conditions unreadable: 412 (the population cannot be checked)', async () => {
      const s = afPatient('cond-unreadable', mode, { ...typical, sex: 'male', age: 78 });
      const outcome: OperationOutcome = {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'exception', diagnostics: 'search failed' }],
      };
      await expect(h.cards(s, mode, { conditions: outcome })).rejects.toThrow(/^412: .*conditions/);
    });

    it('an order whose drug cannot be identified is named as a caveat', async () => {
      const s = afPatient('unidentified', mode, {
        ...typical,
        sex: 'male',
        age: 78,
        conditions: [ICD.hypertension],
        extra: (p) => [
          {
            resourceType: 'MedicationRequest',
            id: `${p}-opaque`,
            status: 'active',
            intent: 'order',
            subject: { reference: `Patient/${p}` },
            medicationReference: { reference: 'Medication/not-in-the-data' },
          },
        ],
      });
      const card = only(await h.cards(s, mode));
      expect(card.detail).toContain(
        `- MedicationRequest/${s.patientId}-opaque: drug not identifiable (medication reference not resolved)`,
      );
    });
  });
});

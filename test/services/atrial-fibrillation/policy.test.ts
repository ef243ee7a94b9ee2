/**
 * The AF and kidney services' card policy end to end: suppression through the feedback endpoint
 * (override → silent while the band is unchanged, band change → back, period expiry → back, accepted →
 * never repeated), site-disabled card ids, the stored result behind the smart link, suggestion
 * resources accepted by the FHIR server's $validate, the KFRE region setting, and card data errors at
 * start-up naming the file and the field.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FhirResource, OperationOutcome } from 'fhir/r4.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../../src/cds/types.js';
import { cardsDir } from '../../../src/cards/data.js';
import { builtInValueSets } from '../../../src/services/deps.js';
import { AF_CARD_FILE, loadAfCards } from '../../../src/services/atrial-fibrillation/data.js';
import { atrialFibrillationService } from '../../../src/services/atrial-fibrillation/index.js';
import { KIDNEY_CARD_FILE, loadKidneyCards } from '../../../src/services/kidney/data.js';
import { kidneyService } from '../../../src/services/kidney/index.js';
import {
  bp,
  condition,
  creatinine,
  egfr,
  ICD,
  medicationRequest,
  person,
  RX,
  uacr,
  weight,
} from './builders.js';
import { DAY_MS, startHarness, type Harness, type Scenario } from './harness.js';

const START = new Date('2026-11-22T12:00:00Z');

function afScenario(p: string, conditions: string[], more: FhirResource[] = []): Scenario {
  return {
    patientId: p,
    resources: [
      person(p, 'male', 60),
      condition(p, `${p}-af`, ICD.af),
      ...conditions.map((c, i) => condition(p, `${p}-c${String(i)}`, c)),
      bp(p, `${p}-bp`, 130),
      weight(p, `${p}-wt`, 80),
      creatinine(p, `${p}-cr`, 1.0),
      ...more,
    ],
  };
}

function kidneyScenario(p: string, eGfr: number, acr?: number): Scenario {
  return {
    patientId: p,
    resources: [
      person(p, 'male', 55),
      condition(p, `${p}-ckd`, ICD.ckd3b),
      egfr(p, `${p}-egfr`, eGfr, '2026-10-01'),
      ...(acr === undefined ? [] : [uacr(p, `${p}-acr`, acr)]),
    ],
  };
}

const override = (card: Card, at: Date) => ({
  card: card.uuid,
  outcome: 'overridden',
  overrideReason: { reason: card.overrideReasons?.[0] },
  outcomeTimestamp: at.toISOString(),
});

const one = (cards: Card[]): Card => {
  expect(cards).toHaveLength(1);
  return cards[0] as Card;
};

describe('suppression through the feedback endpoint (override period 30 days)', () => {
  let af: Harness;
  let kidney: Harness;
  beforeAll(async () => {
    af = await startHarness(atrialFibrillationService, { now: START });
    kidney = await startHarness(kidneyService, { now: START });
  });
  afterAll(async () => {
    await af.close();
    await kidney.close();
  });

  it('AF: an override silences the card; a band change brings it back; so does the end of the period', async () => {
    af.clock.now = START;
    const p = 'sup-af';
    const considered = one(await af.cards(afScenario(p, [ICD.hypertension]), 'prefetch'));
    expect(considered.summary).toBe('CHA₂DS₂-VASc 1 — consider anticoagulation; no anticoagulant on file');
    await af.feedback([override(considered, af.clock.now)]);
    expect(await af.cards(afScenario(p, [ICD.hypertension]), 'prefetch')).toEqual([]);
    // Same band from the FHIR server: still silent (history is per patient, not per data path).
    expect(await af.cards(afScenario(p, [ICD.hypertension]), 'fhir-server')).toEqual([]);

    const recommended = one(await af.cards(afScenario(p, [ICD.hypertension, ICD.diabetes]), 'prefetch'));
    expect(recommended.summary).toBe(
      'CHA₂DS₂-VASc 2 — anticoagulation recommended; no anticoagulant on file',
    );
    await af.feedback([override(recommended, af.clock.now)]);
    expect(await af.cards(afScenario(p, [ICD.hypertension, ICD.diabetes]), 'prefetch')).toEqual([]);

    af.clock.now = new Date(START.getTime() + 29 * DAY_MS);
    expect(await af.cards(afScenario(p, [ICD.hypertension, ICD.diabetes]), 'prefetch')).toEqual([]);
    af.clock.now = new Date(START.getTime() + 31 * DAY_MS);
    expect(one(await af.cards(afScenario(p, [ICD.hypertension, ICD.diabetes]), 'prefetch')).summary).toBe(
      'CHA₂DS₂-VASc 2 — anticoagulation recommended; no anticoagulant on file',
    );
  });

  it('AF: an accepted suggestion is not repeated, even after the override period', async () => {
    af.clock.now = START;
    const p = 'sup-af-acc';
    const card = one(await af.cards(afScenario(p, [ICD.hypertension, ICD.diabetes]), 'prefetch'));
    await af.feedback([
      {
        card: card.uuid,
        outcome: 'accepted',
        acceptedSuggestions: [{ id: card.suggestions?.[0]?.uuid }],
        outcomeTimestamp: af.clock.now.toISOString(),
      },
    ]);
    af.clock.now = new Date(START.getTime() + 90 * DAY_MS);
    expect(await af.cards(afScenario(p, [ICD.hypertension, ICD.diabetes]), 'prefetch')).toEqual([]);
  });

  it('AF bleeding card: the key carries the modifiable factors, so a new factor brings it back', async () => {
    af.clock.now = START;
    const p = 'sup-bleed';
    const base = [
      medicationRequest(p, `${p}-apx`, RX.apixaban5),
      medicationRequest(p, `${p}-nsaid`, RX.ibuprofen),
    ];
    const first = one(await af.cards(afScenario(p, [ICD.stroke, ICD.giBleed], base), 'prefetch'));
    expect(first.summary).toBe(
      'HAS-BLED 3 — high bleeding risk on anticoagulation; address antiplatelet/NSAID',
    );
    await af.feedback([override(first, af.clock.now)]);
    expect(await af.cards(afScenario(p, [ICD.stroke, ICD.giBleed], base), 'prefetch')).toEqual([]);
    const withAlcohol = one(
      await af.cards(afScenario(p, [ICD.stroke, ICD.giBleed, ICD.alcoholDependence], base), 'prefetch'),
    );
    expect(withAlcohol.summary).toBe(
      'HAS-BLED 4 — high bleeding risk on anticoagulation; address antiplatelet/NSAID, alcohol',
    );
  });

  it('kidney: an override silences the referral card; a higher tier brings it back', async () => {
    kidney.clock.now = START;
    const p = 'sup-kfre';
    const card = one(await kidney.cards(kidneyScenario(p, 38, 150), 'prefetch'));
    expect(card.summary).toBe('Kidney failure risk 9.0 % in 5 yr (KFRE) — refer to nephrology');
    await kidney.feedback([override(card, kidney.clock.now)]);
    expect(await kidney.cards(kidneyScenario(p, 38, 150), 'fhir-server')).toEqual([]);
    expect(one(await kidney.cards(kidneyScenario(p, 24, 400), 'prefetch')).summary).toBe(
      'Kidney failure risk 20.1 % in 2 yr (KFRE) — refer for multidisciplinary CKD care',
    );
  });

  it('kidney: the urine-ACR card is silenced by an override too', async () => {
    kidney.clock.now = START;
    const p = 'sup-acr';
    const card = one(await kidney.cards(kidneyScenario(p, 42), 'prefetch'));
    await kidney.feedback([override(card, kidney.clock.now)]);
    expect(await kidney.cards(kidneyScenario(p, 42), 'prefetch')).toEqual([]);
  });
});

describe('card ids switched off by the site (cards.disabled)', () => {
  let af: Harness;
  let kidney: Harness;
  const file = { cards: { disabled: ['af-anticoagulation', 'kfre-acr-missing'] } };
  beforeAll(async () => {
    af = await startHarness(atrialFibrillationService, { file });
    kidney = await startHarness(kidneyService, { file });
  });
  afterAll(async () => {
    await af.close();
    await kidney.close();
  });

  it('only the disabled ids go quiet', async () => {
    expect(await af.cards(afScenario('dis-af', [ICD.hypertension, ICD.diabetes]), 'prefetch')).toEqual([]);
    const p = 'dis-bleed';
    const bleeding = await af.cards(
      afScenario(
        p,
        [ICD.stroke, ICD.giBleed],
        [medicationRequest(p, `${p}-a`, RX.apixaban5), medicationRequest(p, `${p}-n`, RX.ibuprofen)],
      ),
      'prefetch',
    );
    expect(bleeding.map((c) => c.summary)).toEqual([
      'HAS-BLED 3 — high bleeding risk on anticoagulation; address antiplatelet/NSAID',
    ]);
    expect(await kidney.cards(kidneyScenario('dis-acr', 42), 'prefetch')).toEqual([]);
    expect(
      (await kidney.cards(kidneyScenario('dis-kfre', 38, 150), 'prefetch')).map((c) => c.summary),
    ).toEqual(['Kidney failure risk 9.0 % in 5 yr (KFRE) — refer to nephrology']);
  });
});

describe('the result behind the card, and the suggestions as FHIR', () => {
  let af: Harness;
  let kidney: Harness;
  beforeAll(async () => {
    af = await startHarness(atrialFibrillationService);
    kidney = await startHarness(kidneyService);
  });
  afterAll(async () => {
    await af.close();
    await kidney.close();
  });

  it('the smart link carries only the opaque id of a stored result with runs, provenance and model versions', async () => {
    const p = 'res-af';
    const card = one(await af.cards(afScenario(p, [ICD.hypertension, ICD.diabetes]), 'prefetch'));
    expect(card.links).toEqual([
      {
        label: 'Full explanation (Augur)',
        url: 'https://augur.test/smart-launch/launch.html',
        type: 'smart',
        appContext: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown,
      },
    ]);
    const id = card.links?.[0]?.appContext ?? '';
    const stored = await af.app.store.getResult(id, af.clock.now);
    const payload = stored?.payload as {
      serviceId: string;
      card: { key: string; band: string };
      runs: {
        model: { id: string; version: string };
        inputs: Record<string, { source?: string; date?: string }>;
      }[];
      findings: { dose: { kind: string } };
    };
    expect(payload.serviceId).toBe('augur-atrial-fibrillation');
    expect(payload.card).toMatchObject({ key: 'af-anticoagulation:band=recommended', band: 'recommended' });
    expect(payload.runs.map((r) => `${r.model.id}@${r.model.version}`)).toEqual([
      'cha2ds2-vasc@1.0.0',
      'has-bled@1.0.0',
    ]);
    expect(payload.runs[0]?.inputs['hypertension']).toMatchObject({
      source: `Condition/${p}-c0`,
      date: '2020-03-01',
    });
    expect(payload.findings.dose.kind).toBe('dose');
    // Identifiers and numbers only: the birth date is not kept, nor a name.
    expect(JSON.stringify(stored?.payload)).not.toContain('1966-06-01');
    const history = await af.app.store.findCardHistory({
      patientRef: `Patient/${p}`,
      serviceId: 'augur-atrial-fibrillation',
    });
    expect(history.map((e) => [e.cardKey, e.models, e.resultId])).toEqual([
      ['af-anticoagulation:band=recommended', ['cha2ds2-vasc@1.0.0', 'has-bled@1.0.0'], id],
    ]);
  });

  it('every suggested resource passes the FHIR server’s $validate', async () => {
    const drafts: FhirResource[] = [];
    const collect = (cards: Card[]): void => {
      for (const a of cards.flatMap((c) => c.suggestions ?? []).flatMap((s) => s.actions ?? []))
        if (a.resource !== undefined) drafts.push(a.resource);
    };
    collect(await af.cards(afScenario('val-dose', [ICD.hypertension, ICD.diabetes]), 'prefetch'));
    const r = 'val-review';
    collect(
      await af.cards(
        {
          patientId: r,
          resources: [person(r, 'male', 82), condition(r, `${r}-af`, ICD.af), bp(r, `${r}-bp`, 130)],
        },
        'prefetch',
      ),
    );
    collect(await kidney.cards({ ...kidneyScenario('val-kfre', 38, 150) }, 'prefetch'));
    collect(await kidney.cards({ ...kidneyScenario('val-acr', 42) }, 'prefetch'));
    expect(drafts.map((d) => d.resourceType)).toEqual([
      'MedicationRequest',
      'MedicationRequest',
      'ServiceRequest',
      'ServiceRequest',
    ]);
    for (const d of drafts) {
      const res = await fetch(`${af.fhir.baseUrl}/${d.resourceType}/$validate`, {
        method: 'POST',
        headers: {
          'content-type': 'application/fhir+json',
          authorization: 'Bearer ehr-access-token-for-the-test-fhir-server',
        },
        body: JSON.stringify(d),
      });
      const outcome = (await res.json()) as OperationOutcome;
      expect(outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
    }
  });

  it('discovery lists both services with CDS Hooks 2.0 prefetch templates', async () => {
    const res = await request(af.app.app)
      .get('/cds-services')
      .set('Authorization', `Bearer ${await af.app.token('/cds-services')}`)
      .expect(200);
    const entry = (res.body as { services: { id: string; prefetch: Record<string, string> }[] }).services[0];
    expect(entry?.id).toBe('augur-atrial-fibrillation');
    expect(Object.keys(entry?.prefetch ?? {})).toEqual([
      'patient',
      'conditions',
      'observations',
      'medicationRequests',
      'medicationStatements',
    ]);
    for (const q of Object.values(entry?.prefetch ?? {}))
      expect(q.match(/\{\{[^}]*\}\}/g)).toEqual(expect.arrayContaining(['{{context.patientId}}']) as unknown);
  });
});

describe('KFRE region (site setting)', () => {
  it('outside North America: the recalibrated baseline, named in the detail', async () => {
    const h = await startHarness(kidneyService, { file: { modelSettings: { 'kfre-region': 'other' } } });
    try {
      const card = one(await h.cards(kidneyScenario('region-other', 38, 150), 'prefetch'));
      expect(card.summary).toBe('Kidney failure risk 7.5 % in 5 yr (KFRE) — refer to nephrology');
      expect(card.detail).toContain(
        'Baseline risk calibrated for outside North America (Tangri 2016 recalibration) (site setting kfre-region).',
      );
    } finally {
      await h.close();
    }
  });

  it('not set at all: North America, and the detail says it is the default', async () => {
    const h = await startHarness(kidneyService, { file: { modelSettings: {} } });
    try {
      const card = one(await h.cards(kidneyScenario('region-none', 38, 150), 'prefetch'));
      expect(card.summary).toBe('Kidney failure risk 9.0 % in 5 yr (KFRE) — refer to nephrology');
      expect(card.detail).toContain(
        'Baseline risk calibrated for North America (site setting kfre-region not set: default).',
      );
    } finally {
      await h.close();
    }
  });

  it('a misspelt region stops start-up naming the setting', async () => {
    const h = await startHarness(kidneyService);
    try {
      expect(() => kidneyService({ ...h.app.deps, settings: { 'kfre-region': 'north-america' } })).toThrow(
        /modelSettings\.kfre-region: "north-america" is not north_america or other/,
      );
    } finally {
      await h.close();
    }
  });
});

describe('card data validated at start-up, errors naming the file and the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'augur-af-cards-'));
  const broken = (name: string, edit: (json: Record<string, unknown>) => void): string => {
    const source = join(cardsDir(), name);
    const file = join(dir, name);
    copyFileSync(source, file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(json);
    writeFileSync(file, JSON.stringify(json));
    return file;
  };
  const valueSets = builtInValueSets();

  it('the shipped files load', () => {
    expect(loadAfCards(valueSets).anticoagulation.cardId).toBe('af-anticoagulation');
    expect(loadKidneyCards().tiers.map((t) => t.id)).toEqual([
      'krt-planning',
      'multidisciplinary',
      'referral',
    ]);
  });

  it('AF: an unknown placeholder in a summary', () => {
    const file = broken(AF_CARD_FILE, (j) => {
      const bands = (j['anticoagulation'] as { bands: { recommended: { summary: string } } }).bands;
      bands.recommended.summary = 'CHA₂DS₂-VASc {points}';
    });
    expect(() => loadAfCards(valueSets, file)).toThrow(
      /atrial-fibrillation\.json: anticoagulation\.bands\.recommended\.summary: unknown placeholder \{points\}/,
    );
  });

  it('AF: a value set that does not exist', () => {
    const file = broken(AF_CARD_FILE, (j) => {
      (j['apixaban'] as { noDose: { conditionValueSets: string[] } }).noDose.conditionValueSets = [
        'no-such-set',
      ];
    });
    expect(() => loadAfCards(valueSets, file)).toThrow(
      /atrial-fibrillation\.json: apixaban\.noDose\.conditionValueSets\[0\]: unknown value set "no-such-set"/,
    );
  });

  it('AF: considered thresholds must sit below the recommended ones', () => {
    const file = broken(AF_CARD_FILE, (j) => {
      (j['anticoagulation'] as { thresholds: { considered: { male: number } } }).thresholds.considered.male =
        2;
    });
    expect(() => loadAfCards(valueSets, file)).toThrow(
      /anticoagulation\.thresholds: considered thresholds must be below/,
    );
  });

  it('a summary that could exceed 139 characters once filled', () => {
    const af = broken(AF_CARD_FILE, (j) => {
      const b = j['bleeding'] as { summary: string };
      b.summary = `${b.summary} — ${'x'.repeat(40)}`;
    });
    expect(() => loadAfCards(valueSets, af)).toThrow(
      /atrial-fibrillation\.json: bleeding\.summary: up to 1\d\d characters when filled \(max 139\)/,
    );
    const kidney = broken(KIDNEY_CARD_FILE, (j) => {
      j['referredSuffix'] = `; ${'nephrology referral already on file '.repeat(2)}`;
    });
    expect(() => loadKidneyCards(kidney)).toThrow(
      /kidney\.json: tiers\[0\]\.summary: up to 1\d\d characters/,
    );
  });

  it('kidney: a threshold that is not a fraction, and a stage that does not exist', () => {
    const file = broken(KIDNEY_CARD_FILE, (j) => {
      (j['tiers'] as { above: number }[])[2]!.above = 5;
      j['eligibleStages'] = ['g3a', 'g7'];
    });
    expect(() => loadKidneyCards(file)).toThrow(/kidney\.json: tiers\[2\]\.above: Too big/);
    expect(() => loadKidneyCards(file)).toThrow(/kidney\.json: eligibleStages\[1\]: no stage "g7"/);
  });
});

/**
 * PGx end to end through HTTP with signed JWTs and the real store: order-select → order-sign with
 * prefetch and with the FHIR server, suggestions validated by the real FHIR server's $validate (which
 * is shown to reject an invalid resource), duplicates suppressed (PDDI-CDS), patient-view's single
 * card, the IWPC warfarin estimate (models.md §5 example), and DSTU2 MedicationOrder refused with 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirResource, MedicationRequest, ServiceRequest } from 'fhir/r4.js';
import { responseViolations } from '../../../src/cds/card-invariants.js';
import type { ResultPayload } from '../../../src/cards/result.js';
import { pgxServices } from '../../../src/services/pgx/index.js';
import { startFhirServer, type FhirServer } from '../../support/fhir-server.js';
import { builtInModels, startServiceApp, type ServiceApp } from '../../support/services.js';
import { distributionsOf, resultBinner } from '../../../src/monitoring/drift.js';
import { anOrderRequest, aPatientViewRequest } from '../../support/hook-requests.js';
import { aGenotype, aMedicationRequest, aPatient } from '../../support/fhir-builders.js';
import { genotype } from '../../pgx/helpers.js';
import {
  cardsOf,
  draft,
  iwpcPatient,
  NOW,
  post,
  searchset,
  suggestedResources,
  validationErrors,
} from './harness.js';

const SELECT = 'augur-pgx-order-select';
const SIGN = 'augur-pgx-order-sign';
const VIEW = 'augur-pgx-patient-view';
const TOKEN = 'pgx-ehr-token';

let t: ServiceApp;
let fhir: FhirServer;
beforeAll(async () => {
  fhir = await startFhirServer({ requireToken: TOKEN });
  t = await startServiceApp((deps) => pgxServices(deps), {
    now: () => NOW,
    client: { fhirServers: [fhir.baseUrl] },
  });
});
afterAll(async () => {
  await t.close();
  await fhir.stop();
});

const validate = (r: FhirResource): Promise<string[]> => validationErrors(fhir.baseUrl, r, TOKEN);

const withSubject = (id: string, r: FhirResource): FhirResource =>
  r.resourceType === 'Observation' || r.resourceType === 'MedicationRequest'
    ? { ...r, subject: { reference: `Patient/${id}` } }
    : r;

function prefetchFor(
  id: string,
  observations: FhirResource[],
  meds: FhirResource[] = [],
): Record<string, unknown> {
  return {
    patient: aPatient({ id }),
    observations: searchset(observations.map((o) => withSubject(id, o))),
    medications: searchset(meds.map((m) => withSubject(id, m))),
  };
}

describe('the FHIR server really validates', () => {
  it('$validate rejects an invalid MedicationRequest (no status, intent, subject) and accepts a complete one', async () => {
    const bad = {
      resourceType: 'MedicationRequest',
      medicationCodeableConcept: { text: 'x' },
    } as unknown as MedicationRequest;
    const errors = await validate(bad);
    expect(errors.join(' ')).toMatch(/status/);
    expect(errors.join(' ')).toMatch(/subject/);
    expect(await validate(draft('ok', '309362', 'clopidogrel 75 MG Oral Tablet', 'p'))).toEqual([]);
  });
});

describe('order-select → order-sign with prefetch (clopidogrel, CYP2C19 *2/*2)', () => {
  const id = 'pgx-p1';
  const clop = draft('clop1', '309362', 'clopidogrel 75 MG Oral Tablet', id);
  const prefetch = prefetchFor(id, [genotype('CYP2C19', '*2/*2', { id: 'g-2c19', date: '2023-06-01' })]);

  it('order-select: one critical card with the CPIC reasoning, replacement suggestions valid on the FHIR server', async () => {
    const cards = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [clop], ['MedicationRequest/clop1'], { patientId: id, prefetch }),
    );
    expect(responseViolations({ cards })).toEqual([]);
    expect(cards.map((c) => c.summary)).toEqual([
      'Clopidogrel: CYP2C19 poor metabolizer — avoid clopidogrel; use prasugrel or ticagrelor (CPIC)',
    ]);
    const [card] = cards;
    expect(card?.indicator).toBe('critical');
    expect(card?.detail).toContain('CYP2C19 *2/*2 → poor metabolizer (Observation/g-2c19, 2023-06-01)');
    expect(card?.detail).toContain('**CPIC recommendation** (strong)');
    expect(card?.detail).toContain('Guideline version: 2022 update (2022-02-08)');
    expect(card?.detail).toContain('Prasugrel: contraindicated after a stroke or TIA');
    expect(card?.source).toMatchObject({
      label: 'CPIC clopidogrel–CYP2C19 (2022)',
      topic: { code: 'pharmacogenomics' },
    });
    expect(card?.selectionBehavior).toBe('at-most-one');
    expect(card?.overrideReasons?.map((r) => r.display)).toContain(
      'Alternative contraindicated or not tolerated',
    );
    const actions = card?.suggestions?.map((s) =>
      s.actions?.map((a) => `${a.type}:${a.resourceId ?? a.resource?.resourceType ?? ''}`),
    );
    // Default replaceStyle "update": one update of the draft itself (same id), new drug coded with text.
    expect(actions).toEqual([['update:MedicationRequest'], ['update:MedicationRequest']]);
    const created = suggestedResources(cards) as MedicationRequest[];
    expect(created.map((r) => r.medicationCodeableConcept?.coding?.[0]?.code)).toEqual(['1116635', '855812']);
    expect(created[0]).toMatchObject({
      id: 'clop1',
      status: 'draft',
      intent: 'order',
      subject: { reference: `Patient/${id}` },
      medicationCodeableConcept: {
        text: 'ticagrelor 90 MG Oral Tablet',
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1116635' }],
      },
    });
    expect(created[0]?.dosageInstruction?.[0]?.text).toMatch(/^ticagrelor 90 mg by mouth twice daily/);
    for (const r of created) expect(await validate(r)).toEqual([]);
    // The stored result carries the chain gene → diplotype → phenotype → recommendation.
    const stored = await t.store.getResult(card?.links?.[0]?.appContext ?? '', NOW);
    const [chain] = (stored?.payload as ResultPayload).findings as {
      genes: unknown[];
      recommendation: string;
    }[];
    expect(chain).toMatchObject({
      genes: [
        {
          gene: 'CYP2C19',
          diplotype: '*2/*2',
          phenotype: 'poor',
          source: 'Observation/g-2c19',
          date: '2023-06-01',
        },
      ],
      recommendation: expect.stringMatching(/Avoid clopidogrel/) as unknown,
    });
    const history = await t.store.findCardHistory({ patientRef: `Patient/${id}`, serviceId: SELECT });
    expect(history.map((h) => [h.cardKey, h.orderRefs])).toEqual([
      ['pgx:clopidogrel:CYP2C19=poor', ['MedicationRequest/clop1']],
    ]);
  });

  it('order-sign: the clopidogrel card is not repeated; an untested simvastatin order gets an info test card', async () => {
    const simva = draft('simva1', '198211', 'simvastatin 40 MG Oral Tablet', id);
    const cards = await cardsOf(
      t,
      SIGN,
      anOrderRequest('order-sign', [clop, simva], undefined, { patientId: id, prefetch }),
    );
    expect(responseViolations({ cards })).toEqual([]);
    expect(cards.map((c) => c.summary)).toEqual([
      'Simvastatin: no SLCO1B1 result on file — consider testing; CPIC dosing depends on it',
    ]);
    expect(cards[0]?.indicator).toBe('info');
    const [test] = suggestedResources(cards) as ServiceRequest[];
    expect(test).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'proposal',
      subject: { reference: `Patient/${id}` },
    });
    expect(test?.code?.coding?.map((c) => c.code)).toEqual(['405825005', 'HGNC:10959']);
    expect(await validate(test as FhirResource)).toEqual([]);
  });

  it('a different draft order for the same drug is a new order: shown at sign', async () => {
    const other = draft('clop2', '309362', 'clopidogrel 75 MG Oral Tablet', id);
    const cards = await cardsOf(
      t,
      SIGN,
      anOrderRequest('order-sign', [other], undefined, { patientId: id, prefetch }),
    );
    expect(cards).toHaveLength(1);
  });

  it('order-select only looks at the selected orders', async () => {
    const simva = draft('simva2', '198211', 'simvastatin 40 MG Oral Tablet', id);
    const cards = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [clop, simva], ['MedicationRequest/simva2'], {
        patientId: id,
        prefetch,
      }),
    );
    expect(cards.map((c) => c.summary)).toEqual([
      'Simvastatin: no SLCO1B1 result on file — consider testing; CPIC dosing depends on it',
    ]);
  });

  it('a normal result gives no card (CYP2C19 *1/*1)', async () => {
    const p = prefetchFor('pgx-normal', [genotype('CYP2C19', '*1/*1')]);
    const c = draft('c-n', '309362', 'clopidogrel 75 MG Oral Tablet', 'pgx-normal');
    expect(
      await cardsOf(
        t,
        SELECT,
        anOrderRequest('order-select', [c], ['MedicationRequest/c-n'], {
          patientId: 'pgx-normal',
          prefetch: p,
        }),
      ),
    ).toEqual([]);
  });
});

describe('dose adjustment and removal', () => {
  it('capecitabine, DPYD activity score 1: an update of the draft with half the dose, valid R4', async () => {
    const id = 'pgx-dpyd';
    const cape = draft('cape1', '200328', 'capecitabine 500 MG Oral Tablet', id, 1500);
    const prefetch = prefetchFor(id, [genotype('DPYD', 'Reference/c.1905+1G>A')]);
    const cards = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [cape], ['MedicationRequest/cape1'], { patientId: id, prefetch }),
    );
    expect(cards.map((c) => c.summary)).toEqual([
      'Capecitabine: DPYD intermediate metabolizer — reduce the starting dose by 50 % (CPIC)',
    ]);
    expect(cards[0]?.detail).toContain('matched to capecitabine by its name');
    const [update] = cards[0]?.suggestions?.[0]?.actions ?? [];
    expect(update?.type).toBe('update');
    const resource = update?.resource as MedicationRequest;
    expect(resource.id).toBe('cape1');
    expect(resource.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value).toBe(750);
    expect(await validate(resource)).toEqual([]);
  });

  it('abacavir, HLA-B*57:01 positive: critical, remove the order', async () => {
    const id = 'pgx-hla';
    const abc = draft('abc1', '190521', 'abacavir', id);
    const prefetch = prefetchFor(id, [
      aGenotype({ shape: 'legacy', gene: 'HLA-B', value: 'HLA-B*57:01 positive' }),
    ]);
    const cards = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [abc], ['MedicationRequest/abc1'], { patientId: id, prefetch }),
    );
    expect(cards[0]).toMatchObject({
      indicator: 'critical',
      summary: 'Abacavir: HLA-B *57:01 positive — abacavir not recommended (CPIC)',
    });
    expect(cards[0]?.suggestions?.[0]?.actions).toEqual([
      {
        type: 'delete',
        resourceId: 'MedicationRequest/abc1',
        description: 'Remove the draft abacavir order (CPIC: abacavir not recommended)',
      },
    ]);
  });

  it('an uninterpretable result is a warning to review, not silence', async () => {
    const id = 'pgx-bad';
    const c = draft('c-bad', '309362', 'clopidogrel 75 MG Oral Tablet', id);
    const prefetch = prefetchFor(id, [genotype('CYP2C19', '*1/*35')]);
    const cards = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [c], ['MedicationRequest/c-bad'], { patientId: id, prefetch }),
    );
    expect(cards.map((x) => [x.indicator, x.summary])).toEqual([
      [
        'warning',
        'Clopidogrel: CYP2C19 result on file could not be interpreted — review it before prescribing',
      ],
    ]);
    expect(cards[0]?.detail).toMatch(/\*35 is not in Augur's CPIC table/);
  });
});

describe('with the FHIR server (no prefetch): the EHR token goes to the FHIR server', () => {
  it('reads genotypes from the server, suggests, and suppresses at sign', async () => {
    const id = 'pgx-srv';
    await fhir.seed([aPatient({ id }), withSubject(id, genotype('SLCO1B1', '*5/*15', { id: 'g-slco' }))]);
    fhir.requests.length = 0;
    const simva = draft('s-srv', '198211', 'simvastatin 40 MG Oral Tablet', id);
    const o = { patientId: id, fhirServer: fhir.baseUrl, accessToken: TOKEN };
    const select = await cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [simva], ['MedicationRequest/s-srv'], o),
    );
    expect(select.map((c) => c.summary)).toEqual([
      'Simvastatin: SLCO1B1 poor function — prescribe an alternative statin (CPIC)',
    ]);
    expect(fhir.requests.some((r) => r.url.startsWith('/fhir/Observation?patient=pgx-srv'))).toBe(true);
    expect(fhir.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    for (const r of suggestedResources(select)) expect(await validate(r)).toEqual([]);
    expect(await cardsOf(t, SIGN, anOrderRequest('order-sign', [simva], undefined, o))).toEqual([]);
  });
});

describe('patient-view', () => {
  it('one concise card listing every gene–drug finding for active medications', async () => {
    const id = 'pgx-pv';
    const meds = [
      aMedicationRequest({ id: 'm1', rxnorm: '309362', display: 'clopidogrel 75 MG Oral Tablet' }),
      aMedicationRequest({ id: 'm2', rxnorm: '198211', display: 'simvastatin 40 MG Oral Tablet' }),
      aMedicationRequest({ id: 'm3', rxnorm: '855332', display: 'warfarin sodium 5 MG Oral Tablet' }),
    ];
    const prefetch = prefetchFor(
      id,
      [genotype('CYP2C19', '*1/*2'), genotype('SLCO1B1', '*1/*5'), genotype('CYP2C9', '*1/*1')],
      meds,
    );
    const cards = await cardsOf(t, VIEW, aPatientViewRequest({ patientId: id, prefetch }));
    expect(responseViolations({ cards })).toEqual([]);
    expect(cards.map((c) => c.summary)).toEqual([
      'Pharmacogenomic findings affect 2 active medication(s): clopidogrel, simvastatin',
    ]);
    expect(cards[0]?.detail).toContain('**clopidogrel** — CYP2C19 *1/*2 → intermediate metabolizer');
    expect(cards[0]?.detail).toContain('**simvastatin** — SLCO1B1 *1/*5 → decreased function');
  });

  it('nothing actionable: no card', async () => {
    const prefetch = prefetchFor(
      'pgx-pv0',
      [genotype('CYP2C19', '*1/*1')],
      [aMedicationRequest({ id: 'm0', rxnorm: '309362' })],
    );
    expect(await cardsOf(t, VIEW, aPatientViewRequest({ patientId: 'pgx-pv0', prefetch }))).toEqual([]);
  });
});

describe('warfarin: IWPC estimate to review (models.md §5)', () => {
  const warf = (id: string) => draft(`w-${id}`, '855332', 'warfarin sodium 5 MG Oral Tablet', id);
  const run = async (id: string, genes: FhirResource[]) => {
    const [patient, ...obs] = iwpcPatient(id);
    const prefetch = { ...prefetchFor(id, [...obs, ...genes]), patient };
    return cardsOf(
      t,
      SELECT,
      anOrderRequest('order-select', [warf(id)], [`MedicationRequest/w-${id}`], { patientId: id, prefetch }),
    );
  };

  it('pharmacogenetic (VKORC1 G/G, CYP2C9 *1/*1, White): 43.33 mg/week', async () => {
    const cards = await run('w-pg', [genotype('VKORC1', 'G/G'), genotype('CYP2C9', '*1/*1')]);
    expect(responseViolations({ cards })).toEqual([]);
    expect(cards.map((c) => c.summary)).toEqual([
      'Warfarin: IWPC pharmacogenetic estimate 43.3 mg/week (≈ 6.19 mg/day) — estimate to review',
    ]);
    expect(cards[0]?.suggestions).toBeUndefined();
    const stored = await t.store.getResult(cards[0]?.links?.[0]?.appContext ?? '', NOW);
    const iwpc = (stored?.payload as ResultPayload).runs[0];
    expect(iwpc?.status === 'ok' && iwpc.outputs['weekly_dose_mg']).toBeCloseTo(43.33, 1);

    // The drift job counts this stored result into the IWPC development bins (Table 1 of the paper):
    // every one of the eight inputs lands in its bin, as the monitoring job would count it.
    if (stored === undefined) throw new Error('no stored result');
    const bins = resultBinner(distributionsOf(await builtInModels()))(stored);
    expect(Object.fromEntries(bins.map((b) => [b.input, b.bin]))).toEqual({
      age_years: '5', // 65 years: the 60–69 decade
      height_cm: '2', // 175 cm: between the median 168 and Q3 176
      weight_kg: '2', // 80 kg: between the median 75.3 and Q3 89.4
      race: 'white',
      vkorc1_rs9923231: 'G/G',
      cyp2c9_diplotype: '*1/*1',
      enzyme_inducer: 'false',
      amiodarone: 'false',
    });
    expect(new Set(bins.map((b) => b.modelId))).toEqual(new Set(['iwpc-warfarin']));
  });

  it('clinical when genotypes are missing: 31.89 mg/week, with the genotype test suggested', async () => {
    const cards = await run('w-cl', []);
    expect(cards.map((c) => c.summary)).toEqual([
      'Warfarin: IWPC clinical estimate 31.9 mg/week (≈ 4.56 mg/day) — estimate to review',
    ]);
    const [test] = suggestedResources(cards) as ServiceRequest[];
    expect(test?.code?.text).toBe('CYP2C9 and VKORC1 genotyping');
    const stored = await t.store.getResult(cards[0]?.links?.[0]?.appContext ?? '', NOW);
    const iwpc = (stored?.payload as ResultPayload).runs[0];
    expect(iwpc?.status === 'ok' && Math.abs((iwpc.outputs['weekly_dose_mg'] ?? 0) - 31.89) <= 0.05).toBe(
      true,
    );
  });

  it('more reduced-function alleles → monotone lower dose (IWPC 2009); CYP2C9 *3/*3 carries the CPIC caution', async () => {
    const dose = async (id: string, vk: string, c9: string): Promise<number> => {
      const [card] = await run(id, [genotype('VKORC1', vk), genotype('CYP2C9', c9)]);
      const stored = await t.store.getResult(card?.links?.[0]?.appContext ?? '', NOW);
      const r = (stored?.payload as ResultPayload).runs[0];
      return r?.status === 'ok' ? (r.outputs['weekly_dose_mg'] ?? Number.NaN) : Number.NaN;
    };
    const vkorc1 = [
      await dose('m-gg', 'G/G', '*1/*1'),
      await dose('m-ag', 'A/G', '*1/*1'),
      await dose('m-aa', 'A/A', '*1/*1'),
    ];
    expect(vkorc1[0]).toBeGreaterThan(vkorc1[1] ?? Infinity);
    expect(vkorc1[1]).toBeGreaterThan(vkorc1[2] ?? Infinity);
    const cyp = [
      await dose('c-11', 'G/G', '*1/*1'),
      await dose('c-12', 'G/G', '*1/*2'),
      await dose('c-22', 'G/G', '*2/*2'),
      await dose('c-23', 'G/G', '*2/*3'),
      await dose('c-33', 'G/G', '*3/*3'),
    ];
    for (let i = 1; i < cyp.length; i++) expect(cyp[i]).toBeLessThan(cyp[i - 1] ?? -Infinity);
    const [caution] = await run('c-33b', [genotype('VKORC1', 'G/G'), genotype('CYP2C9', '*3/*3')]);
    expect(caution?.indicator).toBe('warning');
    expect(caution?.detail).toMatch(/consider an alternative agent/);
  });
});

describe('DSTU2 clients', () => {
  it('MedicationOrder in draftOrders: a clear 400', async () => {
    const body = anOrderRequest('order-sign', [], undefined, { patientId: 'pgx-dstu2' });
    (body['context'] as { draftOrders: { entry: unknown[] } }).draftOrders.entry = [
      { resource: { resourceType: 'MedicationOrder', id: 'mo1', status: 'draft' } },
    ];
    const res = await post(t, SIGN, body, 400);
    expect(JSON.stringify(res.body)).toMatch(
      /MedicationOrder is a DSTU2 resource; send an R4 MedicationRequest/,
    );
  });
});

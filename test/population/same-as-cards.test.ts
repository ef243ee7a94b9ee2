/**
 * A patient's bulk result equals the card result for the same data: panel patients loaded into the real
 * FHIR test server and called through HTTP (signed JWT, prefetch filled from the discovery templates as
 * an EHR fills it — test/panel/harness.ts), against scorePatient over the same resources as bulk data.
 * Cards (id, key, band, indicator) must be identical, and each RiskAssessment's probability must be
 * the number stored behind the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScorer, type Scorer } from '../../src/population/scorer.js';
import { scorePatient } from '../../src/population/score-patient.js';
import type { ResultPayload } from '../../src/cards/result.js';
import { patientView, readIndex, startPanelWorld, type PanelWorld } from '../panel/harness.js';
import { AS_OF, panelResources } from './support.js';

const PATIENTS = [
  'augur-example',
  'augur-cv-low',
  'augur-cv-borderline',
  'augur-cv-lipids-stale',
  'augur-cv-severe-ldl',
  'augur-af-on-warfarin',
  'augur-af-bleeding-risk',
  'augur-af-female-considered',
  'augur-kfre-krt-planning',
  'augur-kfre-acr-missing',
  'augur-pgx-b',
];
const SERVICES = [
  'augur-cardiovascular-risk',
  'augur-atrial-fibrillation',
  'augur-kidney-risk',
  'augur-pgx-patient-view',
];

let world: PanelWorld;
let scorer: Scorer;

beforeAll(async () => {
  const index = readIndex();
  expect(index.patients.map((p) => p.id)).toEqual(expect.arrayContaining(PATIENTS));
  world = await startPanelWorld(index, { patients: PATIENTS });
  scorer = await openScorer();
}, 120_000);
afterAll(async () => {
  await world.close();
  await scorer.close();
});

describe('scorePatient vs the hook answer for the same data', () => {
  it.each(PATIENTS)('%s: same cards, same numbers', async (patientId) => {
    const bulk = await scorePatient(scorer.deps, panelResources(patientId), AS_OF);
    if (bulk.status !== 'scored') throw new Error(`not scored: ${bulk.reason}`);
    const hook = [];
    for (const service of SERVICES) {
      const seen = await patientView(world, service, patientId, 'prefetch');
      hook.push(
        ...seen.map((c) => ({
          serviceId: service,
          card: c.card,
          key: c.key,
          band: c.band,
          indicator: c.indicator,
        })),
      );
    }
    const fromBulk = bulk.cards.map((c) => ({
      serviceId: c.serviceId,
      card: c.card,
      key: c.key,
      band: c.band,
      indicator: c.indicator,
    }));
    expect(fromBulk).toEqual(hook);

    // One RiskAssessment per patient and successful model run.
    for (const m of bulk.models.filter((x) => x.status === 'ok')) {
      const id = m.model.split('@')[0] ?? '';
      const ras = bulk.riskAssessments.filter((r) => r.method?.coding?.[0]?.code === id);
      expect(ras, m.model).toHaveLength(1);
    }
  });

  it('stores the same run outputs as the hook path behind a card', async () => {
    const patientId = 'augur-example';
    const bulk = await scorePatient(scorer.deps, panelResources(patientId), AS_OF);
    if (bulk.status !== 'scored') throw new Error('not scored');
    const seen = await patientView(world, 'augur-kidney-risk', patientId, 'prefetch');
    expect(seen).toHaveLength(1);
    const history = await world.t.store.findCardHistory({
      patientRef: `Patient/${patientId}`,
      serviceId: 'augur-kidney-risk',
    });
    const resultId = history.at(-1)?.resultId ?? '';
    const payload = (await world.t.store.getResult(resultId, world.now))?.payload as ResultPayload;
    const hookRun = payload.runs.find((r) => r.model.id === 'kfre-4v');
    const bulkRun = bulk.models.find((m) => m.model.startsWith('kfre-4v@'));
    expect(hookRun?.status).toBe('ok');
    expect(bulkRun?.outputs).toEqual(hookRun?.status === 'ok' ? hookRun.outputs : undefined);
    const ra = bulk.riskAssessments.find((r) => r.method?.coding?.[0]?.code === 'kfre-4v');
    const probabilities = (ra?.prediction ?? []).map((p) => p.probabilityDecimal);
    expect(probabilities).toEqual(
      expect.arrayContaining([hookRun?.status === 'ok' ? hookRun.outputs['risk_5y'] : NaN]),
    );
  });
});

/**
 * augur-breast-rfs-research: OFF by default (not in discovery, 404 when called), and when a site switches
 * it on, one informational card whose survival figures are the model's S(t) for the chart's inputs —
 * through HTTP with signed JWTs, the real store and the built-in models (harness of the AF tests).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percent } from '../../../src/cards/build.js';
import { evaluate } from '../../../src/models/evaluate.js';
import { survivalCurve } from '../../../src/models/survival.js';
import {
  BREAST_RFS_MODEL_ID,
  BREAST_RFS_SERVICE_ID,
  breastRfsService,
} from '../../../src/services/breast-rfs-research/index.js';
import { aBreastPatient } from './builders.js';
import { startHarness, type Harness, type Scenario } from '../atrial-fibrillation/harness.js';

function patient(p: string, withCancer = true): Scenario {
  return aBreastPatient(
    p,
    { age: 61, postmenopausal: true, tamoxifen: true, sizeMm: 32, nodes: 6, pgr: 20, er: 40 },
    withCancer,
  );
}

describe('off by default', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(breastRfsService);
  });
  afterAll(() => h.close());

  it('is not in discovery and answers 404: the model appears in no card', async () => {
    const res = await request(h.app.app).get('/cds-services').expect(200);
    const ids = (res.body as { services: { id: string }[] }).services.map((s) => s.id);
    expect(ids).not.toContain(BREAST_RFS_SERVICE_ID);
    await expect(h.cards(patient('bo-1'), 'prefetch')).rejects.toThrow(/^404/);
  });
});

describe('switched on by the site', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(breastRfsService, {
      file: { services: { [BREAST_RFS_SERVICE_ID]: { enabled: true } } },
    });
  });
  afterAll(() => h.close());

  it('is in discovery', async () => {
    const res = await request(h.app.app).get('/cds-services').expect(200);
    const ids = (res.body as { services: { id: string }[] }).services.map((s) => s.id);
    expect(ids).toContain(BREAST_RFS_SERVICE_ID);
  });

  it('gives one info card with the model’s recurrence-free survival and the research disclaimer', async () => {
    const cards = await h.cards(patient('bs-1'), 'prefetch');
    expect(cards).toHaveLength(1);
    const card = cards[0];
    const model = h.app.deps.models().get(BREAST_RFS_MODEL_ID);
    if (card === undefined || model?.manifest.survival === undefined) throw new Error('no card or model');
    const r = await evaluate(
      model,
      {
        hormonal_therapy: true,
        age_years: 61,
        postmenopausal: true,
        tumour_size_mm: 32,
        positive_lymph_nodes: 6,
        progesterone_receptor_fmol_l: 20,
        estrogen_receptor_fmol_l: 40,
      },
      { explain: false },
    );
    const curve = survivalCurve(model.manifest.survival, r.outputs['log_risk'] ?? NaN);
    const s = (y: number): string => percent(curve.points.find((p) => p.time === y)?.survival ?? NaN);
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe(
      `RESEARCH model, not for treatment decisions: recurrence-free survival ${s(5)} at 5 y, ${s(10)} at 10 y`,
    );
    expect(card.detail).toMatch(/1978–1993/);
    expect(card.detail).toContain(`10 y: ${s(10)}`);
    expect(card.suggestions ?? []).toEqual([]);
  });

  it('no card without a breast-cancer diagnosis (outside the population)', async () => {
    expect(await h.cards(patient('bs-2', false), 'prefetch')).toEqual([]);
  });
});

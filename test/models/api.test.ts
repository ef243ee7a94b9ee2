import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/auth/rate-limit.js';
import { loadModelRegistry } from '../../src/models/registry.js';
import { startModelRegistry, type ModelRegistryHandle } from '../../src/models/startup.js';
import type { ModelRegistry } from '../../src/models/types.js';
import { testLogger } from '../support/logs.js';
import { fixture, tempModelsDir, testApp } from './helpers.js';

let registry: ModelRegistry;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  const dir = tempModelsDir({
    'contract-demo': fixture('contract-demo'),
    'points-demo': fixture('points-demo'),
  });
  registry = await loadModelRegistry({ dirs: [dir], onBroken: 'refuse-to-start', log: testLogger() });
  app = testApp(registry);
});
afterAll(() => registry.close());

const inputs = {
  age_years: 60,
  systolic_bp_mm_hg: 140,
  bmi_kg_m2: 31,
  current_smoker: true,
  race: 'black',
  uacr_mg_g: 30,
};

describe('GET /api/models', () => {
  it('lists the loaded model cards', async () => {
    const res = await request(app).get('/api/models').expect(200);
    const body = res.body as { models: { id: string; citations: unknown[]; links: { evaluate: string } }[] };
    expect(body.models.map((m) => m.id)).toEqual(['contract-demo', 'points-demo']);
    expect(body.models[0]!.citations.length).toBeGreaterThan(0);
    expect(body.models[0]!.links.evaluate).toBe('/api/models/contract-demo/evaluate');
  });

  it('GET /api/models/:id gives one card with its input contract; unknown id → 404 OperationOutcome', async () => {
    const res = await request(app).get('/api/models/contract-demo').expect(200);
    const card = res.body as { id: string; inputs: { name: string; missing: { policy: string } }[] };
    expect(card.id).toBe('contract-demo');
    expect(card.inputs.map((i) => `${i.name}:${i.missing.policy}`)).toContain('uacr_mg_g:model-handles');
    const missing = await request(app).get('/api/models/nope').expect(404);
    expect(missing.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });
});

describe('POST /api/models/:id/evaluate', () => {
  it('evaluates with an explanation by default', async () => {
    const res = await request(app).post('/api/models/contract-demo/evaluate').send({ inputs }).expect(200);
    const body = res.body as {
      model: unknown;
      outputs: Record<string, number>;
      explanation: { method: string; contributions: unknown[] };
      warnings: unknown[];
    };
    expect(body.model).toEqual({ id: 'contract-demo', version: '0.1.0' });
    expect(Object.keys(body.outputs)).toEqual(['risk', 'risk_cox']);
    expect(body.explanation.method).toBe('shapley-exact');
    expect(body.explanation.contributions).toHaveLength(6);
    expect(body.warnings).toEqual([]);
  });

  it('explain: false leaves the explanation out', async () => {
    const res = await request(app)
      .post('/api/models/contract-demo/evaluate')
      .send({ inputs, explain: false })
      .expect(200);
    expect(res.body).not.toHaveProperty('explanation');
  });

  it.each([
    [{ inputs: { ...inputs, age_years: undefined } }, 'required', 'inputs.age_years'],
    [{ inputs: { ...inputs, current_smoker: 'yes' } }, 'invalid', 'inputs.current_smoker'],
    [{ inputs: { ...inputs, race: 'martian' } }, 'invalid', 'inputs.race'],
    [{ inputs: { ...inputs, age_years: 95 } }, 'invalid', 'inputs.age_years'],
    [{ inputs: { ...inputs, glucose: 5 } }, 'invalid', 'inputs.glucose'],
    [{ inputs: 'age=60' }, 'invalid', 'inputs'],
    [{}, 'required', 'inputs'],
    [{ inputs, explain: 'yes' }, 'invalid', 'explain'],
    [{ inputs, patient: 'x' }, 'invalid', 'patient'],
  ])('400 with an OperationOutcome naming the field (%#)', async (body, code, expression) => {
    const res = await request(app).post('/api/models/contract-demo/evaluate').send(body).expect(400);
    expect(res.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code, expression: [expression] }],
    });
  });

  it('range messages print units a person reads ("years"); the contract keeps the UCUM code', async () => {
    const res = await request(app)
      .post('/api/models/contract-demo/evaluate')
      .send({ inputs: { ...inputs, age_years: 85 } })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('30–79 years');
    expect(JSON.stringify(res.body)).not.toMatch(/79 a\b/);
    const card = await request(app).get('/api/models/contract-demo').expect(200);
    const age = (card.body as { inputs: { name: string; unit?: string }[] }).inputs.find(
      (i) => i.name === 'age_years',
    );
    expect(age?.unit).toBe('a');
  });

  it('unknown model → 404', async () => {
    const res = await request(app).post('/api/models/nope/evaluate').send({ inputs }).expect(404);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });

  it('a points model explains with its points table', async () => {
    const res = await request(app)
      .post('/api/models/points-demo/evaluate')
      .send({
        inputs: {
          age_years: 70,
          sex: 'female',
          chf: false,
          hypertension: true,
          diabetes: false,
          stroke_tia: true,
        },
      })
      .expect(200);
    const body = res.body as {
      outputs: { score: number };
      explanation: {
        method: string;
        contributions: { input: string; points?: { score: number }; met?: boolean }[];
      };
    };
    expect(body.outputs.score).toBe(5);
    expect(body.explanation.method).toBe('points-table');
    expect(body.explanation.contributions.map((c) => [c.input, c.points?.score, c.met])).toEqual([
      ['age_years', 1, undefined],
      ['sex', 1, undefined],
      ['chf', 0, false],
      ['hypertension', 1, true],
      ['diabetes', 0, false],
      ['stroke_tia', 2, true],
    ]);
  });
});

describe('evaluate is rate-limited per client IP', () => {
  it('answers 429 with Retry-After past the limit; reading model cards is not counted', async () => {
    const limited = testApp(registry, { limiter: new MemoryRateLimiter(), perIpPerMinute: 2 });
    for (let i = 0; i < 3; i++) await request(limited).get('/api/models').expect(200);
    for (let i = 0; i < 2; i++)
      await request(limited).post('/api/models/points-demo/evaluate').send({ inputs: {} }).expect(400);
    const res = await request(limited).post('/api/models/points-demo/evaluate').send({ inputs: {} });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
  });
});

describe('readiness', () => {
  const pending = (error?: Error): ModelRegistryHandle => ({
    ready: false,
    current: undefined,
    error,
    loaded: new Promise<ModelRegistry>(() => undefined),
  });

  it('answers 503 with Retry-After while the registry is loading, or after it failed', async () => {
    for (const handle of [pending(), pending(new Error('refused'))]) {
      const res = await request(testApp(handle))
        .post('/api/models/points-demo/evaluate')
        .send({ inputs: {} });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
    }
  });

  it('serves once the handle is loaded', async () => {
    const handle = startModelRegistry({
      dirs: [tempModelsDir({ p: fixture('points-demo') })],
      onBroken: 'skip',
      log: testLogger(),
    });
    const loaded = await handle.loaded;
    const res = await request(testApp(handle)).get('/api/models').expect(200);
    expect((res.body as { models: { id: string }[] }).models.map((m) => m.id)).toEqual(['points-demo']);
    await loaded.close();
  });
});

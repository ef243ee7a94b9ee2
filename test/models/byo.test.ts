/**
 * Bring your own model: an ONNX file produced by a real external tool (PyTorch's torch.onnx.export,
 * test/fixtures/models/byo-example/export.py) loads, reproduces PyTorch's own outputs in onnxruntime, and a site
 * folder named by AUGUR_MODELS_DIR is served exactly like the built-ins.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/models/evaluate.js';
import { loadModelRegistry } from '../../src/models/registry.js';
import { modelDirs } from '../../src/models/startup.js';
import { testLogger } from '../support/logs.js';
import { BYO, editManifest, model, tempModelsDir, testApp } from './helpers.js';

interface Vectors {
  model: string;
  vectors: {
    name: string;
    inputs: Record<string, unknown>;
    expected: Record<string, number>;
    tolerance: number;
  }[];
}

describe('byo-example (PyTorch export)', () => {
  it('was produced by PyTorch and ships its export script', () => {
    const onnx = readFileSync(join(BYO, 'model.onnx'));
    expect(onnx.includes(Buffer.from('pytorch'))).toBe(true);
    expect(readFileSync(join(BYO, 'export.py'), 'utf8')).toContain('torch.onnx.export(');
  });

  it('onnxruntime reproduces PyTorch’s outputs (vectors.json) through evaluate()', async () => {
    const m = await model(BYO);
    const file = JSON.parse(readFileSync(join(BYO, 'vectors.json'), 'utf8')) as Vectors;
    expect(file.model).toBe('byo-example');
    expect(file.vectors.length).toBeGreaterThanOrEqual(5);
    for (const v of file.vectors) {
      const r = await evaluate(m, v.inputs, { explain: false });
      expect(Math.abs(r.outputs['risk']! - v.expected['risk']!), v.name).toBeLessThanOrEqual(v.tolerance);
    }
  });

  it('its card says plainly it is a demonstration fixture', async () => {
    const { manifest } = await model(BYO);
    expect(manifest.intendedUse).toMatch(/^Demonstration only/);
    expect(manifest.limitations[0]).toMatch(/Not a clinical model/);
  });

  it('a site folder in AUGUR_MODELS_DIR is served like the built-ins, with explanations', async () => {
    const site = tempModelsDir({ 'site-risk': BYO });
    editManifest(join(site, 'site-risk'), (m) => {
      m['id'] = 'site-risk';
    });
    const empty = tempModelsDir({});
    const dirs = modelDirs({ AUGUR_MODELS_DIR: site }, empty);
    expect(dirs).toEqual([empty, site]);
    const registry = await loadModelRegistry({ dirs, onBroken: 'refuse-to-start', log: testLogger() });
    try {
      const app = testApp(registry);
      const list = await request(app).get('/api/models').expect(200);
      expect((list.body as { models: { id: string }[] }).models.map((x) => x.id)).toEqual(['site-risk']);
      const res = await request(app)
        .post('/api/models/site-risk/evaluate')
        .send({ inputs: { age_years: 62, sex: 'male', systolic_bp_mm_hg: 150 } })
        .expect(200);
      const body = res.body as {
        outputs: { risk: number };
        warnings: { input: string; code: string }[];
        explanation: { method: string; contributions: { input: string; contribution: { risk: number } }[] };
      };
      expect(body.outputs.risk).toBeGreaterThan(0);
      expect(body.warnings.map((w) => [w.input, w.code])).toEqual([['current_smoker', 'defaulted']]);
      expect(body.explanation.method).toBe('shapley-exact');
      expect(
        body.explanation.contributions.find((c) => c.input === 'current_smoker')!.contribution.risk,
      ).toBe(0);
    } finally {
      await registry.close();
    }
  });
});

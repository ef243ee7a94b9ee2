/**
 * Every package shipped under models/ loads through the registry (refuse-to-start: none may be broken),
 * reproduces its vectors through evaluate() (the service path: contract checks, encoding, ONNX), and
 * explains each vector exactly (contributions sum to the additive-scale difference to 1e−9).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/models/evaluate.js';
import { loadModelRegistry } from '../../src/models/registry.js';
import { builtInModelsDir } from '../../src/models/startup.js';
import type { ModelRegistry } from '../../src/models/types.js';
import { testLogger } from '../support/logs.js';

interface Vector {
  name: string;
  inputs: Record<string, unknown>;
  expected: Record<string, number>;
  tolerance: number;
}

/** Both vector layouts in the repo: {expected, tolerance} per vector, or {outputs} with a file tolerance. */
function readVectors(dir: string): Vector[] {
  const file = join(dir, 'vectors.json');
  if (!existsSync(file)) return [];
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    tolerance?: number | { absolute: number };
    vectors: {
      name: string;
      inputs: Record<string, unknown>;
      expected?: Record<string, number>;
      outputs?: Record<string, number>;
      tolerance?: number;
    }[];
  };
  const fileTol = typeof raw.tolerance === 'number' ? raw.tolerance : raw.tolerance?.absolute;
  return raw.vectors.map((v) => ({
    name: v.name,
    inputs: v.inputs,
    expected: v.expected ?? v.outputs ?? {},
    tolerance: v.tolerance ?? fileTol ?? 0,
  }));
}

const MODELS = builtInModelsDir();
let registry: ModelRegistry;
beforeAll(async () => {
  registry = await loadModelRegistry({ dirs: [MODELS], onBroken: 'refuse-to-start', log: testLogger() });
});
afterAll(() => registry.close());

describe('built-in model packages', () => {
  it('all load, none broken; test fixtures (the PyTorch bring-your-own example) are not among them', () => {
    expect(registry.broken).toEqual([]);
    const ids = registry.list().map((m) => m.manifest.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'ascvd-pce-10y',
        'prevent-10y',
        'prevent-30y',
        'kfre-4v',
        'cha2ds2-vasc',
        'has-bled',
        'iwpc-warfarin',
        'learned-pima-diabetes',
        'deepsurv-rotterdam-gbsg',
      ]),
    );
    expect(ids).not.toContain('byo-example');
  });

  it('every vector is reproduced through evaluate(), and every explanation is exact in sum', async () => {
    let checked = 0;
    for (const m of registry.list()) {
      for (const v of readVectors(m.dir)) {
        const r = await evaluate(m, v.inputs, { explain: true });
        for (const [name, expected] of Object.entries(v.expected)) {
          const got = r.outputs[name];
          expect(
            Math.abs((got ?? Number.NaN) - expected),
            `${m.manifest.id} / ${v.name} / ${name}: got ${got}, expected ${expected}`,
          ).toBeLessThanOrEqual(v.tolerance + 1e-12);
        }
        for (const s of r.explanation!.scales) {
          const total = r.explanation!.contributions.reduce(
            (acc, c) => acc + (c.contribution[s.output] ?? Number.NaN),
            0,
          );
          expect(
            Math.abs(total - (s.value - s.reference)),
            `${m.manifest.id} / ${v.name} / ${s.output}`,
          ).toBeLessThan(1e-9);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

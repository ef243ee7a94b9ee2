/**
 * Exact Shapley from a declared interaction structure (src/models/explain/mobius.ts): for every built-in
 * model that declares one, over seeded random patients, the attribution equals full 2^k enumeration to
 * 1e−9 on the additive scale, on the output's own (probability / dose) scale through the link, and in the
 * whole game vector — with far fewer model rows. A wrong declaration is a start-up error naming the model;
 * a declaration the model does not honour at run time falls back to enumeration.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageError } from '../../src/models/manifest-file.js';
import { exactShapley } from '../../src/models/explain/coalitions.js';
import { mulberry32 } from '../../src/models/explain/prng.js';
import type { ScaleKind } from '../../src/models/explain/scales.js';
import { DEFAULT_SHAPLEY, shapley, type Attribution } from '../../src/models/explain/shapley.js';
import { prepareInputs } from '../../src/models/inputs.js';
import { loadPackage } from '../../src/models/package.js';
import { loadModelRegistry } from '../../src/models/registry.js';
import { builtInModelsDir } from '../../src/models/startup.js';
import type { LoadedModel, ModelRegistry } from '../../src/models/types.js';
import { testLogger } from '../support/logs.js';
import { editManifest, tempModelsDir } from './helpers.js';

const MODELS = builtInModelsDir();
let registry: ModelRegistry;
beforeAll(async () => {
  registry = await loadModelRegistry({ dirs: [MODELS], onBroken: 'refuse-to-start', log: testLogger() });
});
afterAll(() => registry.close());

/** The additive scale's inverse: the output's own scale (probability, dose, points). */
const INVERSE: Record<ScaleKind, (v: number) => number> = {
  logit: (v) => 1 / (1 + Math.exp(-v)),
  cloglog: (v) => -Math.expm1(-Math.exp(v)),
  sqrt: (v) => v * v,
  identity: (v) => v,
};

/** A random patient inside the contract: each input at a random allowed value, optional ones sometimes absent. */
function randomPatient(m: LoadedModel, rnd: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of m.manifest.inputs) {
    if (spec.missing.policy !== 'refuse' && rnd() < 0.2) continue;
    if (spec.type === 'boolean') out[spec.name] = rnd() < 0.5;
    else if (spec.type === 'enum') out[spec.name] = spec.values?.[Math.floor(rnd() * spec.values.length)];
    else {
      const r = spec.range ?? { min: 1, max: 100 };
      out[spec.name] = Math.round((r.min + rnd() * (r.max - r.min)) * 10) / 10;
    }
  }
  return out;
}

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function expectSame(fast: Attribution, full: Attribution, m: LoadedModel): void {
  expect(fast.method).toBe('shapley-exact');
  expect(fast.players).toEqual(full.players);
  m.scales.forEach((scale, o) => {
    if (m.interactions?.outputs[o] !== true) return;
    const a = fast.outputs[o]!;
    const b = full.outputs[o]!;
    expect(close(a.value, b.value) && close(a.referenceValue, b.referenceValue)).toBe(true);
    const badPhi = [...a.phi].findIndex((p, c) => !close(p, b.phi[c]!));
    expect(badPhi, `${m.manifest.id} output ${o} additive φ`).toBe(-1);
    const gb = b.game!();
    const badV = [...a.game!()].findIndex((v, mask) => !close(v, gb[mask]!));
    expect(badV, `${m.manifest.id} output ${o} v[mask]`).toBe(-1);
    // The output's own scale: Shapley of the game mapped through the link, from each vector.
    const k = full.players.length;
    const own = (g: Float64Array): Float64Array => exactShapley(g.map(INVERSE[scale.kind]), k);
    const pa = own(a.game!());
    const pb = own(gb);
    expect(
      [...pa].findIndex((p, j) => !close(p, pb[j]!)),
      `${m.manifest.id} output ${o} own-scale φ`,
    ).toBe(-1);
  });
}

describe('exact Shapley from declared interactions', () => {
  it('every model that declares interactions matches full enumeration on every scale, with fewer rows', async () => {
    const declaring = registry.list().filter((m) => m.interactions !== undefined);
    expect(declaring.map((m) => m.manifest.id).sort()).toEqual(
      ['ascvd-pce-10y', 'has-bled', 'iwpc-warfarin', 'kfre-4v', 'prevent-10y', 'prevent-30y'].sort(),
    );
    const rnd = mulberry32(0xa11);
    for (const m of declaring) {
      let compared = 0;
      let saved = 0;
      for (let t = 0; t < 40 && compared < 12; t++) {
        let row: Float64Array;
        try {
          row = prepareInputs(m.manifest, randomPatient(m, rnd)).row;
        } catch {
          continue; // a documented refusal (e.g. a combination outside the population)
        }
        const fast = await shapley(m.run, row, m.reference, m.scales, {
          ...DEFAULT_SHAPLEY,
          interactions: m.interactions!,
        });
        const full = await shapley(m.run, row, m.reference, m.scales, DEFAULT_SHAPLEY);
        expectSame(fast, full, m);
        expect(fast.rows).toBeLessThanOrEqual(full.rows);
        if (fast.rows < full.rows) saved++;
        compared++;
      }
      expect(compared, m.manifest.id).toBeGreaterThanOrEqual(10);
      expect(saved, `${m.manifest.id}: patients explained with fewer rows`).toBeGreaterThan(0);
    }
  });

  it('a declaration the model does not honour at run time falls back to full enumeration', async () => {
    const m = registry.get('prevent-10y')!;
    const rnd = mulberry32(7);
    const row = prepareInputs(m.manifest, { ...randomPatient(m, rnd), uacr_mg_g: 30, hba1c_percent: 7 }).row;
    const wrong = { masks: m.manifest.inputs.map((_, c) => 1 << c), outputs: m.interactions!.outputs };
    const fast = await shapley(m.run, row, m.reference, m.scales, {
      ...DEFAULT_SHAPLEY,
      interactions: wrong,
    });
    const full = await shapley(m.run, row, m.reference, m.scales, DEFAULT_SHAPLEY);
    expect(fast.rows).toBe(full.rows);
    expectSame(fast, full, m);
  });

  it('a wrong declaration is a start-up error naming the model; unknown input names too', async () => {
    const root = tempModelsDir({ pce: join(MODELS, 'ascvd-pce-10y'), kfre: join(MODELS, 'kfre-4v') });
    editManifest(join(root, 'pce'), (man) => {
      (man['explanation'] as Record<string, unknown>)['interactions'] = [['age_years', 'sex'], ['race']];
    });
    editManifest(join(root, 'kfre'), (man) => {
      (man['explanation'] as Record<string, unknown>)['interactions'] = [['age_years', 'no_such_input']];
    });
    await expect(loadPackage(join(root, 'pce'))).rejects.toThrow(
      /model "ascvd-pce-10y": explanation\.interactions is wrong: output 1: inputs \{.+\} interact/,
    );
    await expect(loadPackage(join(root, 'kfre'))).rejects.toThrow(PackageError);
    await expect(loadPackage(join(root, 'kfre'))).rejects.toThrow(/"kfre-4v".*unknown input "no_such_input"/);
  });
});

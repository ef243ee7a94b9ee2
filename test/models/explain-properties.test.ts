import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/http/errors.js';
import { evaluate } from '../../src/models/evaluate.js';
import { coalitionPlan } from '../../src/models/explain/coalitions.js';
import { loadPackage } from '../../src/models/package.js';
import { editManifest, fixture, model, tempModelsDir } from './helpers.js';

const demo = () => model(fixture('contract-demo'));

const contractInputs = fc.record(
  {
    age_years: fc.double({ min: 30, max: 79, noNaN: true }),
    systolic_bp_mm_hg: fc.double({ min: 60, max: 240, noNaN: true }),
    bmi_kg_m2: fc.double({ min: 10, max: 60, noNaN: true }),
    current_smoker: fc.boolean(),
    race: fc.constantFrom('white', 'black', 'asian', 'other', 'unknown'),
    uacr_mg_g: fc.double({ min: 0.1, max: 25000, noNaN: true }),
  },
  { requiredKeys: ['age_years', 'systolic_bp_mm_hg'] },
);

describe('explanation properties (contract-demo, float64 ONNX)', () => {
  it('for any valid inputs, contributions sum to f(x) − f(reference) on each additive scale (1e−9)', async () => {
    const m = await demo();
    await fc.assert(
      fc.asyncProperty(contractInputs, async (inputs) => {
        const e = (await evaluate(m, inputs, { explain: true })).explanation!;
        for (const s of e.scales) {
          const total = e.contributions.reduce((a, c) => a + c.contribution[s.output]!, 0);
          expect(Math.abs(total - (s.value - s.reference))).toBeLessThan(1e-9);
        }
        for (const c of e.contributions) {
          if (Object.is(c.value, c.referenceValue)) expect(c.contribution['risk']).toBe(0);
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('coalition weights are computed once per k and shared', () => {
    expect(coalitionPlan(6)).toBe(coalitionPlan(6));
    const { weight, size } = coalitionPlan(4);
    // Σ over coalitions S ∌ j of w(|S|) is 1 for every player j (the weights are a distribution).
    let total = 0;
    for (let m = 0; m < size; m++) if ((m & 1) === 0) total += weight[m]!;
    expect(total).toBeCloseTo(1, 14);
  });

  it('a manifest asking for shapley-sampled gets it even for small k', async () => {
    const root = tempModelsDir({ sampled: fixture('contract-demo') });
    editManifest(join(root, 'sampled'), (m) => {
      (m['explanation'] as Record<string, unknown>)['method'] = 'shapley-sampled';
    });
    const m = await loadPackage(join(root, 'sampled'));
    try {
      const inputs = {
        age_years: 70,
        systolic_bp_mm_hg: 150,
        bmi_kg_m2: 30,
        current_smoker: true,
        race: 'black',
        uacr_mg_g: 80,
      };
      const sampled = (await evaluate(m, inputs, { explain: true })).explanation!;
      const exact = (await evaluate(await demo(), inputs, { explain: true })).explanation!;
      expect(sampled.method).toBe('shapley-sampled');
      expect(sampled.samples).toEqual({ permutations: 512, seed: 0x5eed });
      sampled.contributions.forEach((c, i) => {
        expect(c.contribution['risk']).toBeCloseTo(exact.contributions[i]!.contribution['risk']!, 1);
      });
    } finally {
      await m.close();
    }
  });

  it('a model output that is not a finite number is a 422, never a guessed number', async () => {
    // uacr outside its range with policy `warn` is used as given; log(−5) is NaN inside the graph.
    const err = await evaluate(
      await demo(),
      { age_years: 60, systolic_bp_mm_hg: 130, uacr_mg_g: -5 },
      { explain: false },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(422);
    expect((err as HttpError).outcome.issue[0]).toMatchObject({ code: 'processing' });
  });
});

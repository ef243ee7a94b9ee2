import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/models/evaluate.js';
import { additiveScale } from '../../src/models/explain/scales.js';
import { shapley, type ShapleyOptions } from '../../src/models/explain/shapley.js';
import { mulberry32 } from '../../src/models/explain/prng.js';
import type { BatchRun } from '../../src/models/types.js';
import { BYO, bruteForceShapley, fixture, model } from './helpers.js';

const identity = additiveScale(undefined)!;
const logit = additiveScale('log-odds')!;
const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

/** A BatchRun over a plain function of one row. */
function runOf(k: number, ...fs: ((x: Float64Array) => number)[]): BatchRun {
  return (rows, n) =>
    Promise.resolve(
      fs.map((f) => Float64Array.from({ length: n }, (_, r) => f(rows.subarray(r * k, r * k + k)))),
    );
}

// x0, x1 symmetric; x2 interacts with x0; x3 is a null player (the function ignores it); x4 nonlinear.
const g = (x: Float64Array): number =>
  x[0]! + x[1]! + 0.5 * x[0]! * x[2]! + Math.sin(x[4]!) + 0.1 * x[1]! ** 2;
const prob = (x: Float64Array): number => 1 / (1 + Math.exp(-(g(x) / 3 - 1)));
const X = Float64Array.from([1.5, 1.5, -2, 7, 0.3]);
const REF = Float64Array.from([0, 0, 1, 0, 1]);

function rowAt(members: ReadonlySet<number>): Float64Array {
  return REF.map((r, i) => (members.has(i) ? X[i]! : r));
}

describe('exact Shapley (pure, over a batch callback)', () => {
  it('sums to f(x) − f(reference) on the additive scale, to 1e−9', async () => {
    const a = await shapley(runOf(5, g, prob), X, REF, [identity, logit]);
    expect(a.method).toBe('shapley-exact');
    expect(a.rows).toBe(2 ** 5);
    for (const [o, f] of [g, (x: Float64Array) => logit.forward(prob(x))].entries()) {
      const out = a.outputs[o]!;
      expect(Math.abs(sum(out.phi) - (f(X) - f(REF)))).toBeLessThan(1e-9);
      expect(out.scaled - out.scaledReference).toBeCloseTo(f(X) - f(REF), 12);
    }
  });

  it('agrees with the brute-force k! definition', async () => {
    const a = await shapley(runOf(5, g), X, REF, [identity]);
    const brute = bruteForceShapley(5, (s) => g(rowAt(s)));
    a.outputs[0]!.phi.forEach((p, i) => {
      expect(p).toBeCloseTo(brute[i]!, 12);
    });
  });

  it('symmetry: interchangeable inputs with equal values get equal contributions', async () => {
    const a = await shapley(
      runOf(5, (x) => x[0]! * x[1]! + x[2]!),
      Float64Array.from([2, 2, 1, 0, 0]),
      new Float64Array(5),
      [identity],
    );
    expect(a.outputs[0]!.phi[0]).toBeCloseTo(a.outputs[0]!.phi[1]!, 14);
    expect(a.outputs[0]!.phi[0]).toBeCloseTo(2, 12);
  });

  it('null player: an input the model ignores gets 0, even when it differs from the reference', async () => {
    const a = await shapley(runOf(5, g), X, REF, [identity]);
    expect(a.outputs[0]!.phi[3]).toBe(0);
  });

  it('inputs equal to the reference get exactly 0 and are left out of the game', async () => {
    const x = Float64Array.from([1.5, 0, 1, 0, 2]);
    const a = await shapley(runOf(5, g), x, REF, [identity]);
    expect(a.rows).toBe(2 ** 2);
    expect([...a.outputs[0]!.phi].map((p, i) => (i === 0 || i === 4 ? 'set' : p))).toEqual([
      'set',
      0,
      0,
      0,
      'set',
    ]);
    const none = await shapley(runOf(5, g), REF, REF, [identity]);
    expect(none.rows).toBe(1);
    expect([...none.outputs[0]!.phi]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('sampled Shapley (k above the exact limit)', () => {
  const k = 18;
  const w = Float64Array.from({ length: k }, (_, i) => Math.cos(i + 1));
  const f = (x: Float64Array): number =>
    x.reduce((s, v, i) => s + w[i]! * v, 0) + 0.3 * x[0]! * x[5]! - 0.2 * x[3]! * x[7]! * x[9]!;
  const rand = mulberry32(7);
  const x = Float64Array.from({ length: k }, () => rand() * 4 - 2);
  const ref = new Float64Array(k);

  it('is used above k = 14, named, deterministic with its seed, and exact in sum', async () => {
    const a = await shapley(runOf(k, f), x, ref, [identity]);
    const b = await shapley(runOf(k, f), x, ref, [identity]);
    expect(a.method).toBe('shapley-sampled');
    expect(a.samples).toEqual({ permutations: 512, seed: 0x5eed });
    expect(a.rows).toBe(2 + 512 * (k - 1));
    expect([...a.outputs[0]!.phi]).toEqual([...b.outputs[0]!.phi]);
    expect(Math.abs(sum(a.outputs[0]!.phi) - (f(x) - f(ref)))).toBeLessThan(1e-9);
    const other = await shapley(runOf(k, f), x, ref, [identity], {
      maxExactPlayers: 14,
      permutations: 512,
      seed: 1,
    });
    expect([...other.outputs[0]!.phi]).not.toEqual([...a.outputs[0]!.phi]);
  });

  it('is close to the exact values', async () => {
    const exact = await shapley(runOf(k, f), x, ref, [identity], {
      maxExactPlayers: 18,
      permutations: 0,
      seed: 0,
    });
    const sampled = await shapley(runOf(k, f), x, ref, [identity]);
    expect(exact.method).toBe('shapley-exact');
    const worst = Math.max(
      ...[...exact.outputs[0]!.phi].map((e, i) => Math.abs(e - sampled.outputs[0]!.phi[i]!)),
    );
    expect(worst).toBeLessThan(0.02);
  });
});

describe('Shapley through ONNX models', () => {
  const inputs = {
    age_years: 68,
    systolic_bp_mm_hg: 152,
    bmi_kg_m2: 33,
    current_smoker: true,
    race: 'asian',
    uacr_mg_g: 300,
  };

  it('contract-demo: exact in sum on log-odds and log-hazard scales; Cox transform additive in lp', async () => {
    const r = await evaluate(await model(fixture('contract-demo')), inputs, { explain: true });
    const e = r.explanation!;
    expect(e.method).toBe('shapley-exact');
    for (const s of e.scales) {
      const total = sum(e.contributions.map((c) => c.contribution[s.output]!));
      expect(Math.abs(total - (s.value - s.reference))).toBeLessThan(1e-9);
    }
    expect(e.scales.map((s) => [s.output, s.additiveScale, s.transform])).toEqual([
      ['risk', 'log-odds', 'ln(p / (1 − p))'],
      ['risk_cox', 'log-hazard', 'ln(−ln(1 − p))'],
    ]);
    // risk_cox = 1 − 0.93^exp(0.8·lp + 3): on the log-hazard scale every contribution is 0.8 × its log-odds one.
    for (const c of e.contributions)
      expect(c.contribution['risk_cox']).toBeCloseTo(0.8 * c.contribution['risk']!, 9);
  });

  it('probability points (exact) and the deprecated proportional shares both sum to the risk difference', async () => {
    const r = await evaluate(await model(fixture('contract-demo')), inputs, { explain: true });
    const e = r.explanation!;
    expect(e.notes.join(' ')).toMatch(/exact Shapley values of the output itself/);
    for (const s of e.scales) {
      const exact = sum(e.contributions.map((c) => c.probabilityPoints?.[s.output] ?? 0));
      expect(exact).toBeCloseTo((r.outputs[s.output]! - s.referenceOutput) * 100, 9);
      const pp = sum(e.contributions.map((c) => c.approxPercentagePoints?.[s.output] ?? 0));
      expect(pp).toBeCloseTo((r.outputs[s.output]! - s.referenceOutput) * 100, 9);
    }
  });

  it('byo-example (PyTorch MLP): agrees with brute force over single-row ONNX runs', async () => {
    const m = await model(BYO);
    const x = { age_years: 71, sex: 'male', current_smoker: true, systolic_bp_mm_hg: 166 };
    const r = await evaluate(m, x, { explain: true });
    const xs = Float64Array.from([71, 1, 1, 166]);
    const values = new Map<number, number>();
    for (let mask = 0; mask < 16; mask++) {
      const row = m.reference.map((v, i) => ((mask >> i) & 1 ? xs[i]! : v));
      values.set(mask, logit.forward((await m.run(row, 1))[0]![0]!));
    }
    const brute = bruteForceShapley(4, (s) => values.get([...s].reduce((acc, i) => acc | (1 << i), 0))!);
    r.explanation!.contributions.forEach((c, i) => {
      expect(c.contribution['risk']).toBeCloseTo(brute[i]!, 9);
    });
    expect(r.explanation!.contributions.map((c) => c.input)).toEqual([
      'age_years',
      'sex',
      'current_smoker',
      'systolic_bp_mm_hg',
    ]);
  });

  it('wide-16 (k = 16): sampled, named with its sample count, deterministic, close to exact', async () => {
    const m = await model(fixture('wide-16'));
    const rand = mulberry32(3);
    const x = Object.fromEntries(
      m.manifest.inputs.map((s) => [s.name, Math.round((rand() * 6 - 3) * 100) / 100]),
    );
    const a = await evaluate(m, x, { explain: true });
    const b = await evaluate(m, x, { explain: true });
    expect(a.explanation!.method).toBe('shapley-sampled');
    expect(a.explanation!.samples).toEqual({ permutations: 512, seed: 0x5eed });
    expect(a).toEqual(b);
    const exact = await evaluate(m, x, {
      explain: true,
      shapley: { maxExactPlayers: 16 } satisfies Partial<ShapleyOptions>,
    });
    expect(exact.explanation!.method).toBe('shapley-exact');
    const scale = a.explanation!.scales[0]!;
    const phi = (r: typeof a) => r.explanation!.contributions.map((c) => c.contribution['y']!);
    expect(Math.abs(sum(phi(a)) - (scale.value - scale.reference))).toBeLessThan(1e-9);
    const spread = Math.max(...phi(exact).map(Math.abs));
    phi(a).forEach((p, i) => {
      expect(Math.abs(p - phi(exact)[i]!)).toBeLessThan(0.05 * spread);
    });
  });
});

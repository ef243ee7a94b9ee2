/**
 * The development distributions: the committed files equal what tools/development-distributions.ts
 * computes from the training data, every built-in that ships one loads, and a bad file is refused
 * naming the file and the problem. Binning and PSI (pure) on hand-computed examples.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEVELOPMENT_DISTRIBUTION_FILE,
  readDevelopmentDistribution,
} from '../../src/monitoring/development-distribution.js';
import { distributionsOf, resultBinner, weekOf } from '../../src/monitoring/drift.js';
import { binNames, binOf, expectedProportions, psi, psiLevel } from '../../src/monitoring/psi.js';
import { decileBins, developmentDistributions, ROOT } from '../../tools/development-distributions.js';
import {
  countBins,
  countCategories,
  normalBins,
  normalCdf,
  quartileBins,
  shareBins,
} from '../../tools/published-distributions.js';
import { builtInModels } from '../support/services.js';

describe('committed development distributions', () => {
  it('equal the script output from the training data (re-run tools/write-development-distributions.ts)', () => {
    for (const [folder, d] of Object.entries(developmentDistributions())) {
      const file = join(ROOT, 'models', folder, DEVELOPMENT_DISTRIBUTION_FILE);
      expect(JSON.parse(readFileSync(file, 'utf8')), folder).toEqual(d);
    }
  });

  it('load for the built-in models that ship one (Pima, DeepSurv, IWPC, PREVENT 10-year)', async () => {
    const d = distributionsOf(await builtInModels());
    expect([...d.keys()].sort()).toEqual([
      'deepsurv-rotterdam-gbsg',
      'iwpc-warfarin',
      'learned-pima-diabetes',
      'prevent-10y',
    ]);
    expect(Object.keys(d.get('deepsurv-rotterdam-gbsg')?.inputs ?? {})).toHaveLength(7);
  });

  it('a published-summary file bins a subset and gives every other input of the manifest a reason', async () => {
    const registry = await builtInModels();
    const prevent = distributionsOf(registry).get('prevent-10y');
    const manifest = registry.list().find((m) => m.manifest.id === 'prevent-10y')?.manifest;
    expect(Object.keys(prevent?.inputs ?? {}).sort()).toEqual(['age_years', 'sex']);
    const covered = [...Object.keys(prevent?.inputs ?? {}), ...Object.keys(prevent?.notBinned ?? {})].sort();
    expect(covered).toEqual(manifest?.inputs.map((i) => i.name).sort());
    expect(prevent?.citations[0]?.doi).toBe('10.1161/CIRCULATIONAHA.123.067626');
  });

  it('IWPC: every manifest input is binned from the paper’s Table 1 (derivation cohort, N = 4043)', async () => {
    const registry = await builtInModels();
    const iwpc = distributionsOf(registry).get('iwpc-warfarin');
    const manifest = registry.list().find((m) => m.manifest.id === 'iwpc-warfarin')?.manifest;
    expect(Object.keys(iwpc?.inputs ?? {}).sort()).toEqual(manifest?.inputs.map((i) => i.name).sort());
    expect(iwpc?.notBinned).toBeUndefined();
    expect(iwpc?.citations[0]?.doi).toBe('10.1056/NEJMoa0809329');
    // Every category name is a value the manifest (or a boolean) can produce.
    for (const input of manifest?.inputs ?? []) {
      const spec = iwpc?.inputs[input.name];
      if (spec === undefined || !('categories' in spec)) continue;
      const values = input.type === 'boolean' ? ['true', 'false'] : (input.values ?? []);
      for (const c of Object.keys(spec.categories)) expect(values, `${input.name}: ${c}`).toContain(c);
    }
    // Genotype and race are binned among known values: "unknown" is not a bin, so it is not counted.
    const vkorc1 = iwpc?.inputs['vkorc1_rs9923231'];
    expect(vkorc1 && binOf(vkorc1, 'unknown')).toBeUndefined();
    expect(vkorc1 && binOf(vkorc1, 'A/A')).toBe('A/A');
  });

  it('deciles: about 10 % per bin, ties kept together, no empty top bin', () => {
    expect(decileBins([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({
      edges: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      proportions: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    });
    // Half zeros: one bin for all the zeros; 9 is the maximum, so no bin above it.
    expect(decileBins([0, 0, 0, 0, 0, 1, 2, 3, 9, 9])).toEqual({
      edges: [0, 1, 2, 3],
      proportions: [0.5, 0.1, 0.1, 0.1, 0.2],
    });
  });
});

describe('published summaries → bins (tools/published-distributions.ts)', () => {
  it('the normal CDF matches tabulated values', () => {
    expect(normalCdf(0, 0, 1)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964, 0, 1)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1, 0, 1)).toBeCloseTo(0.158655, 6);
    expect(normalCdf(65, 53, 12)).toBeCloseTo(0.841345, 6);
  });

  it('normal bins: symmetric cut points give symmetric shares; truncation renormalises', () => {
    // N(0, 1) on [−10, 10] cut at ±1: 0.158655 / 0.682689 / 0.158655.
    expect(normalBins({ mean: 0, sd: 1, min: -10, max: 10, integer: false }, [-1, 1])).toEqual({
      edges: [-1, 1],
      proportions: [0.1587, 0.6827, 0.1586],
    });
    // Truncated at the mean: everything lies above it, half of it within one SD.
    expect(normalBins({ mean: 0, sd: 1, min: 0, max: 10, integer: false }, [1])).toEqual({
      edges: [1],
      proportions: [0.6827, 0.3173],
    });
  });

  it('integer inputs use the continuity correction: ages 30–39 are the mass on [29.5, 39.5)', () => {
    const b = normalBins({ mean: 53, sd: 12, min: 30, max: 79, integer: true }, [39, 49, 59, 69]);
    const total = normalCdf(79.5, 53, 12) - normalCdf(29.5, 53, 12);
    const first = (normalCdf(39.5, 53, 12) - normalCdf(29.5, 53, 12)) / total;
    expect('edges' in b && b.proportions[0]).toBeCloseTo(first, 4);
    expect('edges' in b && b.proportions.reduce((a, p) => a + p, 0)).toBeCloseTo(1, 10);
    expect(shareBins('female', 0.56, 'male')).toEqual({ categories: { female: 0.56, male: 0.44 } });
  });

  it('published counts become exact shares (the last absorbs rounding); quartiles become four 25 % bins', () => {
    expect(countBins([10, 20], [1, 1, 2])).toEqual({ edges: [10, 20], proportions: [0.25, 0.25, 0.5] });
    // 1/3 rounds to 0.3333 twice; the last share takes the remainder so the sum is exactly 1.
    expect(countCategories({ a: 1, b: 1, c: 1 })).toEqual({
      categories: { a: 0.3333, b: 0.3333, c: 0.3334 },
    });
    expect(() => countBins([10], [1, 2, 3])).toThrow();
    expect(quartileBins(160, 168, 176)).toEqual({
      edges: [160, 168, 176],
      proportions: [0.25, 0.25, 0.25, 0.25],
    });
  });

  it('PSI is computed for PREVENT 10-year inputs from stored runs against the published reference', async () => {
    const distributions = distributionsOf(await builtInModels());
    const prevent = distributions.get('prevent-10y');
    if (prevent === undefined) throw new Error('prevent-10y has no development distribution');
    const binner = resultBinner(distributions);
    const run = (age: number, sex: string, version = '1.0.0'): unknown => ({
      status: 'ok',
      model: { id: 'prevent-10y', version },
      inputs: { age_years: { value: age }, sex: { value: sex }, systolic_bp_mm_hg: { value: 130 } },
    });
    const countsOf = (runs: unknown[]): Map<string, number> => {
      const m = new Map<string, number>();
      for (const c of binner({
        serviceId: 'cardiovascular',
        payload: { runs },
        createdAt: new Date('2026-11-18T10:00:00Z'),
      }))
        m.set(`${c.input}:${c.bin}`, (m.get(`${c.input}:${c.bin}`) ?? 0) + c.count);
      return m;
    };
    const psiOf = (counts: Map<string, number>, input: 'age_years' | 'sex'): number => {
      const spec = prevent.inputs[input];
      if (spec === undefined) throw new Error(input);
      return psi(
        expectedProportions(spec),
        binNames(spec).map((b) => counts.get(`${input}:${b}`) ?? 0),
      );
    };
    // 1000 patients in the published shares (one age per decade bin, 560 women): PSI ≈ 0.
    const ageSpec = prevent.inputs['age_years'];
    const shares = ageSpec !== undefined && 'edges' in ageSpec ? ageSpec.proportions : [];
    const decades = [35, 45, 55, 65, 75];
    const matching: unknown[] = [];
    shares.forEach((p, i) => {
      for (let k = 0; k < Math.round(p * 1000); k++)
        matching.push(run(decades[i] ?? 0, matching.length % 100 < 56 ? 'female' : 'male'));
    });
    const same = countsOf(matching);
    expect([...same.keys()].some((k) => k.startsWith('systolic_bp_mm_hg'))).toBe(false); // not binned
    expect(psiOf(same, 'age_years')).toBeLessThan(0.001);
    expect(psiOf(same, 'sex')).toBeLessThan(0.001);
    // An older, mostly male clinic (ages 65–79, 25 % women): significant shift on both inputs.
    const older = countsOf(
      Array.from({ length: 400 }, (_, k) => run(k % 2 === 0 ? 66 : 74, k % 4 === 0 ? 'female' : 'male')),
    );
    expect(psiLevel(psiOf(older, 'age_years'))).toBe('significant');
    // Sex by hand: (0.25 − 0.56)·ln(0.25/0.56) + (0.75 − 0.44)·ln(0.75/0.44) = 0.2500 + 0.1653.
    expect(psiOf(older, 'sex')).toBeCloseTo(0.4153, 3);
    // Another model version is not compared against this reference.
    expect(countsOf([run(50, 'female', '2.0.0')]).size).toBe(0);
  });
});

describe('a bad development-distribution.json is refused naming the file', () => {
  const manifest = {
    id: 'm',
    version: '1.0.0',
    inputs: [{ name: 'age_years' }],
  } as unknown as Parameters<typeof readDevelopmentDistribution>[1];
  const write = (content: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), 'augur-dd-'));
    writeFileSync(join(dir, DEVELOPMENT_DISTRIBUTION_FILE), JSON.stringify(content));
    return dir;
  };
  const base = {
    modelId: 'm',
    modelVersion: '1.0.0',
    population: 'p',
    method: 'm',
    citations: [{ text: 'c' }],
    inputs: { age_years: { edges: [40, 60], proportions: [0.3, 0.4, 0.3] } },
  };

  it('accepts a valid file and none at all', () => {
    expect(readDevelopmentDistribution(write(base), manifest)?.modelId).toBe('m');
    expect(readDevelopmentDistribution(mkdtempSync(join(tmpdir(), 'augur-dd-')), manifest)).toBeUndefined();
  });

  it.each([
    [{ ...base, inputs: { age_years: { edges: [60, 40], proportions: [0.3, 0.4, 0.3] } } }, /ascending/],
    [{ ...base, inputs: { age_years: { edges: [40, 60], proportions: [0.5, 0.5] } } }, /one more entry/],
    [{ ...base, inputs: { age_years: { edges: [40, 60], proportions: [0.5, 0.5, 0.5] } } }, /sum to 1/],
    [
      { ...base, inputs: { height_cm: { categories: { a: 0.5, b: 0.5 } } } },
      /not in the manifest: height_cm/,
    ],
    [{ ...base, modelVersion: '2.0.0' }, /modelVersion 2.0.0/],
    [{ ...base, citations: [] }, /citations/],
  ])('%#: %s', (content, message) => {
    expect(() => readDevelopmentDistribution(write(content), manifest)).toThrow(message);
  });
});

describe('binning and PSI', () => {
  const numeric = { edges: [40, 60], proportions: [0.3, 0.4, 0.3] };
  it('bins are closed on the right; missing, non-finite and unknown categories are not counted', () => {
    expect([39, 40, 40.5, 60, 61].map((v) => binOf(numeric, v))).toEqual(['0', '0', '1', '1', '2']);
    expect(binOf(numeric, null)).toBeUndefined();
    expect(binOf(numeric, Number.NaN)).toBeUndefined();
    const cat = { categories: { true: 0.2, false: 0.8 } };
    expect([true, false].map((v) => binOf(cat, v))).toEqual(['true', 'false']);
    expect(binOf(cat, 'maybe')).toBeUndefined();
  });

  it('PSI = Σ (a − e) ln(a / e), by hand; identical distributions give 0', () => {
    // a = 0.5 / 0.5 against e = 0.2 / 0.8: 0.3 ln 2.5 + (−0.3) ln 0.625 = 0.27489 + 0.14100.
    expect(psi([0.2, 0.8], [50, 50])).toBeCloseTo(0.3 * Math.log(2.5) - 0.3 * Math.log(0.625), 12);
    expect(psi([0.3, 0.4, 0.3], [3, 4, 3])).toBeCloseTo(0, 12);
    expect(psi([0.3, 0.4, 0.3], [0, 0, 0])).toBeNaN();
    // An empty production bin is floored, not infinite.
    expect(Number.isFinite(psi([0.5, 0.5], [10, 0]))).toBe(true);
  });

  it('levels at the practice thresholds 0.1 and 0.25', () => {
    expect([0, 0.0999, 0.1, 0.2499, 0.25, 1].map(psiLevel)).toEqual([
      'stable',
      'stable',
      'moderate',
      'moderate',
      'significant',
      'significant',
    ]);
  });

  it('weeks start on Monday (UTC)', () => {
    expect(['2026-11-16', '2026-11-22', '2026-11-23'].map((d) => weekOf(d))).toEqual([
      '2026-11-16',
      '2026-11-16',
      '2026-11-23',
    ]);
  });
});

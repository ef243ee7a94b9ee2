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
import { distributionsOf, weekOf } from '../../src/monitoring/drift.js';
import { binOf, psi, psiLevel } from '../../src/monitoring/psi.js';
import { decileBins, developmentDistributions, ROOT } from '../../tools/development-distributions.js';
import { builtInModels } from '../support/services.js';

describe('committed development distributions', () => {
  it('equal the script output from the training data (re-run tools/write-development-distributions.ts)', () => {
    for (const [folder, d] of Object.entries(developmentDistributions())) {
      const file = join(ROOT, 'models', folder, DEVELOPMENT_DISTRIBUTION_FILE);
      expect(JSON.parse(readFileSync(file, 'utf8')), folder).toEqual(d);
    }
  });

  it('load for the built-in models that ship one (Pima, DeepSurv)', async () => {
    const d = distributionsOf(await builtInModels());
    expect([...d.keys()].sort()).toEqual(['deepsurv-rotterdam-gbsg', 'learned-pima-diabetes']);
    expect(Object.keys(d.get('deepsurv-rotterdam-gbsg')?.inputs ?? {})).toHaveLength(7);
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

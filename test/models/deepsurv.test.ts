/**
 * deepsurv-rotterdam-gbsg: the served ONNX graph reproduces PyTorch on the GBSG test set, the survival
 * curve is the Breslow computation, every number in the card is recomputed here from the committed
 * predictions (C-index with the same seeded bootstrap, 5-year calibration, subgroups), the explanation
 * is exact on the log-hazard scale, and the survival manifest fields are checked at load.
 *
 * Regenerate the package with `/usr/bin/python3 models/deepsurv-rotterdam-gbsg/train.py` (then prettier).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/models/evaluate.js';
import { PackageError } from '../../src/models/manifest-file.js';
import { loadPackage } from '../../src/models/package.js';
import { survivalCurve } from '../../src/models/survival.js';
import { SourceAttributesFile } from '../../src/transparency/schema.js';
import request from 'supertest';
import type { ModelRegistry } from '../../src/models/types.js';
import { editManifest, model, REPO, tempModelsDir, testApp } from './helpers.js';
import { mulberry32 } from '../../src/models/explain/prng.js';

const ID = 'deepsurv-rotterdam-gbsg';
const DIR = join(REPO, 'models', ID);
const read = (file: string): string => readFileSync(join(DIR, file), 'utf8');

function csv(file: string): Record<string, string>[] {
  const [head, ...lines] = read(file).trim().split('\n');
  const cols = (head ?? '').split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] ?? '', v])));
}
const num = (r: Record<string, string>, c: string): number => Number(r[c]);

const test = csv('predictions/gbsg-test.csv');
const train = csv('predictions/rotterdam-train.csv');
const manifest = JSON.parse(read('model.json')) as {
  survival: { baselineCumulativeHazard: { time: number; cumulativeHazard: number }[] };
  development: { metrics: { name: string; value: number }[] };
  extra: {
    paperTable: {
      verified: boolean;
      cph: { cIndex: number; ci95: [number, number] };
      deepsurv: { cIndex: number; ci95: [number, number] };
    };
  };
};
const metrics = JSON.parse(read('metrics.json')) as {
  test: { cIndexNet: number; cIndexNetCi95: number[]; cIndexCox: number; cIndexCoxCi95: number[] };
  calibration5y: { overall: { observedKm: number; predictedNet: number } };
};
const attrs = SourceAttributesFile.parse(JSON.parse(read('source-attributes.json')));
const metric = (name: string): number => {
  const m = manifest.development.metrics.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no metric ${name}`);
  return m.value;
};

const INPUTS = ['hormon', 'age', 'meno', 'size_mm', 'nodes', 'pgr', 'er'] as const;
const tTest = test.map((r) => num(r, 'time_days'));
const dTest = test.map((r) => num(r, 'event'));
const netTest = test.map((r) => num(r, 'net_lp'));
const coxTest = test.map((r) => num(r, 'cox_lp'));
const DAYS_PER_YEAR = 365.25;

/** Harrell's C, R survival::concordance's pairs (tied times: event before censoring); risk ties count ½. */
function harrellC(
  t: readonly number[],
  d: readonly number[],
  r: readonly number[],
  idx?: readonly number[],
): number {
  const ix = idx ?? t.map((_, i) => i);
  let conc = 0;
  let pairs = 0;
  for (const i of ix) {
    if (d[i] !== 1) continue;
    const ti = t[i] ?? NaN;
    const ri = r[i] ?? NaN;
    for (const j of ix) {
      const tj = t[j] ?? NaN;
      if (!(ti < tj || (ti === tj && d[j] === 0))) continue;
      pairs++;
      const rj = r[j] ?? NaN;
      if (ri > rj) conc++;
      else if (ri === rj) conc += 0.5;
    }
  }
  return conc / pairs;
}

function quantile(values: readonly number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const a = v[lo] ?? NaN;
  return a + (h - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? NaN) - a);
}

function kmAt(t: readonly number[], d: readonly number[], at: number, idx: readonly number[]): number {
  const rows = idx.map((i) => [t[i] ?? NaN, d[i] ?? NaN] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let s = 1;
  let atRisk = rows.length;
  let k = 0;
  while (k < rows.length && (rows[k]?.[0] ?? Infinity) <= at) {
    const time = rows[k]?.[0];
    let events = 0;
    let n = 0;
    while (k < rows.length && rows[k]?.[0] === time) {
      events += rows[k]?.[1] ?? 0;
      n++;
      k++;
    }
    if (events > 0) s *= 1 - events / atRisk;
    atRisk -= n;
  }
  return s;
}

function breslow(lp: readonly number[], t: readonly number[], d: readonly number[], at: number): number {
  const eventTimes = [...new Set(t.filter((_, i) => d[i] === 1))].sort((a, b) => a - b);
  let h = 0;
  for (const s of eventTimes) {
    if (s > at) break;
    let events = 0;
    let risk = 0;
    t.forEach((ti, i) => {
      if (ti === s && d[i] === 1) events++;
      if (ti >= s) risk += Math.exp(lp[i] ?? NaN);
    });
    h += events / risk;
  }
  return h;
}

const rowInputs = (r: Record<string, string>): Record<string, number | boolean> => ({
  hormonal_therapy: r['hormon'] === '1',
  age_years: num(r, 'age'),
  postmenopausal: r['meno'] === '1',
  tumour_size_mm: num(r, 'size_mm'),
  positive_lymph_nodes: num(r, 'nodes'),
  progesterone_receptor_fmol_l: num(r, 'pgr'),
  estrogen_receptor_fmol_l: num(r, 'er'),
});

describe('deepsurv-rotterdam-gbsg: the served graph', () => {
  it('loads through the registry path (sha256, manifest, survival block, strict HTI-1 attributes)', async () => {
    const m = await model(DIR);
    expect(m.manifest.survival?.linearPredictor).toBe('log_risk');
    expect(m.sourceAttributes.missing).toEqual([]);
  });

  // Tolerance: the service's session (graphOptimizationLevel 'all') fuses nodes and differs from PyTorch by
  // up to 6.7e-8 in log-risk (measured, worst row: 51 positive nodes, outside the training range); with
  // graph optimisation disabled onnxruntime matches PyTorch to 2.2e-16. Both are asserted.
  it('onnxruntime reproduces the PyTorch log-risk on all 686 GBSG patients (service session ≤ 1e-7; unoptimised ≤ 1e-14)', async () => {
    const m = await model(DIR);
    const rows = Float64Array.from(test.flatMap((r) => INPUTS.map((c) => num(r, c))));
    const [out] = await m.run(rows, test.length);
    expect(out).toHaveLength(686);
    const worst = Math.max(...netTest.map((lp, i) => Math.abs((out?.[i] ?? NaN) - lp)));
    expect(worst).toBeLessThanOrEqual(1e-7);
    const plain = await ort.InferenceSession.create(readFileSync(join(DIR, 'model.onnx')), {
      graphOptimizationLevel: 'disabled',
    });
    try {
      const y = (await plain.run({ x: new ort.Tensor('float64', rows, [test.length, 7]) }))['log_risk'];
      const data = y?.data as Float64Array;
      expect(Math.max(...netTest.map((lp, i) => Math.abs((data[i] ?? NaN) - lp)))).toBeLessThanOrEqual(1e-14);
    } finally {
      await plain.release();
    }
    // and the network is not constant (a collapsed network would pass the comparison trivially)
    expect(Math.max(...netTest) - Math.min(...netTest)).toBeGreaterThan(1);
  });

  it('cuts tumour size in mm at the Rotterdam categories (≤ 20, 20–50, > 50 mm)', async () => {
    const m = await model(DIR);
    const base = [0, 56, 1, 0, 4, 38, 65];
    const rows = Float64Array.from(
      [5, 20, 20.5, 35, 50, 50.5, 120].flatMap((s) => base.map((v, j) => (j === 3 ? s : v))),
    );
    const [out] = await m.run(rows, 7);
    const y = Array.from(out ?? []);
    expect(y[0]).toBe(y[1]);
    expect(y[2]).toBe(y[3]);
    expect(y[3]).toBe(y[4]);
    expect(y[5]).toBe(y[6]);
    expect(y[1]).not.toBe(y[2]);
    expect(y[4]).not.toBe(y[5]);
  });
});

describe('deepsurv-rotterdam-gbsg: survival at 1–10 years', () => {
  const h0 = manifest.survival.baselineCumulativeHazard;

  // The fit used the paper's data (Rotterdam censored at 84 months); the baseline uses the full follow-up
  // (data/README.md), so that survival reaches 10 years.
  it('the manifest baseline is the Breslow estimator on the Rotterdam training predictions, full follow-up (rel. 1e-12)', () => {
    const lp = train.map((r) => num(r, 'net_lp'));
    const t = train.map((r) => num(r, 'time_days_full'));
    const d = train.map((r) => num(r, 'event_full'));
    expect(h0.map((p) => p.time)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const p of h0) {
      const expected = breslow(lp, t, d, p.time * DAYS_PER_YEAR);
      expect(Math.abs(p.cumulativeHazard - expected) / expected).toBeLessThan(1e-12);
    }
  });

  it('evaluate returns S(t) = exp(−H0(t)·exp(log_risk)), decreasing in t, for a GBSG patient', async () => {
    const m = await model(DIR);
    const r = test[1];
    if (r === undefined) throw new Error('no row');
    const result = await evaluate(m, rowInputs(r), { explain: false });
    const lp = result.outputs['log_risk'] ?? NaN;
    expect(Math.abs(lp - num(r, 'net_lp'))).toBeLessThan(1e-7);
    const points = result.survival?.points ?? [];
    expect(points).toHaveLength(10);
    points.forEach((p, i) => {
      const s = Math.exp(-(h0[i]?.cumulativeHazard ?? NaN) * Math.exp(lp));
      expect(Math.abs(p.survival - s)).toBeLessThan(1e-14);
      expect(p.survival + p.eventProbability).toBeCloseTo(1, 14);
      if (i > 0) expect(p.survival).toBeLessThanOrEqual(points[i - 1]?.survival ?? NaN);
    });
  });

  it('explains on the log-hazard scale, exactly: contributions sum to log_risk(x) − log_risk(reference)', async () => {
    const m = await model(DIR);
    const r = test[0];
    if (r === undefined) throw new Error('no row');
    const result = await evaluate(m, rowInputs(r), { explain: true });
    const e = result.explanation;
    expect(e?.method).toBe('shapley-exact');
    const scale = e?.scales[0];
    expect(scale?.additiveScale).toBe('log-hazard-ratio');
    const sum = (e?.contributions ?? []).reduce((s, c) => s + (c.contribution['log_risk'] ?? NaN), 0);
    expect(Math.abs(sum - ((scale?.value ?? NaN) - (scale?.reference ?? NaN)))).toBeLessThan(1e-9);
    expect(result.survival?.note).toMatch(/ln\(−ln S\(t\)\)/);
    // the same contributions hold for ln(−ln S(t)) at every horizon: ln H0(t) cancels in the difference
    const at = (lp: number): number[] =>
      survivalCurve(m.manifest.survival!, lp).points.map((p) => Math.log(-Math.log(p.survival)));
    const x = at(scale?.value ?? NaN);
    const ref = at(scale?.reference ?? NaN);
    x.forEach((v, i) => {
      expect(Math.abs(v - (ref[i] ?? NaN) - sum)).toBeLessThan(1e-9);
    });
  });
});

describe('deepsurv-rotterdam-gbsg: the card’s numbers, recomputed from the committed predictions', () => {
  it("Harrell's C on GBSG for the network and the Cox baseline (R concordance() gave 0.6572081279)", () => {
    const cNet = harrellC(tTest, dTest, netTest);
    const cCox = harrellC(tTest, dTest, coxTest);
    expect(cCox).toBeCloseTo(0.6572081279, 9);
    expect(cNet).toBeCloseTo(metrics.test.cIndexNet, 12);
    expect(cCox).toBeCloseTo(metrics.test.cIndexCox, 12);
    expect(metric("DeepSurv: Harrell's C")).toBe(Number(cNet.toFixed(4)));
    expect(metric("Cox baseline (R coxph): Harrell's C")).toBe(Number(cCox.toFixed(4)));
  });

  it('the bootstrap 95 % CIs (1000 mulberry32 resamples, seed 20180226, same resamples for both)', () => {
    const rand = mulberry32(20180226);
    const n = tTest.length;
    const net: number[] = [];
    const cox: number[] = [];
    for (let b = 0; b < 1000; b++) {
      const idx = Array.from({ length: n }, () => Math.floor(rand() * n));
      net.push(harrellC(tTest, dTest, netTest, idx));
      cox.push(harrellC(tTest, dTest, coxTest, idx));
    }
    const ciNet = [quantile(net, 0.025), quantile(net, 0.975)];
    const ciCox = [quantile(cox, 0.025), quantile(cox, 0.975)];
    ciNet.forEach((v, i) => {
      expect(v).toBeCloseTo(metrics.test.cIndexNetCi95[i] ?? NaN, 12);
    });
    ciCox.forEach((v, i) => {
      expect(v).toBeCloseTo(metrics.test.cIndexCoxCi95[i] ?? NaN, 12);
    });
    expect(metric("DeepSurv: Harrell's C, bootstrap 95 % CI lower")).toBe(
      Number((ciNet[0] ?? NaN).toFixed(4)),
    );
    expect(metric("Cox baseline (R coxph): Harrell's C, bootstrap 95 % CI upper")).toBe(
      Number((ciCox[1] ?? NaN).toFixed(4)),
    );
  });

  // The paper's Table 1 (read in the published PDF; extra.paperTable.verified): CPH 0.658773 (0.655, 0.662),
  // DeepSurv 0.676349 (0.673, 0.679). Trained as the authors' data are (Rotterdam censored at 84 months),
  // the Cox baseline lies inside the paper's CPH interval; the network lies 0.002 below the paper's narrow
  // DeepSurv interval, while the paper's point estimates lie inside our own, much wider bootstrap
  // intervals (686 patients). Recorded as found (README), not hidden.
  it("the Cox baseline lies inside the paper's CPH interval, and the paper's CPH C inside ours", () => {
    const table = manifest.extra.paperTable;
    expect(table.verified).toBe(true);
    const cCox = harrellC(tTest, dTest, coxTest);
    const [lo, hi] = table.cph.ci95;
    expect(cCox).toBeGreaterThan(lo);
    expect(cCox).toBeLessThan(hi);
    const [ourLo, ourHi] = metrics.test.cIndexCoxCi95;
    expect(table.cph.cIndex).toBeGreaterThan(ourLo ?? NaN);
    expect(table.cph.cIndex).toBeLessThan(ourHi ?? NaN);
  });

  it("the network lies just below the paper's DeepSurv interval and above our Cox; the paper's DeepSurv C lies inside ours", () => {
    const table = manifest.extra.paperTable;
    const cNet = harrellC(tTest, dTest, netTest);
    expect(cNet).toBeLessThan(table.deepsurv.ci95[0]);
    expect(table.deepsurv.ci95[0] - cNet).toBeLessThan(0.003);
    expect(cNet).toBeGreaterThan(harrellC(tTest, dTest, coxTest));
    const [ourLo, ourHi] = metrics.test.cIndexNetCi95;
    expect(table.deepsurv.cIndex).toBeGreaterThan(ourLo ?? NaN);
    expect(table.deepsurv.cIndex).toBeLessThan(ourHi ?? NaN);
  });

  it('5-year calibration: Kaplan–Meier and mean predicted RFS on GBSG', () => {
    const all = tTest.map((_, i) => i);
    const km = kmAt(tTest, dTest, 5 * DAYS_PER_YEAR, all);
    const h5 = manifest.survival.baselineCumulativeHazard[4]?.cumulativeHazard ?? NaN;
    const predicted = netTest.reduce((s, lp) => s + Math.exp(-h5 * Math.exp(lp)), 0) / netTest.length;
    expect(km).toBeCloseTo(metrics.calibration5y.overall.observedKm, 12);
    expect(metric('5-year recurrence-free survival, Kaplan–Meier (observed)')).toBe(Number(km.toFixed(4)));
    expect(metric('5-year recurrence-free survival, DeepSurv mean predicted')).toBe(
      Number(predicted.toFixed(4)),
    );
  });

  it('subgroups in source-attributes.json: C-index by age band and menopausal status, no sex subgroup', () => {
    const bands: [string, (r: Record<string, string>) => boolean][] = [
      ['Age under 45', (r) => num(r, 'age') <= 44],
      ['Age 45–54', (r) => num(r, 'age') >= 45 && num(r, 'age') <= 54],
      ['Age 55–64', (r) => num(r, 'age') >= 55 && num(r, 'age') <= 64],
      ['Age 65 and over', (r) => num(r, 'age') >= 65],
      ['Premenopausal', (r) => r['meno'] === '0'],
      ['Postmenopausal', (r) => r['meno'] === '1'],
    ];
    for (const [name, keep] of bands) {
      const idx = test.flatMap((r, i) => (keep(r) ? [i] : []));
      const row = (m: string): number | undefined =>
        attrs.subgroupPerformance.find((s) => s.subgroup === name && s.metric === m)?.value;
      expect(row("Harrell's C (DeepSurv)"), name).toBe(
        Number(harrellC(tTest, dTest, netTest, idx).toFixed(4)),
      );
      expect(row("Harrell's C (Cox baseline, R coxph)"), name).toBe(
        Number(harrellC(tTest, dTest, coxTest, idx).toFixed(4)),
      );
      expect(row('5-year RFS, Kaplan–Meier (observed)'), name).toBe(
        Number(kmAt(tTest, dTest, 5 * DAYS_PER_YEAR, idx).toFixed(4)),
      );
    }
    expect(attrs.subgroupPerformance.find((s) => s.subgroup === 'By sex')?.notReported).toMatch(/woman/);
  });
});

describe('the HTTP API serves it as a survival model', () => {
  it('GET /api/models/{id} carries the survival block and the card; POST evaluate returns S(t) at 1–10 y', async () => {
    const m = await model(DIR);
    const registry: ModelRegistry = {
      list: () => [m],
      get: (id) => (id === ID ? m : undefined),
      broken: [],
      close: async () => {},
    };
    const app = testApp(registry);
    const card = await request(app).get(`/api/models/${ID}`).expect(200);
    const body = card.body as {
      name: string;
      survival: { timeUnit: string };
      sourceAttributes: { missing: unknown[] };
    };
    expect(body.name).toMatch(/research reproduction \(NOT for treatment decisions\)/);
    expect(body.survival.timeUnit).toBe('a');
    expect(body.sourceAttributes.missing).toEqual([]);
    const r = test[2];
    if (r === undefined) throw new Error('no row');
    const res = await request(app)
      .post(`/api/models/${ID}/evaluate`)
      .send({ inputs: rowInputs(r) })
      .expect(200);
    const out = res.body as { survival: { points: { time: number; survival: number }[] } };
    expect(out.survival.points.map((p) => p.time)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // node-negative is outside the model: refused with a named input
    const bad = await request(app)
      .post(`/api/models/${ID}/evaluate`)
      .send({ inputs: { ...rowInputs(r), positive_lymph_nodes: 0 } })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('positive_lymph_nodes');
  });
});

describe('survival manifest fields are checked at load', () => {
  it('refuses a linearPredictor that is not an output', async () => {
    const root = tempModelsDir({ [ID]: DIR });
    editManifest(join(root, ID), (m) => {
      (m['survival'] as Record<string, unknown>)['linearPredictor'] = 'risk';
    });
    await expect(loadPackage(join(root, ID))).rejects.toThrow(PackageError);
    await expect(loadPackage(join(root, ID))).rejects.toThrow(
      /survival\.linearPredictor: "risk" is not one of the outputs/,
    );
  });

  it('refuses a decreasing cumulative hazard and unordered times', async () => {
    const root = tempModelsDir({ [ID]: DIR });
    editManifest(join(root, ID), (m) => {
      const h = (m['survival'] as { baselineCumulativeHazard: { cumulativeHazard: number }[] })
        .baselineCumulativeHazard;
      if (h[3]) h[3].cumulativeHazard = 0;
    });
    await expect(loadPackage(join(root, ID))).rejects.toThrow(
      /baselineCumulativeHazard\[3\]\.cumulativeHazard: a cumulative hazard cannot decrease/,
    );
    const root2 = tempModelsDir({ [ID]: DIR });
    editManifest(join(root2, ID), (m) => {
      const h = (m['survival'] as { baselineCumulativeHazard: { time: number }[] }).baselineCumulativeHazard;
      if (h[2]) h[2].time = 2;
    });
    await expect(loadPackage(join(root2, ID))).rejects.toThrow(
      /baselineCumulativeHazard\[2\]\.time: times must be strictly increasing/,
    );
  });
});

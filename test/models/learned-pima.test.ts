/**
 * learned-pima-diabetes: the logistic baseline reproduces R, training is deterministic, the committed
 * files equal a fresh build, onnxruntime reproduces the TypeScript network, and the card validates.
 *
 * AUGUR_UPDATE_MODELS=1 rewrites model.onnx, model.json, vectors.json and README.md's metrics table.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate as evaluateModel } from '../../src/models/evaluate.js';
import { ModelManifest } from '../../src/models/manifest.js';
import { loadPackage } from '../../src/models/package.js';
import { FEATURES, loadPima } from '../../models/learned-pima-diabetes/dataset.js';
import { sigmoid } from '../../models/learned-pima-diabetes/linalg.js';
import { fitLogistic, logisticLogit } from '../../models/learned-pima-diabetes/logistic.js';
import { evaluate } from '../../models/learned-pima-diabetes/metrics.js';
import { mlpPredict, trainMlp } from '../../models/learned-pima-diabetes/mlp.js';
import type { Artifacts } from '../../models/learned-pima-diabetes/train.js';
import {
  buildArtifacts,
  HYPERPARAMETERS,
  PACKAGE_DIR,
  standardisation,
  trainNetwork,
  writeArtifacts,
} from '../../models/learned-pima-diabetes/train.js';
import { VectorFile as SharedVectorFile } from '../../models/compiler/package-runner.js';

const tr = loadPima('tr');
const te = loadPima('te');
const committed = (file: string): Buffer => readFileSync(`${PACKAGE_DIR}${file}`);
let fresh: Artifacts;

beforeAll(async () => {
  fresh = await buildArtifacts();
  if (process.env['AUGUR_UPDATE_MODELS'] === '1') writeArtifacts(fresh);
});

async function runOnnx(
  rows: readonly (readonly number[])[],
): Promise<{ data: number[]; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(committed('model.onnx'));
  try {
    const x = new ort.Tensor('float64', Float64Array.from(rows.flat()), [rows.length, FEATURES.length]);
    const out = (await session.run({ x }))['diabetes_probability'];
    if (!out) throw new Error('no diabetes_probability output');
    return { data: Array.from(out.data as Float64Array), dims: out.dims };
  } finally {
    await session.release();
  }
}

describe('logistic-regression baseline (data/r-glm-reference.txt, R 4.2.2 / MASS 7.3-58.2)', () => {
  const fit = fitLogistic(tr.x, tr.y);

  it("reproduces R's glm(type ~ ., binomial, Pima.tr) coefficients", () => {
    // intercept, npreg, glu, bp, skin, bmi, ped, age — printed by data/export.R (10 significant digits)
    const r = [
      -9.773061532908, 0.103183427319, 0.032116822893, -0.004767541975, -0.001916631747, 0.083623912055,
      1.820410367451, 0.041183528816,
    ];
    fit.coefficients.forEach((b, j) => {
      expect(Math.abs(b - (r[j] ?? NaN))).toBeLessThan(1e-9);
    });
    expect(fit.coefficients).toHaveLength(8);
  });

  it("reproduces R's Pima.te error count, AUC, Brier score and calibration", () => {
    const m = evaluate(logisticLogit(fit, te.x).map(sigmoid), te.y);
    expect(m.errors).toBe(66); // models.md §6: error 66/332
    expect(Math.abs(m.auc - 0.866)).toBeLessThan(0.001); // models.md §6: AUC 0.866
    expect(m.auc).toBeCloseTo(0.8658822561, 9);
    expect(m.brier).toBeCloseTo(0.139310594, 8);
    expect(m.calibrationIntercept).toBeCloseTo(-0.08817425453, 8);
    expect(m.calibrationSlope).toBeCloseTo(0.95338187735, 8);
    expect(m.calibrationInTheLarge).toBeCloseTo(-0.06460797322, 8);
  });
});

describe('neural network training', () => {
  it('is reproducible: training twice gives bit-identical weights', () => {
    const again = trainNetwork(tr, fresh.run.l2);
    expect(again).toEqual(fresh.run.network);
    expect(trainNetwork(tr, fresh.run.l2)).toEqual(again);
  });

  it('depends on its seed (so the test above can fail)', () => {
    const other = trainMlp(tr.x, tr.y, standardisation(tr), {
      ...HYPERPARAMETERS,
      epochs: 5,
      l2: fresh.run.l2,
      seed: 7,
    });
    const same = trainMlp(tr.x, tr.y, standardisation(tr), {
      ...HYPERPARAMETERS,
      epochs: 5,
      l2: fresh.run.l2,
    });
    expect(other.w1).not.toEqual(same.w1);
  });

  it('the card tells the truth: the network does not beat the logistic baseline on Pima.te', () => {
    const { networkMetrics: nn, baselineMetrics: lr } = fresh.run;
    expect(nn.auc).toBeLessThan(lr.auc);
    expect(nn.brier).toBeGreaterThan(lr.brier);
    expect(nn.errors).toBeGreaterThanOrEqual(lr.errors);
    expect(nn.auc).toBeGreaterThan(0.8); // but it did learn something
    expect(nn.calibrationSlope).toBeGreaterThan(1); // "predictions too close to the average"
  });
});

describe('committed package files', () => {
  it('model.onnx is byte-identical to a fresh build', () => {
    expect(Buffer.from(fresh.onnx).equals(committed('model.onnx'))).toBe(true);
  });

  it('model.json, vectors.json and README.md (its metrics table) equal a fresh build', () => {
    expect(committed('model.json').toString('utf8')).toBe(fresh.modelJson);
    expect(committed('vectors.json').toString('utf8')).toBe(fresh.vectorsJson);
    expect(committed('README.md').toString('utf8')).toBe(fresh.readme);
    expect(committed('source-attributes.json').toString('utf8')).toBe(fresh.sourceAttributesJson);
  });

  it('model.json validates against the manifest schema and matches the ONNX file', () => {
    const manifest = ModelManifest.parse(JSON.parse(committed('model.json').toString('utf8')));
    expect(manifest.kind).toBe('learned');
    expect(manifest.onnx.sha256).toBe(createHash('sha256').update(committed('model.onnx')).digest('hex'));
    expect(manifest.explanation.method).toBe('shapley-exact');
    expect(Object.keys(manifest.explanation.reference)).toEqual(manifest.inputs.map((i) => i.name));
    expect(Object.values(manifest.explanation.reference)).toEqual(standardisation(tr).mean);
    expect(manifest.intendedUse).toMatch(/NOT a validated clinical model/);
    const names = manifest.development.metrics.map((m) => m.name);
    expect(names).toContain('neural network: ROC AUC');
    expect(names).toContain('logistic-regression baseline: ROC AUC');
  });
});

describe('onnxruntime-node', () => {
  it('reproduces vectors.json to 1e-6', async () => {
    const file = SharedVectorFile.parse(JSON.parse(committed('vectors.json').toString('utf8')));
    const manifest = ModelManifest.parse(JSON.parse(committed('model.json').toString('utf8')));
    const rows = file.vectors.map((v) => manifest.inputs.map((i) => Number(v.inputs[i.name])));
    const { data, dims } = await runOnnx(rows);
    expect(dims).toEqual([rows.length, 1]);
    expect(file.vectors.length).toBeGreaterThan(10);
    file.vectors.forEach((v, i) => {
      expect(v.tolerance).toBe(1e-6);
      expect(Math.abs((data[i] ?? NaN) - (v.expected['diabetes_probability'] ?? NaN))).toBeLessThan(
        v.tolerance,
      );
    });
  });

  it('agrees with the TypeScript network on every Pima.te row', async () => {
    const { data } = await runOnnx(te.x);
    te.x.forEach((row, i) => {
      expect(Math.abs((data[i] ?? NaN) - mlpPredict(fresh.run.network, row))).toBeLessThan(1e-12);
    });
  });
});

describe('served like any package (src/models/package.ts + evaluate.ts)', () => {
  it('loads, defaults and flags the two inputs FHIR cannot supply, and explains exactly', async () => {
    const model = await loadPackage(PACKAGE_DIR);
    try {
      const given = {
        pregnancies_count: 6,
        glucose_2h_ogtt_mg_dl: 148,
        diastolic_bp_mm_hg: 72,
        bmi_kg_m2: 33.6,
        age_years: 50,
      };
      const r = await evaluateModel(model, given, { explain: true });
      const [skin, ped] = [standardisation(tr).mean[3] ?? NaN, standardisation(tr).mean[5] ?? NaN];
      const expected = mlpPredict(fresh.run.network, [6, 148, 72, skin, 33.6, ped, 50]);
      expect(Math.abs((r.outputs['diabetes_probability'] ?? NaN) - expected)).toBeLessThan(1e-12);
      expect(r.warnings.map((w) => [w.input, w.code])).toEqual([
        ['triceps_skinfold_mm', 'defaulted'],
        ['diabetes_pedigree_function', 'defaulted'],
      ]);
      const logit = (p: number): number => Math.log(p / (1 - p));
      const total = (r.explanation?.contributions ?? []).reduce(
        (s, c) => s + (c.contribution['diabetes_probability'] ?? NaN),
        0,
      );
      const reference = mlpPredict(fresh.run.network, standardisation(tr).mean);
      expect(total).toBeCloseTo(logit(expected) - logit(reference), 9);
    } finally {
      await model.close();
    }
  });
});

/**
 * Writes `development-distribution.json` for the models Augur trains, from their training data, and
 * for the published-equation models that have a citable summary of their development cohort
 * (tools/published-distributions.ts) — the drift monitor's reference, src/monitoring/README.md:
 *
 *   npx vite-node tools/write-development-distributions.ts    # writes the files
 *   (test/monitoring/development-distributions.test.ts checks the committed files equal this output)
 *
 * Numeric inputs: the training data's deciles (empirical quantiles, type 1: a data value) as cut points,
 * duplicates removed and a top edge dropped while nothing lies above it; each bin's proportion is the
 * exact share of training rows in it (bins closed on the right). Booleans: the share of each value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPima } from '../models/learned-pima-diabetes/dataset.js';
import type { DevelopmentDistribution, InputBins } from '../src/monitoring/development-distribution.js';
import { publishedDistributions } from './published-distributions.js';

export const ROOT = join(import.meta.dirname, '..');
const round = (p: number): number => Math.round(p * 1e4) / 1e4;

/** Decile cut points of `values` and the share of values in each bin (bins closed on the right). */
export function decileBins(values: readonly number[]): InputBins {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const edges: number[] = [];
  for (let k = 1; k <= 9; k++) {
    const e = sorted[Math.ceil((k * n) / 10) - 1];
    if (e !== undefined && e !== edges.at(-1)) edges.push(e);
  }
  while (edges.length > 0 && !sorted.some((v) => v > (edges.at(-1) ?? Infinity))) edges.pop();
  return fixedBins(values, edges);
}

/** The share of `values` in the bins cut at `edges` (closed on the right). */
export function fixedBins(values: readonly number[], edges: readonly number[]): InputBins {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    const i = edges.findIndex((e) => v <= e);
    const b = i === -1 ? edges.length : i;
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return { edges: [...edges], proportions: counts.map((c) => round(c / values.length)) };
}

export function booleanBins(values: readonly boolean[]): InputBins {
  const t = values.filter(Boolean).length / values.length;
  return { categories: { true: round(t), false: round(1 - t) } };
}

/** The DeepSurv training cohort (data/rotterdam-train.csv: numeric columns only), one record per row. */
export function rotterdamTraining(): Record<string, number>[] {
  const file = join(ROOT, 'models/deepsurv-rotterdam-gbsg/data/rotterdam-train.csv');
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = (header ?? '').split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i] ?? '', Number(v)])));
}

function pima(): DevelopmentDistribution {
  const { x } = loadPima('tr');
  const col = (j: number): number[] => x.map((r) => r[j] ?? NaN);
  const names = [
    'pregnancies_count',
    'glucose_2h_ogtt_mg_dl',
    'diastolic_bp_mm_hg',
    'triceps_skinfold_mm',
    'bmi_kg_m2',
    'diabetes_pedigree_function',
    'age_years',
  ];
  return {
    modelId: 'learned-pima-diabetes',
    modelVersion: '0.1.0',
    population:
      'MASS Pima.tr: 200 Pima Indian women aged ≥ 21 near Phoenix, Arizona (the training split of the model)',
    method:
      'Computed by tools/development-distributions.ts from data/pima-tr.csv: training-data deciles as cut points, each bin the exact share of the 200 training rows.',
    citations: [
      {
        text: 'Venables WN, Ripley BD. Modern Applied Statistics with S, 4th ed. Springer, 2002 — R package MASS 7.3-58.2, data set Pima.tr.',
        url: 'https://cran.r-project.org/package=MASS',
      },
    ],
    inputs: Object.fromEntries(names.map((name, j) => [name, decileBins(col(j))])),
  };
}

function deepsurv(): DevelopmentDistribution {
  const rows = rotterdamTraining();
  const num = (c: string): number[] => rows.map((r) => r[c] ?? NaN);
  const sizeCat = num('size_cat');
  return {
    modelId: 'deepsurv-rotterdam-gbsg',
    modelVersion: '0.1.0',
    population:
      'Rotterdam tumour bank, node-positive patients (n = 1546, primary surgery 1978–1993): the training cohort of the model',
    method:
      'Computed by tools/development-distributions.ts from data/rotterdam-train.csv: training-data deciles as cut points, each bin the exact share of the 1546 training rows. Tumour size: Rotterdam records only the categories ≤ 20, 20–50, > 50 mm, so the bins are those three.',
    citations: [
      {
        text: 'Therneau TM. survival: A Package for Survival Analysis in R, version 3.5-3 — data set rotterdam (node-positive subset, see data/README.md).',
        url: 'https://cran.r-project.org/package=survival',
      },
      {
        text: 'Royston P, Altman DG. External validation of a Cox prognostic model: principles and methods. BMC Med Res Methodol 2013;13:33.',
        doi: '10.1186/1471-2288-13-33',
      },
    ],
    inputs: {
      hormonal_therapy: booleanBins(num('hormon').map((v) => v === 1)),
      age_years: decileBins(num('age')),
      postmenopausal: booleanBins(num('meno').map((v) => v === 1)),
      // size_cat 0, 1, 2 ↔ ≤ 20, (20, 50], > 50 mm: a representative size per category lands in its bin.
      tumour_size_mm: fixedBins(
        sizeCat.map((c) => [20, 50, 51][c] ?? NaN),
        [20, 50],
      ),
      positive_lymph_nodes: decileBins(num('nodes')),
      progesterone_receptor_fmol_l: decileBins(num('pgr')),
      estrogen_receptor_fmol_l: decileBins(num('er')),
    },
  };
}

/** Every generated file: model folder → content (trained models, then published-summary ones). */
export function developmentDistributions(): Record<string, DevelopmentDistribution> {
  return {
    'learned-pima-diabetes': pima(),
    'deepsurv-rotterdam-gbsg': deepsurv(),
    ...publishedDistributions(),
  };
}

export const serialise = (d: DevelopmentDistribution): string => `${JSON.stringify(d, null, 2)}\n`;

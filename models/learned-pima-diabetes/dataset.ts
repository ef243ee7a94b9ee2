/**
 * The MASS Pima data as committed CSVs (data/pima-{tr,te}.csv, written by data/export.R).
 * Node-only (reads files); used by training and tests, never by the service.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Predictor columns, in the CSV's (and the ONNX input tensor's) order. */
export const FEATURES = ['npreg', 'glu', 'bp', 'skin', 'bmi', 'ped', 'age'] as const;
export type Feature = (typeof FEATURES)[number];

export interface Dataset {
  /** Rows of predictors in FEATURES order. */
  readonly x: readonly (readonly number[])[];
  /** 1 = diabetic by WHO criteria (`type` = "Yes"), 0 = "No". */
  readonly y: readonly number[];
}

const DATA_DIR = new URL('./data/', import.meta.url);

export function parsePimaCsv(text: string): Dataset {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.replaceAll('"', ''));
  const expected = [...FEATURES, 'type'].join(',');
  if (header.join(',') !== expected) throw new Error(`Pima CSV header ${header.join(',')} ≠ ${expected}`);
  const x: number[][] = [];
  const y: number[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    const cells = line.split(',');
    const type = (cells[FEATURES.length] ?? '').replaceAll('"', '');
    if (type !== 'Yes' && type !== 'No') throw new Error(`Pima CSV row ${i + 2}: type ${type}`);
    const row = cells.slice(0, FEATURES.length).map(Number);
    if (row.length !== FEATURES.length || row.some((v) => !Number.isFinite(v))) {
      throw new Error(`Pima CSV row ${i + 2}: bad predictors ${line}`);
    }
    x.push(row);
    y.push(type === 'Yes' ? 1 : 0);
  }
  return { x, y };
}

export function loadPima(which: 'tr' | 'te'): Dataset {
  return parsePimaCsv(readFileSync(fileURLToPath(new URL(`pima-${which}.csv`, DATA_DIR)), 'utf8'));
}

/** Column means (the explanation's reference profile is the Pima.tr mean). */
export function columnMeans(x: readonly (readonly number[])[]): number[] {
  const k = x[0]?.length ?? 0;
  const sums = new Array<number>(k).fill(0);
  for (const row of x) for (let j = 0; j < k; j++) sums[j] = (sums[j] ?? 0) + (row[j] ?? 0);
  return sums.map((s) => s / x.length);
}

/** Column sample standard deviations (denominator n − 1, as R's sd()). */
export function columnSds(x: readonly (readonly number[])[]): number[] {
  const means = columnMeans(x);
  const ss = new Array<number>(means.length).fill(0);
  for (const row of x) {
    for (let j = 0; j < means.length; j++) ss[j] = (ss[j] ?? 0) + ((row[j] ?? 0) - (means[j] ?? 0)) ** 2;
  }
  return ss.map((s) => Math.sqrt(s / (x.length - 1)));
}

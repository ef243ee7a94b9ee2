/**
 * Input drift: each model input's distribution in production against the model's development
 * distribution (`development-distribution.json`), as the population stability index per UTC week.
 *
 * - `resultBinner` (pure): a stored result → one count per (model, input, UTC day, bin) for every run the
 *   model actually evaluated (`status: ok`) whose version matches the distribution. No patient, no value.
 * - `binStoredResults`: the store claims unbinned results, adds their counts to `input_bins` and marks
 *   them, one transaction per batch (safe with several processes on one database).
 * - `driftReport`: PSI per model, input and week from `input_bins`.
 * - `startDriftJob`: both on an interval (started by main), and `runOnce()` on demand; it sets the
 *   `augur_input_psi` gauge for the current week.
 */
import type { Logger } from 'pino';
import { errorFields } from '../log/logger.js';
import type { InputValue, ModelRegistry } from '../models/types.js';
import type { InputBinCount, ResultBinner, Store } from '../store/types.js';
import { readDevelopmentDistribution, type DevelopmentDistribution } from './development-distribution.js';
import { inputPsi } from './metrics.js';
import { binNames, binOf, expectedProportions, psi, psiLevel, PSI_THRESHOLDS, type PsiLevel } from './psi.js';

/** Development distributions by model id. */
export type Distributions = ReadonlyMap<string, DevelopmentDistribution>;

/** The distributions of every loaded model that ships one. @throws PackageError for an invalid file. */
export function distributionsOf(registry: Pick<ModelRegistry, 'list'>): Map<string, DevelopmentDistribution> {
  const out = new Map<string, DevelopmentDistribution>();
  for (const m of registry.list()) {
    const d = readDevelopmentDistribution(m.dir, m.manifest);
    if (d !== undefined) out.set(m.manifest.id, d);
  }
  return out;
}

interface RunShape {
  status?: unknown;
  model?: { id?: unknown; version?: unknown };
  inputs?: Record<string, { value?: unknown } | undefined>;
}

function inputValue(v: unknown): InputValue | null {
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : null;
}

/** Counts a stored result's evaluated inputs into the development bins (pure). */
export function resultBinner(distributions: Distributions): ResultBinner {
  return ({ payload, createdAt }) => {
    const runs = (payload as { runs?: unknown } | null)?.runs;
    if (!Array.isArray(runs)) return [];
    const day = createdAt.toISOString().slice(0, 10);
    const counts: InputBinCount[] = [];
    for (const run of runs as RunShape[]) {
      if (run.status !== 'ok' || typeof run.model?.id !== 'string') continue;
      const d = distributions.get(run.model.id);
      if (d === undefined || run.model.version !== d.modelVersion) continue;
      for (const [input, spec] of Object.entries(d.inputs)) {
        const bin = binOf(spec, inputValue(run.inputs?.[input]?.value));
        if (bin === undefined) continue;
        counts.push({ modelId: d.modelId, modelVersion: d.modelVersion, input, day, bin, count: 1 });
      }
    }
    return counts;
  };
}

/** Bins every waiting stored result, in batches of `batch`. Returns how many results were binned. */
export async function binStoredResults(
  store: Store,
  distributions: Distributions,
  batch = 500,
): Promise<number> {
  const bin = resultBinner(distributions);
  let total = 0;
  for (;;) {
    const n = await store.binResults(batch, bin);
    total += n;
    if (n < batch) return total;
  }
}

const DAY_MS = 86_400_000;

/** The Monday (UTC) of the week holding `day` (`YYYY-MM-DD`). */
export function weekOf(day: string | Date): string {
  const d = typeof day === 'string' ? new Date(`${day}T00:00:00Z`) : day;
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

export interface DriftBin {
  bin: string;
  /** The development proportion. */
  expected: number;
  count: number;
}

export interface DriftRow {
  modelId: string;
  modelVersion: string;
  input: string;
  /** Monday (UTC) starting the week. */
  week: string;
  /** Model runs counted for this input this week. */
  n: number;
  psi: number;
  level: PsiLevel;
  bins: DriftBin[];
}

export interface DriftReport {
  since: string;
  thresholds: typeof PSI_THRESHOLDS;
  models: {
    id: string;
    version: string;
    population: string;
    method: string;
    citations: DevelopmentDistribution['citations'];
    notBinned: Record<string, string>;
  }[];
  rows: DriftRow[];
}

/** PSI per model, input and week for the `weeks` weeks up to the one holding `now`. */
export async function driftReport(
  store: Pick<Store, 'inputBins'>,
  distributions: Distributions,
  now: Date,
  weeks: number,
): Promise<DriftReport> {
  const since = weekOf(new Date(Date.parse(weekOf(now)) - (weeks - 1) * 7 * DAY_MS));
  const counts = await store.inputBins(new Date(`${since}T00:00:00Z`));
  const grouped = new Map<string, { c: InputBinCount; week: string; bins: Map<string, number> }>();
  for (const c of counts) {
    const d = distributions.get(c.modelId);
    if (d === undefined || d.modelVersion !== c.modelVersion || d.inputs[c.input] === undefined) continue;
    const week = weekOf(c.day);
    const key = JSON.stringify([c.modelId, c.input, week]);
    const g = grouped.get(key) ?? { c, week, bins: new Map<string, number>() };
    g.bins.set(c.bin, (g.bins.get(c.bin) ?? 0) + c.count);
    grouped.set(key, g);
  }
  const rows: DriftRow[] = [];
  for (const { c, week, bins } of grouped.values()) {
    const spec = distributions.get(c.modelId)?.inputs[c.input];
    if (spec === undefined) continue;
    const names = binNames(spec);
    const expected = expectedProportions(spec);
    const observed = names.map((b) => bins.get(b) ?? 0);
    const value = psi(expected, observed);
    rows.push({
      modelId: c.modelId,
      modelVersion: c.modelVersion,
      input: c.input,
      week,
      n: observed.reduce((a, b) => a + b, 0),
      psi: value,
      level: psiLevel(value),
      bins: names.map((bin, i) => ({ bin, expected: expected[i] ?? 0, count: observed[i] ?? 0 })),
    });
  }
  rows.sort(
    (a, b) =>
      a.modelId.localeCompare(b.modelId) || a.week.localeCompare(b.week) || a.input.localeCompare(b.input),
  );
  return {
    since,
    thresholds: PSI_THRESHOLDS,
    models: [...distributions.values()].map((d) => ({
      id: d.modelId,
      version: d.modelVersion,
      population: d.population,
      method: d.method,
      citations: d.citations,
      notBinned: d.notBinned ?? {},
    })),
    rows,
  };
}

export interface DriftJob {
  /** Bins waiting results and refreshes the gauge; resolves with how many results were binned. */
  runOnce(): Promise<number>;
  stop(): void;
}

/** Ten minutes: far inside the results' time to live, so every result is counted before it is deleted. */
export const DRIFT_INTERVAL_MS = 600_000;

export function startDriftJob(o: {
  store: Store;
  distributions: Distributions;
  log: Logger;
  intervalMs?: number;
  now?: () => Date;
}): DriftJob {
  const now = o.now ?? (() => new Date());
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      try {
        const binned = await binStoredResults(o.store, o.distributions);
        const report = await driftReport(o.store, o.distributions, now(), 1);
        inputPsi.reset(); // last week's values are not this week's
        for (const r of report.rows) inputPsi.set({ model: r.modelId, input: r.input }, r.psi);
        return binned;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => {
    runOnce().then(
      (count) => {
        if (count > 0) o.log.info({ count, component: 'drift' }, 'results binned for input drift');
      },
      (err: unknown) => {
        o.log.warn({ ...errorFields(err), component: 'drift' }, 'input drift binning failed');
      },
    );
  }, o.intervalMs ?? DRIFT_INTERVAL_MS);
  timer.unref();
  return {
    runOnce,
    stop: () => {
      clearInterval(timer);
    },
  };
}

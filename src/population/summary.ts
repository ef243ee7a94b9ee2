/**
 * The run's summary, accumulated patient by patient while the outputs are written (summary.json and
 * the report's plots). Bounded by the number of models, bands, gaps, inputs and reasons — not by the
 * population — except the list of patients not scored, which names every one of them (the issue asks
 * that no patient is skipped silently).
 */
import type { InputProblems, PartitionStats } from './partition.js';
import type { PatientScore } from './types.js';

export const HISTOGRAM_BINS = 20;

export interface ModelSummary {
  model: string;
  status: Record<string, number>;
  bands: Record<string, number>;
  /** Output shown in the distribution plot, and its histogram. */
  distribution?: { output: string; kind: 'fraction' | 'points'; bins: number[]; min?: number; max?: number };
  /** Why no number, with counts (out of population, insufficient data). */
  reasons: Record<string, number>;
  missing: Record<string, number>;
  stale: Record<string, number>;
}

export interface Summary {
  computedAt: string;
  input: Omit<PartitionStats, 'problems'>;
  inputProblems: InputProblems;
  patients: { total: number; scored: number; notScored: number; withGap: number; outOfEveryModel: number };
  notScored: { patientId: string; reason: string }[];
  models: Record<string, ModelSummary>;
  gaps: Record<string, { label: string; patients: number; bands: Record<string, number> }>;
  cards: Record<string, number>;
  unreadableResources: number;
  run: { workers: number; seconds: number; patientsPerSecond: number; maxRssMB: number; resumed: boolean };
  /** Most resources held in memory at once while grouping (the bound: one bucket). */
  peakResourcesInMemory: number;
}

/** The output a distribution shows per model id (the gap's number when there is one, else the first). */
const PLOTTED: Readonly<Record<string, string>> = {
  'ascvd-pce-10y': 'risk_10y',
  'prevent-10y': 'total_cvd',
  'prevent-30y': 'total_cvd',
  'cha2ds2-vasc': 'score',
  'has-bled': 'score',
  'kfre-4v': 'risk_5y',
};

const inc = (r: Record<string, number>, k: string, by = 1): void => {
  r[k] = (r[k] ?? 0) + by;
};

export class SummaryBuilder {
  readonly models: Record<string, ModelSummary> = {};
  readonly gaps: Summary['gaps'] = {};
  readonly cards: Record<string, number> = {};
  readonly notScored: Summary['notScored'] = [];
  total = 0;
  scored = 0;
  withGap = 0;
  outOfEveryModel = 0;
  unreadable = 0;

  add(s: PatientScore): void {
    this.total++;
    if (s.status === 'not-scored') {
      this.notScored.push({ patientId: s.patientId, reason: s.reason });
      return;
    }
    this.scored++;
    if (s.gaps.length > 0) this.withGap++;
    if (s.models.length > 0 && s.models.every((m) => m.status === 'not-applicable')) this.outOfEveryModel++;
    this.unreadable += s.unreadable.length;
    for (const c of s.cards) inc(this.cards, c.card);
    for (const g of s.gaps) {
      const e = (this.gaps[g.gap] ??= { label: g.label, patients: 0, bands: {} });
      e.patients++;
      inc(e.bands, g.band ?? '(none)');
    }
    for (const m of s.models) {
      const e = (this.models[m.model] ??= {
        model: m.model,
        status: {},
        bands: {},
        reasons: {},
        missing: {},
        stale: {},
      });
      inc(e.status, m.status);
      if (m.band !== undefined) inc(e.bands, m.band);
      if (m.reason !== undefined) inc(e.reasons, m.reason.replace(/\b\d+(\.\d+)?\b/g, 'N'));
      for (const i of m.missing) inc(e.missing, i);
      for (const i of m.stale) inc(e.stale, i);
      if (m.outputs === undefined) continue;
      const id = m.model.split('@')[0] ?? m.model;
      const output = PLOTTED[id] ?? Object.keys(m.outputs)[0];
      const v = output === undefined ? undefined : m.outputs[output];
      if (output === undefined || v === undefined || !Number.isFinite(v)) continue;
      const kind = output === 'score' ? 'points' : 'fraction';
      const d = (e.distribution ??= {
        output,
        kind,
        bins: new Array<number>(kind === 'points' ? 13 : HISTOGRAM_BINS).fill(0),
      });
      const bin =
        kind === 'points'
          ? Math.min(d.bins.length - 1, Math.max(0, Math.round(v)))
          : Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(v * HISTOGRAM_BINS)));
      d.bins[bin] = (d.bins[bin] ?? 0) + 1;
      d.min = Math.min(d.min ?? v, v);
      d.max = Math.max(d.max ?? v, v);
    }
  }

  build(extra: {
    computedAt: string;
    partition: PartitionStats;
    run: Summary['run'];
    peakResourcesInMemory: number;
  }): Summary {
    const { problems, ...input } = extra.partition;
    return {
      computedAt: extra.computedAt,
      input,
      inputProblems: problems,
      patients: {
        total: this.total,
        scored: this.scored,
        notScored: this.notScored.length,
        withGap: this.withGap,
        outOfEveryModel: this.outOfEveryModel,
      },
      notScored: this.notScored,
      models: this.models,
      gaps: this.gaps,
      cards: this.cards,
      unreadableResources: this.unreadable,
      run: extra.run,
      peakResourcesInMemory: extra.peakResourcesInMemory,
    };
  }
}

/**
 * The monitoring page's view model (pure): GET /api/monitoring/card-rates rows grouped by service and
 * card id, each day with shown, accepted and overridden counts and rates as percentages — the
 * alert-fatigue signal a site reviews.
 */
import type { DriftRow } from '../../src/monitoring/drift.js';
import type { CardRateRow } from '../../src/store/types.js';

/** One row of GET /api/monitoring/card-rates: the store's aggregate plus its two rates. */
export interface CardRate extends CardRateRow {
  acceptanceRate: number;
  overrideRate: number;
}

export interface CardTable {
  title: string;
  totals: string;
  days: { day: string; shown: string; accepted: string; overridden: string }[];
}

const pct = (n: number, of: number): string =>
  of === 0 ? '—' : `${(Math.round((n / of) * 1000) / 10).toFixed(1)} %`;

/** One table per service and card id, days in order, with totals over the period. */
export function cardTables(rows: readonly CardRate[]): CardTable[] {
  const groups = new Map<string, CardRate[]>();
  for (const r of rows) {
    const key = `${r.serviceId} · ${r.cardId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([title, rs]) => {
      const shown = rs.reduce((s, r) => s + r.shown, 0);
      const accepted = rs.reduce((s, r) => s + r.accepted, 0);
      const overridden = rs.reduce((s, r) => s + r.overridden, 0);
      return {
        title,
        totals: `${String(shown)} shown — accepted ${pct(accepted, shown)}, overridden ${pct(overridden, shown)}`,
        days: [...rs]
          .sort((a, b) => a.day.localeCompare(b.day))
          .map((r) => ({
            day: r.day,
            shown: String(r.shown),
            accepted: `${String(r.accepted)} (${pct(r.accepted, r.shown)})`,
            overridden: `${String(r.overridden)} (${pct(r.overridden, r.shown)})`,
          })),
      };
    });
}

export interface DriftReportBody {
  since: string;
  thresholds: { moderate: number; significant: number; source: string };
  models: {
    id: string;
    version: string;
    population: string;
    method: string;
    citations: { text: string }[];
  }[];
  rows: DriftRow[];
}

export interface DriftTable {
  title: string;
  population: string;
  /** The week columns, oldest first (Mondays, UTC). */
  weeks: string[];
  inputs: { input: string; cells: { text: string; level: DriftRow['level'] | 'none' }[] }[];
}

const LEVEL_WORD: Record<DriftRow['level'], string> = {
  stable: 'stable',
  moderate: 'moderate shift',
  significant: 'significant shift',
};

/** One table per model: a row per input, a column per week, each cell "PSI (n) level". */
export function driftTables(report: DriftReportBody): DriftTable[] {
  return report.models
    .filter((m) => report.rows.some((r) => r.modelId === m.id))
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((m) => {
      const rows = report.rows.filter((r) => r.modelId === m.id);
      const weeks = [...new Set(rows.map((r) => r.week))].sort();
      const inputs = [...new Set(rows.map((r) => r.input))].sort();
      return {
        title: `${m.id} ${m.version}`,
        population: m.population,
        weeks,
        inputs: inputs.map((input) => ({
          input,
          cells: weeks.map((week) => {
            const r = rows.find((x) => x.input === input && x.week === week);
            return r === undefined
              ? { text: '—', level: 'none' as const }
              : { text: `${r.psi.toFixed(3)} (n ${String(r.n)}) ${LEVEL_WORD[r.level]}`, level: r.level };
          }),
        })),
      };
    });
}

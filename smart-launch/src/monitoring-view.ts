/**
 * The monitoring page's view model (pure): GET /api/monitoring/card-rates rows grouped by service and
 * card id, each day with shown, accepted and overridden counts and rates as percentages — the
 * alert-fatigue signal a site reviews.
 */
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

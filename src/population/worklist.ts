/**
 * The care-gap worklist as CSV (RFC 4180: comma, CRLF, quotes doubled) — one row per patient per gap.
 * The columns are the README's worklist schema; worklist.ndjson carries the same rows as CareGap JSON.
 */
import type { CareGap } from './types.js';

export const WORKLIST_COLUMNS = [
  'patient_id',
  'gap',
  'gap_label',
  'service',
  'card',
  'band',
  'indicator',
  'model',
  'measure',
  'value',
  'drivers',
  'missing',
  'stale',
  'summary',
  'computed_at',
] as const;

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  // A leading = + - @ would be a formula in a spreadsheet: quote-prefix it (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvHeader = (): string => `${WORKLIST_COLUMNS.join(',')}\r\n`;

export function csvRow(g: CareGap): string {
  const cols: (string | number | undefined)[] = [
    g.patientId,
    g.gap,
    g.label,
    g.serviceId,
    g.card,
    g.band,
    g.indicator,
    g.model,
    g.measure,
    g.value,
    g.drivers.join('; '),
    g.missing.join('; '),
    g.stale.join('; '),
    g.summary,
    g.computedAt,
  ];
  return `${cols.map(cell).join(',')}\r\n`;
}

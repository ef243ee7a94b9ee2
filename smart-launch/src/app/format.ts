/**
 * How the app words numbers, inputs and flags. The number formats and flag words are the cards'
 * own (src/cards/format.ts), so the app and the card say the same thing.
 */
import { formatNumber, percent } from '../../../src/cards/format.js';
import type { Flag, InputProvenance } from '../../../src/features/types.js';
import type { OutputSpec } from '../../../src/models/manifest.js';
import { descriptionLabel, enumLabel, flagLabel, unitLabel } from './labels.js';

export { formatNumber, percent } from '../../../src/cards/format.js';

/** A unit in words (labels.json): "years" for UCUM `a`, "mmHg" for `mm[Hg]`. */
export const displayUnit = unitLabel;

/** A short label from the input's description: its first clause ("Systolic blood pressure, mm Hg …" → "Systolic blood pressure"). */
export const inputLabel = descriptionLabel;

/** An output value in its unit: 0.142 → "14.2 %", 3 → "3 points", 35.1 mg/wk → "35.1 mg/week". */
export function formatOutput(spec: Pick<OutputSpec, 'unit'>, value: number): string {
  switch (spec.unit) {
    case 'fraction':
      return percent(value);
    case 'fraction/year':
      return `${percent(value)} per year`;
    case 'points':
      return `${formatNumber(value)} point${value === 1 ? '' : 's'}`;
    case 'mg/wk':
      return `${formatNumber(value)} mg/week (${formatNumber(value / 7)} mg/day)`;
    default:
      return `${formatNumber(value)} ${spec.unit}`;
  }
}

/** The unit a waterfall is drawn in, and how a contribution reads: "+1.2 percentage points", "+2 points". */
export function changeUnit(spec: Pick<OutputSpec, 'unit'>): { scale: number; unit: string; short: string } {
  if (spec.unit === 'fraction' || spec.unit === 'fraction/year')
    return { scale: 100, unit: 'percentage points', short: 'pp' };
  if (spec.unit === 'points') return { scale: 1, unit: 'points', short: 'pts' };
  if (spec.unit === 'mg/wk') return { scale: 1, unit: 'mg/week', short: 'mg/wk' };
  return { scale: 1, unit: spec.unit, short: spec.unit };
}

export const signed = (v: number, digits = 1): string =>
  `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}`;

/**
 * A categorical output (unit `code`) in words, from its description "…: 0 base, 1 +UACR, 3 full" or
 * "1 = pharmacogenetic algorithm (…), 0 = clinical algorithm"; the bare code when not listed.
 */
export function codeLabel(spec: Pick<OutputSpec, 'description'>, value: number): string {
  const listed = spec.description.slice(spec.description.indexOf(':') + 1);
  for (const part of listed.split(/,(?![^(]*\))/)) {
    const m = /^\s*(\d+)\s*=?\s*(.+?)\.?\s*$/.exec(part);
    if (m?.[1] !== undefined && m[2] !== undefined && Number(m[1]) === value) return m[2];
  }
  return `code ${String(value)}`;
}

/** Text + symbol for every flag (labels.json), so no flag depends on colour. `derived` is information, not a warning. */
export const flagText = (flag: Flag): { symbol: string; words: string; warning: boolean } => flagLabel(flag);

export const warningFlags = (p: InputProvenance): Flag[] => p.flags.filter((f) => flagText(f).warning);

/** "152 mmHg", "yes", "female", "67 years", "not recorded"; `input` names enum values in words. */
export function valueText(p: Pick<InputProvenance, 'value' | 'unit'>, input?: string): string {
  if (p.value === null) return 'not recorded';
  if (typeof p.value === 'boolean') return p.value ? 'yes' : 'no';
  if (typeof p.value === 'string') return input === undefined ? p.value : enumLabel(input, p.value);
  const unit = displayUnit(p.unit);
  return unit === '' ? formatNumber(p.value) : `${formatNumber(p.value)} ${unit}`;
}

/** The user's locale for every date and time the app shows (the browser's, unless a test sets one). */
let LOCALE: string | undefined;
export function setLocale(locale: string | undefined): void {
  LOCALE = locale;
}

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/**
 * A FHIR date or dateTime as a date in the user's locale ("Jun 1, 2026", "01/06/2026"): one format
 * everywhere. A date-only value is a calendar day (never shifted by the time zone); a partial date
 * ("2024", "2024-02") shows what it has.
 */
export function dateText(d: string | undefined): string {
  if (d === undefined || d === '') return '';
  if (DATE_ONLY.test(d)) {
    const [y, m, day] = d.split('-').map(Number);
    const utc = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, day ?? 1));
    const opts: Intl.DateTimeFormatOptions =
      m === undefined
        ? { year: 'numeric', timeZone: 'UTC' }
        : day === undefined
          ? { year: 'numeric', month: 'short', timeZone: 'UTC' }
          : { dateStyle: 'medium', timeZone: 'UTC' };
    return new Intl.DateTimeFormat(LOCALE, opts).format(utc);
  }
  const t = new Date(d);
  return Number.isNaN(t.getTime()) ? d : new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium' }).format(t);
}

/** Date and time, where the time matters (when a result was computed). Same locale and date style. */
export function dateTimeText(d: Date | string): string {
  const t = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(t.getTime())) return String(d);
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(t);
}

/** A point on a time axis (epoch ms) as month and year in the user's locale. */
export const monthText = (time: number): string =>
  new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short' }).format(new Date(time));

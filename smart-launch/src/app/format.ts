/**
 * How the app words numbers, inputs and flags. The number formats and flag words are the cards'
 * own (src/cards/format.ts), so the app and the card say the same thing.
 */
import { displayUnit, FLAG_WORDS, formatNumber, percent } from '../../../src/cards/format.js';
import type { Flag, InputProvenance } from '../../../src/features/types.js';
import type { InputSpec, OutputSpec } from '../../../src/models/manifest.js';

export { describeInput, displayUnit, formatNumber, percent } from '../../../src/cards/format.js';

/** A short label from the input's description: its first clause ("Systolic blood pressure, mm Hg …" → "Systolic blood pressure"). */
export function inputLabel(spec: Pick<InputSpec, 'name' | 'description'>): string {
  const first = spec.description.split(/[,.:;(]| — /)[0]?.trim() ?? '';
  return first === '' ? spec.name.replace(/_/g, ' ') : first;
}

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

/** Text + symbol for every flag, so no flag depends on colour. `derived` is information, not a warning. */
const FLAG_SYMBOL: Readonly<Record<Flag, string>> = {
  missing: '✕',
  stale: '⏱',
  'out-of-range': '⚠',
  'unit-unknown': '?',
  defaulted: '◌',
  derived: 'ƒ',
  'matched-by-text': '≈',
  uninterpretable: '?',
};

export function flagText(flag: Flag): { symbol: string; words: string; warning: boolean } {
  return {
    symbol: FLAG_SYMBOL[flag],
    words: FLAG_WORDS[flag] ?? (flag === 'derived' ? 'calculated from other results' : flag),
    warning: flag !== 'derived',
  };
}

export const warningFlags = (p: InputProvenance): Flag[] => p.flags.filter((f) => flagText(f).warning);

/** "152 mmHg", "yes", "female", "not recorded". */
export function valueText(p: Pick<InputProvenance, 'value' | 'unit'>): string {
  if (p.value === null) return 'not recorded';
  if (typeof p.value === 'boolean') return p.value ? 'yes' : 'no';
  if (typeof p.value === 'string') return p.value;
  const unit = displayUnit(p.unit);
  return unit === '' ? formatNumber(p.value) : `${formatNumber(p.value)} ${unit}`;
}

export const dateText = (d: string | undefined): string => (d === undefined ? '' : d.slice(0, 10));

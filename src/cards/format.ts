/**
 * The wording and number formatting of cards, shared by the CDS services (via build.ts) and the SMART
 * side app (browser-safe: no Node imports), so the card and the app say the same thing the same way.
 */
import type { InputProvenance } from '../features/types.js';
import type { ModelRun } from './run-model.js';

const UNIT_DISPLAY: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  a: 'y',
  'kg/m2': 'kg/m²',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  '1': '',
  '{score}': '',
};

export function displayUnit(ucum: string | undefined): string {
  if (ucum === undefined) return '';
  return UNIT_DISPLAY[ucum] ?? ucum;
}

export function formatNumber(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(v.toFixed(digits)));
}

/** A percentage from a fraction, e.g. 0.1423 → "14.2 %". */
export function percent(fraction: number): string {
  const pct = fraction * 100;
  return `${pct < 1 ? pct.toFixed(2).replace(/0$/, '') : pct.toFixed(1)} %`;
}

/** The input without its date (when the date is shown elsewhere, or not at all). */
export const undated = ({ date: _date, ...rest }: InputProvenance): InputProvenance => rest;

/** "152 mmHg (2026-10-01)", "yes (2026-01-04)", "missing". */
export function describeInput(p: InputProvenance): string {
  if (p.value === null) return 'missing';
  const value =
    typeof p.value === 'number'
      ? `${formatNumber(p.value)}${displayUnit(p.unit) === '' ? '' : ` ${displayUnit(p.unit)}`}`
      : typeof p.value === 'boolean'
        ? p.value
          ? 'yes'
          : 'no'
        : p.value;
  // A Patient-sourced input (age, sex) has no measurement date: its "date" is the birth date.
  if (p.date === undefined || p.source?.startsWith('Patient/') === true) return value;
  return `${value} (${p.date.slice(0, 10)})`;
}

export type Labels = Readonly<Record<string, string>>;
const label = (labels: Labels, input: string): string => labels[input] ?? input.replace(/_/g, ' ');

/** "1 point", "2.5 points". */
const pointsWord = (n: number): string => `${formatNumber(n)} point${n === 1 ? '' : 's'}`;

/** How much one input moved `output`, in the output's own unit: "adds 8.2 points", "removes 3.1 mg/week". */
function amountText(c: ContributionLike, output: string, unit: string): string | undefined {
  const points = c.points?.[output];
  if (points !== undefined) return `${points >= 0 ? 'adds' : 'removes'} ${pointsWord(Math.abs(points))}`;
  const pp = c.probabilityPoints?.[output];
  if (pp !== undefined)
    return `${pp >= 0 ? 'adds' : 'removes'} ${Math.abs(pp).toFixed(1)} percentage point${Math.abs(pp).toFixed(1) === '1.0' ? '' : 's'}`;
  const own = c.outputUnits?.[output];
  if (own !== undefined) return `${own >= 0 ? 'adds' : 'removes'} ${formatNumber(Math.abs(own))} ${unit}`;
  return undefined;
}

type ContributionLike = Extract<ModelRun, { status: 'ok' }>['explanation']['contributions'][number];

/**
 * "compared with a 55-year-old non-smoking woman with optimal values (2.1 %):" — what every contribution
 * below it is measured against, in words (the manifest's `referenceLabel`).
 */
export function comparedWith(run: Extract<ModelRun, { status: 'ok' }>, output: string): string {
  const scale = run.explanation.scales.find((s) => s.output === output);
  const ref =
    scale === undefined
      ? ''
      : scale.unit === 'fraction'
        ? ` (${percent(scale.referenceOutput)})`
        : scale.unit === 'points'
          ? ` (score ${formatNumber(scale.referenceOutput)})`
          : ` (${formatNumber(scale.referenceOutput)} ${scale.unit})`;
  return `compared with ${run.explanation.reference.label}${ref}`;
}

/**
 * The inputs that moved `output` most from the model's reference profile, largest first (by the amount
 * shown: percentage points of risk, the output's unit, or points), as Markdown list items:
 * "Systolic BP 158 mmHg (2026-10-01): adds 8.2 percentage points". Read under `comparedWith`.
 */
export function topFactors(
  run: Extract<ModelRun, { status: 'ok' }>,
  output: string,
  labels: Labels,
  n = 3,
): string[] {
  const unit = run.explanation.scales.find((s) => s.output === output)?.unit ?? '';
  const size = (c: ContributionLike): number =>
    c.points?.[output] ??
    c.probabilityPoints?.[output] ??
    c.outputUnits?.[output] ??
    c.contribution[output] ??
    0;
  return run.explanation.contributions
    .filter((c) => labels[c.input] !== undefined)
    .filter((c) => Math.abs(size(c)) > 0.05)
    .sort((a, b) => Math.abs(size(b)) - Math.abs(size(a)))
    .slice(0, n)
    .map((c) => {
      const p = run.inputs[c.input];
      const shown = p === undefined ? '' : ` ${describeInput(p)}`;
      const amount = amountText(c, output, unit) ?? (size(c) > 0 ? 'raises' : 'lowers');
      return `${label(labels, c.input)}${shown}: ${amount}`;
    });
}

export const FLAG_WORDS: Readonly<Record<string, string>> = {
  missing: 'missing',
  stale: 'stale',
  'out-of-range': 'outside the model’s range',
  'unit-unknown': 'unit not recognised',
  defaulted: 'not recorded — default used',
  'matched-by-text': 'matched by text, not code',
  uninterpretable: 'could not be interpreted',
};

/** One line per flagged input (derived values are normal and not flagged to the physician here). */
export function inputFlags(inputs: Readonly<Record<string, InputProvenance>>, labels: Labels): string[] {
  return Object.entries(inputs).flatMap(([name, p]) => {
    const words = p.flags.flatMap((f) => (FLAG_WORDS[f] === undefined ? [] : [FLAG_WORDS[f]]));
    if (words.length === 0) return [];
    const when = p.date === undefined || p.value === null ? '' : ` (${p.date.slice(0, 10)})`;
    return [`${label(labels, name)}: ${words.join(', ')}${when}`];
  });
}

/** "PREVENT 10-year (Khan SS et al. Circulation 2024)" — the model and the first citation, briefly. */
export function modelLine(run: ModelRun): string {
  const first = run.model.citations[0];
  const cite = first === undefined ? '' : ` — ${first.text.split('.').slice(0, 2).join('.').trim()}`;
  return `${run.model.name} v${run.model.version}${cite}`;
}

/** A Markdown section: `**Title** ` + items as a list; empty when there are no items. */
export function section(title: string, items: readonly string[]): string {
  if (items.length === 0) return '';
  return `**${title}**\n${items.map((i) => `- ${i}`).join('\n')}`;
}

export function joinSections(parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join('\n\n');
}

/**
 * A points score's explanation is its table: each criterion met, its points, and the source resource
 * and date it was read from — the ModelRun's explanation contributions (`met`, `points`) joined with
 * the inputs' provenance. Pure.
 */
import type { ModelRun } from '../../cards/run-model.js';
import { describeInput, type Labels } from '../../cards/build.js';
import type { InputProvenance } from '../../features/types.js';

export type OkRun = Extract<ModelRun, { status: 'ok' }>;

export interface CriterionMet {
  input: string;
  label: string;
  points: number;
  /** What was found, e.g. "172 mmHg", "Essential hypertension", "female". */
  found: string;
  source?: string;
  date?: string;
}

/** What a criterion's input showed: the value for numbers and categories, the record's wording for yes/no. */
function found(p: InputProvenance): string {
  if (typeof p.value === 'boolean') return p.note?.split('; ')[0] ?? 'yes';
  return describeInput({ value: p.value, flags: p.flags, ...(p.unit === undefined ? {} : { unit: p.unit }) });
}

/** The criteria that add points to `output`, largest first, each with its evidence. */
export function criteriaMet(run: OkRun, output: string, labels: Labels): CriterionMet[] {
  return run.explanation.contributions
    .map((c) => ({ c, points: c.points?.[output] ?? 0 }))
    .filter(({ c, points }) => points > 1e-9 && c.met !== false)
    .sort((a, b) => b.points - a.points)
    .map(({ c, points }) => {
      const p = run.inputs[c.input];
      const row: CriterionMet = {
        input: c.input,
        label: labels[c.input] ?? c.input.replace(/_/g, ' '),
        points: Math.round(points),
        found: p === undefined ? '' : found(p),
      };
      if (p?.source !== undefined) row.source = p.source;
      // A patient-sourced date is the birth date: the age already says what matters.
      if (p?.date !== undefined && p.source?.startsWith('Patient/') !== true) row.date = p.date.slice(0, 10);
      return row;
    });
}

/** "Hypertension +1 — Essential hypertension (Condition/c1, 2019-03-02)". */
export function criterionLine(r: CriterionMet): string {
  const where = [r.source, r.date].filter((x) => x !== undefined).join(', ');
  return `${r.label} +${String(r.points)} — ${r.found}${where === '' ? '' : ` (${where})`}`;
}

/**
 * Yes/no criteria with no coded evidence, which the score counts as absent. (Extraction returns `false`
 * for "no active Condition in the value set" rather than flagging a default, so this reads the value.)
 */
export function criteriaAssumedAbsent(run: OkRun, labels: Labels): string[] {
  return Object.entries(run.inputs)
    .filter(([name, p]) => p.value === false && labels[name] !== undefined)
    .map(([name]) => labels[name] ?? name);
}

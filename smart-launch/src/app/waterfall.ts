/**
 * A model's explanation as waterfall steps in the output's own units: from the reference profile's
 * value, each input's (approximate) share of the change, to this patient's value. Points scores are
 * exact (points added); fractions use the explanation's approximate percentage points; the exact
 * additive-scale contributions are in the inputs table.
 */
import type { Contribution } from '../../../src/models/explain/explanation.js';
import type { OkRun } from './types.js';

/**
 * The explanation contract the app reads beyond the core types (the explanation core may add them):
 * `probabilityPoints` — exact Shapley values of the risk itself, in percentage points, per output;
 * `reference.label` / `reference.rationale` — what the contributions are compared with, in words.
 */
export type AppContribution = Contribution & { probabilityPoints?: Record<string, number> };
export interface ReferenceWords {
  label?: string;
  rationale?: string;
}

/** The reference in words, when the explanation names it ("a 55-year-old non-smoking woman with optimal values"). */
export function referenceWords(run: OkRun): ReferenceWords {
  const r = run.explanation.reference as typeof run.explanation.reference & ReferenceWords;
  return {
    ...(typeof r.label === 'string' && r.label !== '' ? { label: r.label } : {}),
    ...(typeof r.rationale === 'string' && r.rationale !== '' ? { rationale: r.rationale } : {}),
  };
}

/** How the amounts were obtained, for the words around the chart. */
export type AmountKind = 'points' | 'exact-shapley' | 'approximate' | 'exact-identity';

export function amountKind(run: OkRun, output: string): AmountKind | undefined {
  const cs = run.explanation.contributions as AppContribution[];
  if (cs.some((c) => c.points?.[output] !== undefined)) return 'points';
  if (cs.some((c) => c.probabilityPoints?.[output] !== undefined)) return 'exact-shapley';
  if (
    cs.some(
      (c) => c.approxPercentagePoints?.[output] !== undefined || c.approxOutputUnits?.[output] !== undefined,
    )
  )
    return 'approximate';
  const s = run.explanation.scales.find((x) => x.output === output);
  return s?.transform === 'identity' ? 'exact-identity' : undefined;
}

export interface Step {
  input: string;
  /** In display units (percentage points, points, mg/week). */
  amount: number;
  /** Running total before and after this step. */
  from: number;
  to: number;
}

export interface Waterfall {
  output: string;
  start: number;
  end: number;
  steps: Step[];
  /** Inputs with no effect (equal to the reference, or zero contribution). */
  neutral: string[];
  exact: boolean;
  /** The base bar's words: the explanation's reference label, or "Reference profile". */
  baseLabel: string;
}

/** Per-input amount in display units for `output`, or undefined when there is no reading in those units. */
export function amountFor(run: OkRun, input: string, output: string, scale: number): number | undefined {
  const c = (run.explanation.contributions as AppContribution[]).find((x) => x.input === input);
  if (c === undefined) return undefined;
  if (c.points?.[output] !== undefined) return c.points[output];
  // Exact Shapley values on the probability scale, when the explanation carries them, win over the
  // rescaled log-scale shares.
  if (c.probabilityPoints?.[output] !== undefined) return c.probabilityPoints[output];
  if (c.approxPercentagePoints?.[output] !== undefined) return c.approxPercentagePoints[output];
  if (c.approxOutputUnits?.[output] !== undefined) return c.approxOutputUnits[output];
  // Identity-scale outputs that are not points (none ship today): the exact contribution.
  const s = run.explanation.scales.find((x) => x.output === output);
  if (s?.transform === 'identity' && c.contribution[output] !== undefined)
    return c.contribution[output] * scale;
  return undefined;
}

/** Largest effects first; `scale` converts output units to display units (100 for fractions). */
export function waterfall(run: OkRun, output: string, scale: number): Waterfall | undefined {
  const s = run.explanation.scales.find((x) => x.output === output);
  const value = run.outputs[output];
  if (s === undefined || value === undefined) return undefined;
  const amounts = run.explanation.contributions.map((c) => ({
    input: c.input,
    amount: amountFor(run, c.input, output, scale),
  }));
  if (amounts.every((a) => a.amount === undefined) && Math.abs(s.value - s.reference) > 1e-12)
    return undefined;
  const start = s.referenceOutput * scale;
  const moving = amounts
    .filter(
      (a): a is { input: string; amount: number } => a.amount !== undefined && Math.abs(a.amount) >= 5e-4,
    )
    .sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount));
  let total = start;
  const steps = moving.map(({ input, amount }) => {
    const from = total;
    total += amount;
    return { input, amount, from, to: total };
  });
  return {
    output,
    start,
    end: value * scale,
    steps,
    neutral: amounts.filter((a) => !moving.some((m) => m.input === a.input)).map((a) => a.input),
    exact: run.explanation.method === 'points-table',
    baseLabel: referenceWords(run).label ?? 'Reference profile',
  };
}

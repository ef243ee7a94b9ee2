/**
 * A model's explanation as waterfall steps in the output's own units: from the reference profile's
 * value, each input's (approximate) share of the change, to this patient's value. Points scores are
 * exact (points added); fractions use the explanation's approximate percentage points; the exact
 * additive-scale contributions are in the inputs table.
 */
import type { OkRun } from './types.js';

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
}

/** Per-input amount in display units for `output`, or undefined when there is no reading in those units. */
export function amountFor(run: OkRun, input: string, output: string, scale: number): number | undefined {
  const c = run.explanation.contributions.find((x) => x.input === input);
  if (c === undefined) return undefined;
  if (c.points?.[output] !== undefined) return c.points[output];
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
  };
}

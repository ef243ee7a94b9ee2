/**
 * Time-to-event (survival) models: the manifest's `survival` block and the pure step that turns the
 * model's linear predictor into survival probabilities.
 *
 * A proportional-hazards model gives H(t | x) = H0(t) · exp(lp(x)) and S(t | x) = exp(−H(t | x)), where
 * lp is the ONNX output named by `linearPredictor` (the log hazard ratio, on the same centring the
 * baseline was estimated with) and H0 is the baseline cumulative hazard at the listed times. Because
 * ln(−ln S(t | x)) = ln H0(t) + lp(x), the Shapley contributions to lp are exactly the contributions to
 * the log cumulative hazard at every horizon: one explanation serves the whole curve.
 */
import { z } from 'zod';

export const SurvivalSpec = z
  .object({
    /** What survival means here, e.g. "recurrence-free survival (no recurrence, no death)". */
    outcome: z.string().min(1),
    /** The output holding lp = log hazard ratio (its `additiveScale` should be `log-hazard-ratio`). */
    linearPredictor: z.string().min(1),
    /** UCUM unit of `time` (`a` = years). */
    timeUnit: z.enum(['a', 'mo', 'd']),
    /** How H0 was estimated (e.g. "Breslow on the training set, lp as output by the ONNX graph"). */
    estimator: z.string().min(1),
    /** H0 at each horizon Augur reports S(t | x) for, times strictly increasing, H0 non-decreasing. */
    baselineCumulativeHazard: z
      .array(z.object({ time: z.number().positive(), cumulativeHazard: z.number().nonnegative() }).strict())
      .min(1),
  })
  .strict();
export type SurvivalSpec = z.infer<typeof SurvivalSpec>;

/** The problem with a survival block beyond its schema, or undefined (names the field). */
export function survivalProblem(spec: SurvivalSpec, outputNames: readonly string[]): string | undefined {
  if (!outputNames.includes(spec.linearPredictor)) {
    return `survival.linearPredictor: "${spec.linearPredictor}" is not one of the outputs (${outputNames.join(', ')})`;
  }
  const h = spec.baselineCumulativeHazard;
  for (let i = 1; i < h.length; i++) {
    const prev = h[i - 1];
    const cur = h[i];
    if (prev === undefined || cur === undefined) continue;
    if (!(cur.time > prev.time))
      return `survival.baselineCumulativeHazard[${i}].time: times must be strictly increasing`;
    if (cur.cumulativeHazard < prev.cumulativeHazard)
      return `survival.baselineCumulativeHazard[${i}].cumulativeHazard: a cumulative hazard cannot decrease`;
  }
  return undefined;
}

export interface SurvivalPoint {
  time: number;
  /** S(t | x) = exp(−H0(t) · exp(lp)). */
  survival: number;
  /** 1 − S(t | x): the probability of the event by `time`. */
  eventProbability: number;
}

export interface SurvivalCurve {
  outcome: string;
  timeUnit: string;
  linearPredictor: { output: string; value: number };
  points: SurvivalPoint[];
  note: string;
}

/** S(t | x) at every horizon of the manifest, from the linear predictor. Pure. */
export function survivalCurve(spec: SurvivalSpec, lp: number): SurvivalCurve {
  const hr = Math.exp(lp);
  return {
    outcome: spec.outcome,
    timeUnit: spec.timeUnit,
    linearPredictor: { output: spec.linearPredictor, value: lp },
    points: spec.baselineCumulativeHazard.map(({ time, cumulativeHazard }) => {
      const survival = Math.exp(-cumulativeHazard * hr);
      return { time, survival, eventProbability: -Math.expm1(-cumulativeHazard * hr) };
    }),
    note:
      `S(t) = exp(−H0(t) · exp(${spec.linearPredictor})), H0: ${spec.estimator}. ` +
      `Contributions to ${spec.linearPredictor} are exact contributions to ln H(t) = ln(−ln S(t)) at every t.`,
  };
}

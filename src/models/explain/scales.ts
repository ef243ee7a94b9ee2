/**
 * Additive scales: where a model's inputs combine by addition, so Shapley contributions on that scale
 * are exact and readable ("+0.4 log-odds"). Each output names its scale in the manifest
 * (`outputs[].additiveScale`); the output value is transformed to that scale before combining.
 *
 * - `log-odds` (alias `logit`): logistic models, p = 1/(1+e^−lp) → logit(p) = ln(p/(1−p)) = lp.
 * - `log-hazard` (aliases `log-cumulative-hazard`, `cloglog`): Cox-type p = 1 − S0^exp(lp)
 *   → ln(−ln(1−p)) = ln(−ln S0) + lp, additive in the linear predictor lp.
 * - `log-hazard-ratio`: the output IS a proportional-hazards linear predictor lp (time-to-event models,
 *   src/models/survival.ts); ln H(t) = ln H0(t) + lp, so lp itself is the additive scale (identity).
 * - `sqrt-dose` (alias `sqrt`): IWPC warfarin, dose = (Σβx)² → √dose = Σβx.
 * - `points`, `identity`, `linear` or no `additiveScale`: the output itself (points scores).
 *
 * Probabilities are clamped to [1e−15, 1 − 1e−15] before logit/cloglog so a saturated float32 output
 * (exactly 0 or 1) yields a large finite number instead of ±∞.
 */
export type ScaleKind = 'logit' | 'cloglog' | 'sqrt' | 'identity';

export interface AdditiveScale {
  /** The manifest's name for the scale (or `identity` when none is given). */
  readonly name: string;
  readonly kind: ScaleKind;
  /** Output value → additive scale. */
  readonly forward: (y: number) => number;
  /** Additive scale → output value (the link: what a coalition's additive-scale value means as a risk). */
  readonly inverse: (v: number) => number;
  /** Human-readable transform, shown in the explanation. */
  readonly transform: string;
}

const ALIASES: Readonly<Record<string, ScaleKind>> = {
  'log-odds': 'logit',
  logit: 'logit',
  'log-hazard': 'cloglog',
  'log-cumulative-hazard': 'cloglog',
  cloglog: 'cloglog',
  'log-hazard-ratio': 'identity',
  'sqrt-dose': 'sqrt',
  sqrt: 'sqrt',
  points: 'identity',
  identity: 'identity',
  linear: 'identity',
};

const EPS = 1e-15;
const clampP = (p: number): number => Math.min(1 - EPS, Math.max(EPS, p));

type Kind = { forward: (y: number) => number; inverse: (v: number) => number; transform: string };

const KINDS: Readonly<Record<ScaleKind, Kind>> = {
  logit: {
    forward: (p) => {
      const q = clampP(p);
      return Math.log(q) - Math.log1p(-q);
    },
    inverse: (v) => 1 / (1 + Math.exp(-v)),
    transform: 'ln(p / (1 − p))',
  },
  cloglog: {
    forward: (p) => Math.log(-Math.log1p(-clampP(p))),
    inverse: (v) => -Math.expm1(-Math.exp(v)),
    transform: 'ln(−ln(1 − p))',
  },
  sqrt: { forward: (y) => Math.sqrt(Math.max(0, y)), inverse: (v) => v * v, transform: '√y' },
  identity: { forward: (y) => y, inverse: (v) => v, transform: 'y' },
};

/** Known scale names, for error messages. */
export const KNOWN_SCALES: readonly string[] = Object.keys(ALIASES);

/** The scale for an output's `additiveScale`, or undefined when the name is not one Augur knows. */
export function additiveScale(name: string | undefined): AdditiveScale | undefined {
  const kind = name === undefined ? 'identity' : ALIASES[name];
  if (kind === undefined) return undefined;
  return { name: name ?? 'identity', kind, ...KINDS[kind] };
}

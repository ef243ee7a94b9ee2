/**
 * The explanation a client receives: per input, its value, the reference value, and its contribution
 * to every output twice, both exact Shapley values over all coalitions of the inputs that differ:
 * - on the output's own scale (`probabilityPoints` for risks, in percentage points; `outputUnits` for
 *   e.g. mg/week): what cards and text show. Each is the average, over the coalitions of the other
 *   inputs, of the what-if change from moving this input from the reference to the patient's value, and
 *   they sum to risk − reference risk;
 * - on the output's additive scale (`contribution`, e.g. log-hazard), for those who want the model's
 *   own arithmetic.
 * Pure.
 */
import type { ModelManifest } from '../manifest.js';
import type { InputValue } from '../types.js';
import type { Attribution, OutputAttribution } from './shapley.js';
import type { AdditiveScale } from './scales.js';

export interface Contribution {
  input: string;
  value: InputValue | null;
  referenceValue: InputValue | null;
  /** Output name → contribution on that output's additive scale (exact). */
  contribution: Record<string, number>;
  /**
   * Fraction outputs: output name → exact Shapley value of the risk itself, in percentage points (the
   * contributions sum to risk − reference risk). What cards and the side app show.
   */
  probabilityPoints?: Record<string, number>;
  /** Other non-additive outputs (e.g. mg/week): exact Shapley value of the output, in its own unit. */
  outputUnits?: Record<string, number>;
  /**
   * The single what-if, same unit as above (percentage points for fractions, else the output's unit):
   * output(patient) − output(patient with only this input at the reference). Equal to the contribution
   * when the input does not interact with the others; exact method only.
   */
  whatIf?: Record<string, number>;
  /**
   * Superseded (kept for existing clients): the additive-scale contribution rescaled in proportion to the risk change (understates
   * what changing an input does at high risk); kept for existing clients, use `probabilityPoints`.
   */
  approxPercentagePoints?: Record<string, number>;
  /** Superseded: proportional share in the output's unit; use `outputUnits`. */
  approxOutputUnits?: Record<string, number>;
  /** Points scores: output name → points this criterion adds. */
  points?: Record<string, number>;
  /** Points scores, boolean criteria: whether the criterion is met. */
  met?: boolean;
}

export interface OutputScale {
  output: string;
  unit: string;
  additiveScale: string;
  transform: string;
  /** f(x) and f(reference) on the additive scale; contributions sum to their difference. */
  value: number;
  reference: number;
  /** f(reference) on the output's own scale. */
  referenceOutput: number;
  /** f(x) on the output's own scale: the waterfall runs from `referenceOutput` to here. */
  valueOutput: number;
}

export interface Explanation {
  method: 'shapley-exact' | 'shapley-sampled' | 'points-table';
  reference: {
    description: string;
    /** Completes "compared with …" in cards and the side app (manifest `referenceLabel`). */
    label: string;
    /** Why this reference (manifest `referenceRationale`; the description when none is given). */
    rationale: string;
    values: Record<string, InputValue | null>;
  };
  samples?: { permutations: number; seed: number };
  scales: OutputScale[];
  contributions: Contribution[];
  notes: string[];
}

/** What a model without `referenceLabel` (bring-your-own) is compared with, in words. */
export const DEFAULT_REFERENCE_LABEL = 'the model’s reference profile';

const SCALE_NOTE =
  'probabilityPoints (percentage points) / outputUnits are exact Shapley values of the output itself: each is the ' +
  'average, over every coalition of the other inputs, of the change in the output when this input moves from the ' +
  'reference to the patient’s value; they sum to f(x) − f(reference). `contribution` is the same on the additive ' +
  'scale. A single what-if (all other inputs at the patient’s values) is one of those coalitions, so it can differ ' +
  'from the average when inputs interact through the risk curve. approxPercentagePoints / approxOutputUnits ' +
  '(deprecated) share the change in proportion to the additive-scale contributions.';

/** Approximate per-input shares of the output-scale change; undefined when the additive change is ~0. */
function approximateShares(o: OutputAttribution): Float64Array | undefined {
  const total = o.scaled - o.scaledReference;
  if (!(Math.abs(total) > 1e-12)) return undefined;
  const change = o.value - o.referenceValue;
  return o.phi.map((p) => (p / total) * change);
}

function methodNotes(attribution: Attribution, pointsTable: boolean): string[] {
  if (pointsTable) {
    return [
      'points-table: each criterion’s contribution is the points it adds relative to the reference profile (exact Shapley on an additive score).',
    ];
  }
  if (attribution.method === 'shapley-exact') {
    return [
      'shapley-exact: exact Shapley values over the inputs that differ from the reference (one batched run over all coalitions).',
    ];
  }
  const s = attribution.samples;
  return [
    `shapley-sampled: permutation-sampled Shapley values (${s?.permutations ?? 0} antithetic permutations, seed ${s?.seed ?? 0}); deterministic, approximate per input, exact in sum.`,
  ];
}

/** One explained output: its manifest entry, index, scale, attribution and approximate shares. */
interface Explained {
  name: string;
  unit: string;
  scale: AdditiveScale;
  attribution: OutputAttribution;
  shares: Float64Array | undefined;
  isPoints: boolean;
}

/** Outputs that are codes (e.g. which PREVENT variant was used) are reported but not attributed. */
function explainedOutputs(
  manifest: ModelManifest,
  scales: readonly AdditiveScale[],
  attribution: Attribution,
): Explained[] {
  const list: Explained[] = [];
  manifest.outputs.forEach((out, o) => {
    const a = attribution.outputs[o];
    const scale = scales[o];
    if (out.unit === 'code' || a === undefined || scale === undefined) return;
    const isPoints = out.unit === 'points' || out.additiveScale === 'points';
    list.push({
      name: out.name,
      unit: out.unit,
      scale,
      attribution: a,
      shares: approximateShares(a),
      isPoints,
    });
  });
  return list;
}

function contributionOf(
  outputs: readonly Explained[],
  col: number,
  pointsTable: boolean,
  c: Contribution,
): Contribution {
  for (const e of outputs) {
    const phi = e.attribution.phi[col] ?? Number.NaN;
    c.contribution[e.name] = phi;
    const share = e.shares?.[col];
    if (e.scale.kind === 'identity') {
      if (pointsTable && e.isPoints) (c.points ??= {})[e.name] = phi;
    } else if (share !== undefined) {
      if (e.unit === 'fraction') (c.approxPercentagePoints ??= {})[e.name] = share * 100;
      else (c.approxOutputUnits ??= {})[e.name] = share;
    }
    const whatIf = e.attribution.outputWhatIf?.[col];
    if (whatIf !== undefined) (c.whatIf ??= {})[e.name] = e.unit === 'fraction' ? whatIf * 100 : whatIf;
    const exact = e.attribution.outputPhi?.[col];
    if (e.scale.kind !== 'identity' && exact !== undefined) {
      if (e.unit === 'fraction') (c.probabilityPoints ??= {})[e.name] = exact * 100;
      else (c.outputUnits ??= {})[e.name] = exact;
    }
  }
  return c;
}

/** The contribution on the output's own scale (what cards show), or the points / additive value. */
export function shownContribution(c: Contribution, output: string): number | undefined {
  return (
    c.probabilityPoints?.[output] ?? c.outputUnits?.[output] ?? c.points?.[output] ?? c.contribution[output]
  );
}

/**
 * Inputs whose contribution and single what-if point in opposite directions (they interact with other
 * inputs, e.g. age × smoking in the PCE): said in words, never left for the reader to discover.
 */
function directionNotes(contributions: readonly Contribution[]): string[] {
  const notes: string[] = [];
  for (const c of contributions) {
    for (const [output, whatIf] of Object.entries(c.whatIf ?? {})) {
      const shown = shownContribution(c, output) ?? 0;
      const scale = Math.max(Math.abs(shown), Math.abs(whatIf));
      if (
        scale < 1e-9 ||
        Math.sign(shown) === Math.sign(whatIf) ||
        Math.min(Math.abs(shown), Math.abs(whatIf)) < 1e-9
      )
        continue;
      notes.push(
        `${c.input} → ${output}: ${shown > 0 ? 'adds' : 'removes'} on average over the other inputs, but with all ` +
          `the others at the patient’s values returning it alone to the reference would ${whatIf > 0 ? 'lower' : 'raise'} ` +
          'the output: it interacts with other inputs (see whatIf).',
      );
    }
  }
  return notes;
}

function scaleRow(e: Explained): OutputScale {
  return {
    output: e.name,
    unit: e.unit,
    additiveScale: e.scale.name,
    transform: e.scale.transform,
    value: e.attribution.scaled,
    reference: e.attribution.scaledReference,
    referenceOutput: e.attribution.referenceValue,
    valueOutput: e.attribution.value,
  };
}

export function buildExplanation(
  manifest: ModelManifest,
  scales: readonly AdditiveScale[],
  attribution: Attribution,
  values: Readonly<Record<string, InputValue | null>>,
  referenceValues: Readonly<Record<string, InputValue | null>>,
): Explanation {
  const pointsTable = manifest.explanation.method === 'points-table';
  const outputs = explainedOutputs(manifest, scales, attribution);
  const contributions = manifest.inputs.map((spec, col): Contribution => {
    const c = contributionOf(outputs, col, pointsTable, {
      input: spec.name,
      value: values[spec.name] ?? null,
      referenceValue: referenceValues[spec.name] ?? null,
      contribution: {},
    });
    if (pointsTable && spec.type === 'boolean') c.met = values[spec.name] === true;
    return c;
  });
  const notes = methodNotes(attribution, pointsTable);
  for (const e of outputs) {
    if (e.scale.kind !== 'identity' && e.shares === undefined) {
      notes.push(`${e.name}: no approximate reading (the additive-scale change is zero).`);
    }
  }
  if (outputs.some((e) => e.scale.kind !== 'identity')) notes.push(SCALE_NOTE);
  notes.push(...directionNotes(contributions));
  const skipped = manifest.outputs.filter((o) => o.unit === 'code').map((o) => o.name);
  if (skipped.length > 0) notes.push(`Not attributed (categorical codes): ${skipped.join(', ')}.`);
  return {
    method: pointsTable ? 'points-table' : attribution.method,
    reference: {
      description: manifest.explanation.referenceDescription,
      label: manifest.explanation.referenceLabel ?? DEFAULT_REFERENCE_LABEL,
      rationale: manifest.explanation.referenceRationale ?? manifest.explanation.referenceDescription,
      values: { ...referenceValues },
    },
    ...(attribution.samples === undefined ? {} : { samples: attribution.samples }),
    scales: outputs.map(scaleRow),
    contributions,
    notes,
  };
}

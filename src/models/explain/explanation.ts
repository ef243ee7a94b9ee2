/**
 * The explanation a client receives: per input, its value, the reference value, and its contribution
 * to every output on that output's additive scale (exact Shapley), plus an approximate reading in the
 * output's own units (percentage points for fractions), labelled approximate. Pure.
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
  /** Fraction outputs: output name → approximate percentage points (proportional allocation). */
  approxPercentagePoints?: Record<string, number>;
  /** Other non-additive outputs (e.g. mg/wk): approximate share of the change, in the output's unit. */
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
}

export interface Explanation {
  method: 'shapley-exact' | 'shapley-sampled' | 'points-table';
  reference: { description: string; values: Record<string, InputValue | null> };
  samples?: { permutations: number; seed: number };
  scales: OutputScale[];
  contributions: Contribution[];
  notes: string[];
}

const APPROX_NOTE =
  'approxPercentagePoints / approxOutputUnits are APPROXIMATE: the change f(x) − f(reference) on the output scale, ' +
  'shared out in proportion to each input’s exact additive-scale contribution. Only `contribution` is exact.';

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
  }
  return c;
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
  if (outputs.some((e) => e.scale.kind !== 'identity')) notes.push(APPROX_NOTE);
  const skipped = manifest.outputs.filter((o) => o.unit === 'code').map((o) => o.name);
  if (skipped.length > 0) notes.push(`Not attributed (categorical codes): ${skipped.join(', ')}.`);
  return {
    method: pointsTable ? 'points-table' : attribution.method,
    reference: { description: manifest.explanation.referenceDescription, values: { ...referenceValues } },
    ...(attribution.samples === undefined ? {} : { samples: attribution.samples }),
    scales: outputs.map(scaleRow),
    contributions,
    notes,
  };
}

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

export function buildExplanation(
  manifest: ModelManifest,
  scales: readonly AdditiveScale[],
  attribution: Attribution,
  values: Readonly<Record<string, InputValue | null>>,
  referenceValues: Readonly<Record<string, InputValue | null>>,
): Explanation {
  const pointsTable = manifest.explanation.method === 'points-table';
  const notes = methodNotes(attribution, pointsTable);
  const shares = attribution.outputs.map(approximateShares);
  const contributions = manifest.inputs.map((spec, col): Contribution => {
    const c: Contribution = {
      input: spec.name,
      value: values[spec.name] ?? null,
      referenceValue: referenceValues[spec.name] ?? null,
      contribution: {},
    };
    manifest.outputs.forEach((out, o) => {
      const phi = attribution.outputs[o]?.phi[col] ?? Number.NaN;
      c.contribution[out.name] = phi;
      const kind = scales[o]?.kind ?? 'identity';
      const share = shares[o]?.[col];
      if (kind === 'identity') {
        if (pointsTable) (c.points ??= {})[out.name] = phi;
      } else if (share !== undefined) {
        if (out.unit === 'fraction') (c.approxPercentagePoints ??= {})[out.name] = share * 100;
        else (c.approxOutputUnits ??= {})[out.name] = share;
      }
    });
    if (pointsTable && spec.type === 'boolean') c.met = values[spec.name] === true;
    return c;
  });
  const scaleRows = manifest.outputs.map((out, o): OutputScale => {
    const a = attribution.outputs[o];
    const scale = scales[o];
    if (scale?.kind !== 'identity' && shares[o] === undefined) {
      notes.push(`${out.name}: no approximate reading (the additive-scale change is zero).`);
    }
    return {
      output: out.name,
      unit: out.unit,
      additiveScale: scale?.name ?? 'identity',
      transform: scale?.transform ?? 'y',
      value: a?.scaled ?? Number.NaN,
      reference: a?.scaledReference ?? Number.NaN,
      referenceOutput: a?.referenceValue ?? Number.NaN,
    };
  });
  if (scales.some((s) => s.kind !== 'identity')) notes.push(APPROX_NOTE);
  return {
    method: pointsTable ? 'points-table' : attribution.method,
    reference: { description: manifest.explanation.referenceDescription, values: { ...referenceValues } },
    ...(attribution.samples === undefined ? {} : { samples: attribution.samples }),
    scales: scaleRows,
    contributions,
    notes,
  };
}

/**
 * Verifies a model's declared interaction structure (mobius.ts) when it loads: on seeded sample points
 * where every input differs from the reference, the full 2^k game is enumerated on each covered
 * output's additive scale and every Möbius coefficient outside the declared family must vanish. A wrong
 * declaration would make explanations silently wrong, so it is a start-up error naming the model.
 */
import type { InputSpec } from '../manifest.js';
import type { BatchRun } from '../types.js';
import { coalitionRows } from './coalitions.js';
import { coalitionFamily } from './mobius.js';
import { mulberry32 } from './prng.js';
import type { AdditiveScale } from './scales.js';

/** Sample points per model; the seed is fixed so start-up is reproducible. */
const SAMPLES = 6;
const SEED = 0x12;
/** Largest k verified by enumeration (2^16 rows per point). */
const MAX_VERIFIED_INPUTS = 16;

/** One encoded value different from the reference (NaN = missing, for inputs the model handles). */
function otherValue(spec: InputSpec, ref: number, rnd: () => number): number {
  if (spec.type === 'boolean') return ref === 1 ? 0 : 1;
  if (spec.type === 'enum') {
    const n = spec.values?.length ?? 1;
    return (ref + 1 + Math.floor(rnd() * Math.max(1, n - 1))) % n;
  }
  if (spec.missing.policy === 'model-handles' && !Number.isNaN(ref) && rnd() < 0.25) return Number.NaN;
  const r = spec.range ?? {
    min: Number.isNaN(ref) ? 0 : ref / 2,
    max: Number.isNaN(ref) ? 1 : ref * 1.5 + 1,
  };
  const v = r.min + rnd() * (r.max - r.min);
  return v === ref ? (r.min + r.max) / 2 + 1e-3 : v;
}

/** Möbius transform in place (v → m over all 2^k masks). */
function mobiusInPlace(v: Float64Array, k: number): void {
  for (let j = 0; j < k; j++) {
    const bit = 1 << j;
    for (let m = 0; m < v.length; m++) if (m & bit) v[m] = (v[m] ?? 0) - (v[m ^ bit] ?? 0);
  }
}

/**
 * The first problem with the declaration, or undefined when it holds on every sample point.
 * @param masks the declared sets as column bitmasks; @param covered per output, whether it is checked.
 */
export async function interactionProblem(
  run: BatchRun,
  inputs: readonly InputSpec[],
  reference: Float64Array,
  scales: readonly AdditiveScale[],
  masks: readonly number[],
  covered: readonly boolean[],
): Promise<string | undefined> {
  const k = inputs.length;
  if (k > MAX_VERIFIED_INPUTS)
    return `cannot verify an interaction declaration over more than ${MAX_VERIFIED_INPUTS} inputs`;
  const players = inputs.map((_, c) => c);
  const inFamily = new Uint8Array(2 ** k);
  for (const m of coalitionFamily(masks, players)) inFamily[m] = 1;
  const rnd = mulberry32(SEED);
  for (let s = 0; s < SAMPLES; s++) {
    const x = Float64Array.from(inputs, (spec, c) => otherValue(spec, reference[c] ?? Number.NaN, rnd));
    const raw = await run(coalitionRows(x, reference, players), 2 ** k);
    for (const [o, scale] of scales.entries()) {
      if (covered[o] !== true) continue;
      const v = (raw[o] ?? new Float64Array(0)).map(scale.forward);
      if (!v.every(Number.isFinite))
        return `sample point ${s + 1}: output ${o + 1} is not finite on its additive scale`;
      const size = v.reduce((a, b) => Math.max(a, Math.abs(b)), 1);
      mobiusInPlace(v, k);
      const bad = v.findIndex((m, mask) => inFamily[mask] === 0 && Math.abs(m) > 1e-9 * size);
      if (bad >= 0) {
        const names = inputs.filter((_, c) => bad & (1 << c)).map((i) => i.name);
        return `output ${o + 1}: inputs {${names.join(', ')}} interact (Möbius coefficient ${v[bad]?.toExponential(2)}) outside every declared set`;
      }
    }
  }
  return undefined;
}

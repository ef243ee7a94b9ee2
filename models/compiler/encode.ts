/**
 * Encodes named input values into the [N, k] feature tensor of a model package, per the manifest's
 * `onnx` convention: number → value, boolean → 0/1, enum → index into `values`, missing → NaN.
 * Used by the compiler's tests and by anything that runs a package outside the service.
 */
import type { InputSpec } from '../../src/models/manifest.js';

/** One row of named values; `null`/absent means missing. */
export type InputRow = Readonly<Record<string, number | boolean | string | null | undefined>>;

function encodeValue(spec: InputSpec, v: number | boolean | string | null | undefined): number {
  if (v === null || v === undefined) return Number.NaN;
  switch (spec.type) {
    case 'number':
      if (typeof v !== 'number') throw new Error(`${spec.name}: expected a number, got ${JSON.stringify(v)}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean')
        throw new Error(`${spec.name}: expected a boolean, got ${JSON.stringify(v)}`);
      return v ? 1 : 0;
    case 'enum': {
      const i = typeof v === 'string' ? (spec.values ?? []).indexOf(v) : -1;
      if (i < 0)
        throw new Error(`${spec.name}: ${JSON.stringify(v)} is not one of ${(spec.values ?? []).join(', ')}`);
      return i;
    }
  }
}

/** Row-major Float64Array of shape [rows.length, inputs.length]. */
export function encodeRows(inputs: readonly InputSpec[], rows: readonly InputRow[]): Float64Array {
  const out = new Float64Array(rows.length * inputs.length);
  rows.forEach((row, r) => {
    inputs.forEach((spec, c) => {
      out[r * inputs.length + c] = encodeValue(spec, row[spec.name]);
    });
  });
  return out;
}

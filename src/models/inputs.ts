/**
 * The input contract, enforced: a request's `inputs` checked against the manifest and encoded as one
 * row of the model's input tensor (number → value, boolean → 0/1, enum → index in `values`,
 * missing with policy `model-handles` → NaN). Every refusal is a 400 whose OperationOutcome names the
 * input (`inputs.<name>`); every substitution (default, clamp) is a named warning — never a guessed number.
 * Diagnostics never echo the submitted value (they reach logs).
 */
import { HttpError, badRequest } from '../http/errors.js';
import type { InputSpec, ModelManifest } from './manifest.js';
import type { InputValue, InputWarning } from './types.js';
import { rangeForPeople } from '../features/unit-text.js';

export interface PreparedInputs {
  /** Values as used (after defaults and clamping); null = missing, handled by the model. */
  readonly values: Record<string, InputValue | null>;
  readonly row: Float64Array;
  readonly warnings: InputWarning[];
}

const where = (name: string): string => `inputs.${name}`;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the JSON type of a present value; throws a 400 naming the input. */
export function checkType(spec: InputSpec, v: unknown): InputValue {
  const at = where(spec.name);
  switch (spec.type) {
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw badRequest(`${at} must be a finite JSON number`, at);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw badRequest(`${at} must be a JSON boolean (true or false)`, at);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !(spec.values ?? []).includes(v)) {
        throw badRequest(`${at} must be one of: ${(spec.values ?? []).join(', ')}`, at);
      }
      return v;
  }
}

/** The range as a person reads it ("40–79 years", not UCUM's "40–79 a"). */
function rangeText(spec: InputSpec): string {
  const r = spec.range;
  return r === undefined ? '' : rangeForPeople(r.min, r.max, spec.unit);
}

/** Applies `range.outside` to a number; returns the value to use. */
function checkRange(spec: InputSpec, v: number, warnings: InputWarning[]): number {
  const r = spec.range;
  if (r === undefined || (v >= r.min && v <= r.max)) return v;
  const at = where(spec.name);
  switch (r.outside) {
    case 'refuse':
      throw badRequest(`${at} is outside the model's valid range ${rangeText(spec)}`, at);
    case 'warn':
      warnings.push({
        input: spec.name,
        code: 'out-of-range',
        message: `${spec.name} is outside the range the model was developed on (${rangeText(spec)}); used as given`,
      });
      return v;
    case 'clamp': {
      const to = Math.min(r.max, Math.max(r.min, v));
      warnings.push({
        input: spec.name,
        code: 'clamped',
        message: `${spec.name} is outside ${rangeText(spec)}; ${to} was used, as the model specifies`,
      });
      return to;
    }
  }
}

/** The value to use when an input is absent, per its missing policy (null = model-handles). */
function whenMissing(spec: InputSpec, warnings: InputWarning[]): InputValue | null {
  const at = where(spec.name);
  switch (spec.missing.policy) {
    case 'refuse':
      throw new HttpError(400, {
        code: 'required',
        diagnostics: `${at} is required by this model`,
        expression: at,
      });
    case 'default':
      warnings.push({
        input: spec.name,
        code: 'defaulted',
        message: `${spec.name} was not given; the documented default ${String(spec.missing.value)} was used (${spec.missing.reason})`,
      });
      return spec.missing.value;
    case 'model-handles':
      warnings.push({
        input: spec.name,
        code: 'missing',
        message: `${spec.name} was not given; the model accounts for its absence (${spec.missing.reason})`,
      });
      return null;
  }
}

/** Encodes one validated value per the manifest's feeding convention. */
export function encodeValue(spec: InputSpec, v: InputValue | null): number {
  if (v === null) return Number.NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return (spec.values ?? []).indexOf(v);
  return v;
}

/**
 * Validates and encodes `raw` against the manifest. Absent and `null` both mean missing.
 * @throws HttpError 400 naming the input (unknown input, missing required, wrong type, out of range).
 */
export function prepareInputs(manifest: ModelManifest, raw: unknown): PreparedInputs {
  if (!isRecord(raw)) throw badRequest('inputs must be a JSON object of input name → value', 'inputs');
  const known = new Set(manifest.inputs.map((i) => i.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name))
      throw badRequest(`${where(name)} is not an input of model ${manifest.id}`, where(name));
  }
  const warnings: InputWarning[] = [];
  const values: Record<string, InputValue | null> = {};
  const row = new Float64Array(manifest.inputs.length);
  manifest.inputs.forEach((spec, col) => {
    const given = raw[spec.name];
    let v = given === undefined || given === null ? whenMissing(spec, warnings) : checkType(spec, given);
    if (typeof v === 'number') v = checkRange(spec, v, warnings);
    values[spec.name] = v;
    row[col] = encodeValue(spec, v);
  });
  return { values, row, warnings };
}

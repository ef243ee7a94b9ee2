/**
 * Unit conversion with UCUM (@lhncbc/ucum-lhc, browser-safe). Mass ↔ molar conversions need the
 * analyte's molar mass from the binding (cholesterol 386.65 g/mol, creatinine 113.12 g/mol).
 * An unknown or unconvertible unit is reported, never guessed.
 */
import ucum from '@lhncbc/ucum-lhc';
import type { Quantity } from 'fhir/r4.js';
import { SYSTEMS } from './systems.js';

let instance: ReturnType<typeof ucum.UcumLhcUtils.getInstance> | undefined;
const ucumUtils = (): ReturnType<typeof ucum.UcumLhcUtils.getInstance> =>
  (instance ??= ucum.UcumLhcUtils.getInstance());

/**
 * Non-UCUM spellings seen in `Quantity.unit` text, mapped to their UCUM code. Deliberately short:
 * each is unambiguous. Anything else must be valid UCUM.
 */
const UNIT_SPELLINGS: Readonly<Record<string, string>> = {
  mmHg: 'mm[Hg]',
  'mL/min/1.73m2': 'mL/min/{1.73_m2}',
  'mL/min/1.73 m2': 'mL/min/{1.73_m2}',
  'ml/min/1.73m2': 'mL/min/{1.73_m2}',
  'mL/min/1.73m²': 'mL/min/{1.73_m2}',
  'kg/m²': 'kg/m2',
};

export type Conversion =
  { ok: true; value: number; fromUnit: string } | { ok: false; fromUnit: string | undefined; reason: string };

/** The unit code of a quantity: its UCUM code when coded in UCUM, else its unit text (normalised). */
export function unitOf(q: Quantity): string | undefined {
  const raw = q.system === SYSTEMS.ucum && q.code !== undefined ? q.code : (q.code ?? q.unit);
  if (raw === undefined || raw.trim() === '') return undefined;
  const trimmed = raw.trim();
  // The micro sign (U+00B5) and Greek mu (U+03BC) are written "u" in UCUM.
  return UNIT_SPELLINGS[trimmed] ?? trimmed.replace(/[\u00b5\u03bc]/g, 'u');
}

/** A target unit with no dimension: `1` or annotations only, e.g. `{INR}`. */
const dimensionless = (unit: string): boolean => /^(1|\{[^}]*\})$/.test(unit);

/** Convert a FHIR Quantity to `target` (UCUM), using `molarMass` (g/mol) for mass ↔ substance. */
export function convertQuantity(q: Quantity, target: string, molarMass?: number): Conversion {
  const value = q.value;
  const fromUnit = unitOf(q);
  if (value === undefined || !Number.isFinite(value))
    return { ok: false, fromUnit, reason: 'no numeric value' };
  if (fromUnit === undefined) {
    return dimensionless(target)
      ? { ok: true, value, fromUnit: target }
      : { ok: false, fromUnit, reason: `no unit given (expected ${target})` };
  }
  if (fromUnit === target) return { ok: true, value, fromUnit };
  const options = molarMass === undefined ? {} : { molecularWeight: molarMass };
  const result = ucumUtils().convertUnitTo(fromUnit, value, target, options);
  if (result.status === 'succeeded' && result.toVal !== null && Number.isFinite(result.toVal)) {
    return { ok: true, value: result.toVal, fromUnit };
  }
  return { ok: false, fromUnit, reason: `cannot convert "${fromUnit}" to ${target}` };
}

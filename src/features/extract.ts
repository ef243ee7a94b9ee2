/**
 * FHIR → model inputs: follow a manifest's input contract over a patient's resources.
 * Pure: no I/O, no clock (ctx.now), runs in Node and in the browser.
 */
import type { InputSpec } from '../models/manifest.js';
import type { FhirBinding } from './binding.js';
import { resolveCoded } from './coded.js';
import { resolveCondition } from './conditions.js';
import { resolveDerived } from './derived.js';
import { resolveGenotype } from './genotype.js';
import { resolveMedicationClass } from './medications.js';
import { resolveQuantity } from './observations.js';
import { resolvePatient } from './patient.js';
import type {
  ExtractContext,
  ExtractResult,
  FhirResource,
  Flag,
  InputProvenance,
  Resolved,
} from './types.js';
import { resolved } from './types.js';
import { getValueSet } from './valuesets.js';
import { rangeForPeople } from './unit-text.js';

/** Extract every input of `spec` from `resources`, each with its provenance and named flags. */
export function extractInputs(
  spec: readonly InputSpec[],
  resources: readonly FhirResource[],
  ctx: ExtractContext,
): ExtractResult {
  const result: ExtractResult = { inputs: {}, provenance: {} };
  for (const input of spec) {
    const provenance = finalize(input, resolve(input, resources, ctx));
    result.inputs[input.name] = provenance.value;
    result.provenance[input.name] = provenance;
  }
  return result;
}

function resolve(input: InputSpec, resources: readonly FhirResource[], ctx: ExtractContext): Resolved {
  const b: FhirBinding = input.fhir;
  const index = ctx.valueSets;
  switch (b.source) {
    case 'observation':
      return resolveQuantity(b, resources, ctx.now, index);
    case 'coded-observation':
      return resolveCoded(b, resources, ctx.now, index);
    case 'condition':
      return resolveCondition(resources, getValueSet(index, b.valueSet), b.history === true);
    case 'medication-class':
      return resolveMedicationClass(resources, getValueSet(index, b.valueSet));
    case 'patient':
      return resolvePatient(b.field, resources, ctx.now);
    case 'derived':
      return resolveDerived(b, input.unit, { resources, now: ctx.now, index });
    case 'genotype':
      return resolveGenotype(b.gene, resources);
    case 'setting':
      return resolveSetting(b.setting, ctx);
  }
}

function resolveSetting(name: string, ctx: ExtractContext): Resolved {
  const value = ctx.settings[name];
  return value === undefined
    ? resolved(null, { notes: [`site setting "${name}" is not set`] })
    : resolved(value, { notes: [`site setting "${name}"`] });
}

/** Type and enum checks, then the missing policy, then the range check. */
function finalize(input: InputSpec, r: Resolved): InputProvenance {
  const flags = new Set<Flag>(r.flags);
  const notes = [...r.notes];
  let value = r.value;
  const problem = value === null ? undefined : typeProblem(input, value);
  if (problem !== undefined) {
    flags.add('uninterpretable');
    notes.push(problem);
    value = null;
  }
  if (value === null) value = applyMissing(input, flags, notes);
  else checkRange(input, value, flags, notes);
  return provenance(input, r, value, flags, notes);
}

function typeProblem(input: InputSpec, value: NonNullable<Resolved['value']>): string | undefined {
  if (input.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value)))
    return `expected a number, got ${String(value)}`;
  if (input.type === 'boolean' && typeof value !== 'boolean')
    return `expected true/false, got ${String(value)}`;
  if (input.type === 'enum' && (typeof value !== 'string' || !(input.values ?? []).includes(value))) {
    return `"${String(value)}" is not one of the model's categories (${(input.values ?? []).join(', ')})`;
  }
  return undefined;
}

function applyMissing(input: InputSpec, flags: Set<Flag>, notes: string[]): Resolved['value'] {
  const policy = input.missing;
  switch (policy.policy) {
    case 'default':
      flags.add('defaulted');
      notes.push(`defaulted to ${String(policy.value)}: ${policy.reason}`);
      return policy.value;
    case 'model-handles':
      flags.add('missing');
      notes.push(policy.reason);
      return null;
    case 'refuse':
      flags.add('missing');
      return null;
  }
}

function checkRange(
  input: InputSpec,
  value: NonNullable<Resolved['value']>,
  flags: Set<Flag>,
  notes: string[],
): void {
  const range = input.range;
  if (range === undefined || typeof value !== 'number') return;
  if (value < range.min || value > range.max) {
    flags.add('out-of-range');
    notes.push(
      `${round(value)} is outside ${rangeForPeople(range.min, range.max, input.unit)} (model: ${range.outside})`,
    );
  }
}

const round = (v: number): number => Math.round(v * 100) / 100;

function provenance(
  input: InputSpec,
  r: Resolved,
  value: Resolved['value'],
  flags: Set<Flag>,
  notes: string[],
): InputProvenance {
  const unit = typeof value === 'number' ? (input.unit ?? r.unit) : undefined;
  const defaulted = flags.has('defaulted');
  const p: InputProvenance = { value, flags: [...flags] };
  if (unit !== undefined) p.unit = unit;
  if (!defaulted && r.date !== undefined) p.date = r.date;
  if (!defaulted && r.source !== undefined) p.source = r.source;
  if (notes.length > 0) p.note = notes.join('; ');
  return p;
}

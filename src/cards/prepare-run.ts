/**
 * The part of a model run before evaluation — population check, FHIR → inputs, required inputs — as
 * one pure, browser-safe step, so the CDS services (runModel) and the SMART side app decide "not
 * applicable" and "insufficient data" identically, with the same words.
 */
import { checkPopulation } from '../features/population.js';
import { extractInputs } from '../features/extract.js';
import type { FhirResource, InputProvenance, InputValue, Settings } from '../features/types.js';
import type { ValueSetIndex } from '../features/valuesets.js';
import type { ModelManifest } from '../models/manifest.js';
import type { ModelRef, ModelRun } from './run-model.js';

export type PreparedRun =
  | Extract<ModelRun, { status: 'not-applicable' | 'insufficient-data' }>
  | {
      status: 'ready';
      model: ModelRef;
      /** The evaluate API's `inputs` (null = missing, for inputs the model handles). */
      inputs: Record<string, InputValue | null>;
      provenance: Record<string, InputProvenance>;
    };

/** The model's identity and citations, as results carry them. */
export function modelRef(m: ModelManifest): ModelRef {
  return { id: m.id, version: m.version, name: m.name, citations: m.citations };
}

export function prepareRun(
  manifest: ModelManifest,
  resources: readonly FhirResource[],
  ctx: { now: Date; settings: Settings; valueSets: ValueSetIndex },
): PreparedRun {
  const ref = modelRef(manifest);
  const population = checkPopulation(manifest.population, resources, ctx);
  if (!population.applies) {
    return {
      status: 'not-applicable',
      model: ref,
      reason: population.reason,
      ...(population.source === undefined ? {} : { source: population.source }),
    };
  }
  const extracted = extractInputs(manifest.inputs, resources, ctx);
  const missing = manifest.inputs
    .filter((spec) => spec.missing.policy === 'refuse' && extracted.inputs[spec.name] === null)
    .map((spec) => spec.name);
  if (missing.length > 0) {
    return {
      status: 'insufficient-data',
      model: ref,
      reason: `required input${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`,
      missing,
      inputs: extracted.provenance,
    };
  }
  return { status: 'ready', model: ref, inputs: extracted.inputs, provenance: extracted.provenance };
}

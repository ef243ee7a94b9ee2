/**
 * One model for one patient, from FHIR resources to an explained result: population check → FHIR →
 * inputs (with provenance) → evaluate with explanation. Pure apart from the model's batch callback.
 * A patient outside the population or without a required input gets a reason, never a number.
 */
import type { Citation } from '../models/manifest.js';
import { prepareRun } from './prepare-run.js';
import type { FhirResource, InputProvenance, Settings } from '../features/types.js';
import type { ValueSetIndex } from '../features/valuesets.js';
import { evaluate } from '../models/evaluate.js';
import type { Explanation } from '../models/explain/explanation.js';
import type { InputWarning, LoadedModel } from '../models/types.js';
import { HttpError } from '../http/errors.js';

export interface ModelRef {
  id: string;
  version: string;
  name: string;
  citations: Citation[];
}

export type ModelRun =
  | { status: 'not-applicable'; model: ModelRef; reason: string; source?: string }
  | {
      status: 'insufficient-data';
      model: ModelRef;
      reason: string;
      /** Inputs the model cannot run without (policy `refuse`) that were missing or unusable. */
      missing: string[];
      inputs: Record<string, InputProvenance>;
    }
  | {
      status: 'ok';
      model: ModelRef;
      inputs: Record<string, InputProvenance>;
      outputs: Record<string, number>;
      explanation: Explanation;
      warnings: InputWarning[];
    };

export interface RunContext {
  now: Date;
  settings: Settings;
  valueSets: ValueSetIndex;
}

export async function runModel(
  model: LoadedModel,
  resources: readonly FhirResource[],
  ctx: RunContext,
): Promise<ModelRun> {
  const prepared = prepareRun(model.manifest, resources, ctx);
  if (prepared.status !== 'ready') return prepared;
  const ref = prepared.model;
  try {
    const result = await evaluate(model, prepared.inputs, { explain: true });
    if (result.explanation === undefined) throw new Error(`model ${ref.id} returned no explanation`);
    return {
      status: 'ok',
      model: ref,
      inputs: prepared.provenance,
      outputs: result.outputs,
      explanation: result.explanation,
      warnings: result.warnings,
    };
  } catch (err) {
    // A contract refusal (e.g. a value outside a refuse range) or a non-finite output: no estimate, with why.
    if (err instanceof HttpError && (err.status === 400 || err.status === 422)) {
      const input = err.outcome.issue[0]?.expression?.[0];
      return {
        status: 'insufficient-data',
        model: ref,
        reason: err.message,
        missing: input === undefined ? [] : [input.replace(/^inputs\./, '')],
        inputs: prepared.provenance,
      };
    }
    throw err;
  }
}

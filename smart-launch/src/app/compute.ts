/**
 * Live runs: for each model, the same pre-evaluation step as the cards (prepareRun: population →
 * FHIR → inputs → required inputs), then Augur's evaluate API with explanation. The result has the
 * cards' ModelRun shape, so live and stored results compare field by field.
 */
import { prepareRun } from '../../../src/cards/prepare-run.js';
import type { ModelRef, RunContext } from '../../../src/cards/run-model.js';
import type { FhirResource, InputProvenance, InputValue } from '../../../src/features/types.js';
import { ApiError, type AugurApi } from './augur-api.js';
import type { ModelCard, ModelRun } from './types.js';

/** Evaluate explained inputs; a contract refusal (400) or non-finite output (422) is "insufficient data", like runModel. */
async function evaluateRun(
  api: AugurApi,
  ref: ModelRef,
  inputs: Readonly<Record<string, InputValue | null>>,
  provenance: Record<string, InputProvenance>,
): Promise<ModelRun> {
  try {
    const result = await api.evaluate(ref.id, inputs);
    if (result.explanation === undefined) throw new Error(`model ${ref.id} returned no explanation`);
    return {
      status: 'ok',
      model: ref,
      inputs: provenance,
      outputs: result.outputs,
      explanation: result.explanation,
      warnings: result.warnings,
    };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
      return {
        status: 'insufficient-data',
        model: ref,
        reason: err.message,
        missing: err.expression === undefined ? [] : [err.expression.replace(/^inputs\./, '')],
        inputs: provenance,
      };
    }
    throw err;
  }
}

export async function runLive(
  api: AugurApi,
  model: ModelCard,
  resources: readonly FhirResource[],
  ctx: RunContext,
): Promise<ModelRun> {
  const prepared = prepareRun(model, resources, ctx);
  if (prepared.status !== 'ready') return prepared;
  return evaluateRun(api, prepared.model, prepared.inputs, prepared.provenance);
}

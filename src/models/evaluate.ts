/**
 * Evaluate one model for one patient's inputs: validate against the input contract, run the model,
 * and (optionally) explain it. Pure apart from the model's batch callback; nothing is cached per patient.
 */
import { HttpError } from '../http/errors.js';
import { explanationDuration, modelEvaluations } from '../monitoring/metrics.js';
import { buildExplanation, type Explanation } from './explain/explanation.js';
import { DEFAULT_SHAPLEY, shapley, type ShapleyOptions } from './explain/shapley.js';
import { prepareInputs } from './inputs.js';
import { survivalCurve, type SurvivalCurve } from './survival.js';
import type { InputWarning, LoadedModel } from './types.js';

export interface EvaluateOptions {
  explain: boolean;
  /** Overrides for the Shapley machinery (tests, benchmarks). */
  shapley?: Partial<ShapleyOptions>;
}

export interface EvaluateResult {
  model: { id: string; version: string };
  outputs: Record<string, number>;
  /** Time-to-event models (manifest `survival`): S(t | x) at each horizon from the linear predictor. */
  survival?: SurvivalCurve;
  explanation?: Explanation;
  warnings: InputWarning[];
}

function nonFinite(model: LoadedModel, what: string): HttpError {
  return new HttpError(422, {
    code: 'processing',
    diagnostics: `model ${model.manifest.id} produced a non-finite ${what} for these inputs; no estimate is given`,
  });
}

function outputsRecord(model: LoadedModel, values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  model.manifest.outputs.forEach((spec, o) => {
    const v = values[o];
    if (v === undefined || !Number.isFinite(v)) throw nonFinite(model, `value for output ${spec.name}`);
    out[spec.name] = v;
  });
  return out;
}

/** `{ survival }` for time-to-event models (422 when a survival probability is not finite), else `{}`. */
function survivalOf(model: LoadedModel, outputs: Record<string, number>): { survival?: SurvivalCurve } {
  const spec = model.manifest.survival;
  if (spec === undefined) return {};
  const lp = outputs[spec.linearPredictor];
  if (lp === undefined) throw nonFinite(model, `value for output ${spec.linearPredictor}`);
  const survival = survivalCurve(spec, lp);
  if (survival.points.some((p) => !Number.isFinite(p.survival)))
    throw nonFinite(model, 'survival probability');
  return { survival };
}

/**
 * @param inputs the request's `inputs` object (unvalidated JSON).
 * @throws HttpError 400 naming the input for contract violations; 422 when the model yields no finite value.
 */
export async function evaluate(
  model: LoadedModel,
  inputs: unknown,
  options: EvaluateOptions,
): Promise<EvaluateResult> {
  const { manifest } = model;
  const prepared = prepareInputs(manifest, inputs);
  const head = { model: { id: manifest.id, version: manifest.version } };
  modelEvaluations.inc({ model: manifest.id });
  if (!options.explain) {
    const raw = await model.run(prepared.row, 1);
    const outputs = outputsRecord(
      model,
      raw.map((y) => y[0] ?? Number.NaN),
    );
    return { ...head, outputs, ...survivalOf(model, outputs), warnings: prepared.warnings };
  }
  const shapleyOptions: ShapleyOptions = {
    ...DEFAULT_SHAPLEY,
    ...(manifest.explanation.method === 'shapley-sampled' ? { forceSampled: true } : {}),
    ...(model.interactions === undefined ? {} : { interactions: model.interactions }),
    ...options.shapley,
  };
  const timer = explanationDuration.startTimer({ model: manifest.id });
  const attribution = await shapley(model.run, prepared.row, model.reference, model.scales, shapleyOptions);
  timer();
  const outputs = outputsRecord(
    model,
    attribution.outputs.map((o) => o.value),
  );
  const explanation = buildExplanation(
    manifest,
    model.scales,
    attribution,
    prepared.values,
    model.referenceValues,
  );
  for (const c of explanation.contributions) {
    if (Object.values(c.contribution).some((v) => !Number.isFinite(v))) throw nonFinite(model, 'explanation');
  }
  return { ...head, outputs, ...survivalOf(model, outputs), explanation, warnings: prepared.warnings };
}

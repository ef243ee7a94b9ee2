/**
 * One model run as a FHIR RiskAssessment: subject, occurrence, basis (the resources the inputs were
 * read from), one prediction per probability output (probabilityDecimal with its whenRange horizon),
 * method (the model), performer (the model's Device), the card's band as a note, and the AIAST
 * security label. Outputs that are not probabilities (points, doses) are stated in the note.
 */
import type { Annotation, RiskAssessment, RiskAssessmentPrediction } from 'fhir/r4.js';
import type { ModelRun } from '../cards/run-model.js';
import type { ModelManifest } from '../models/manifest.js';
import { AIAST, AUGUR } from './codes.js';
import { deviceId } from './model-resources.js';

type OkRun = Extract<ModelRun, { status: 'ok' }>;

const YEARS = { system: 'http://unitsofmeasure.org', code: 'a', unit: 'years' } as const;

/** The horizon in years: `risk_10y` → 10, else the manifest's `extra.horizonYears`, else none (a current state). */
export function horizonYears(outputName: string, manifest: ModelManifest | undefined): number | undefined {
  const named = /_(\d+)y$/.exec(outputName)?.[1];
  if (named !== undefined) return Number(named);
  const h = manifest?.extra?.['horizonYears'];
  return typeof h === 'number' ? h : undefined;
}

function predictions(run: OkRun, manifest: ModelManifest | undefined): RiskAssessmentPrediction[] {
  const specs =
    manifest?.outputs ?? Object.keys(run.outputs).map((name) => ({ name, unit: '', description: name }));
  return specs.flatMap((o): RiskAssessmentPrediction[] => {
    const value = run.outputs[o.name];
    if (value === undefined || (o.unit !== 'fraction' && o.unit !== 'fraction/year')) return [];
    const years = o.unit === 'fraction/year' ? 1 : horizonYears(o.name, manifest);
    return [
      {
        outcome: { text: o.description },
        probabilityDecimal: value,
        ...(years === undefined
          ? {}
          : { whenRange: { low: { value: 0, ...YEARS }, high: { value: years, ...YEARS } } }),
      },
    ];
  });
}

function otherOutputs(run: OkRun, manifest: ModelManifest | undefined): string[] {
  return (manifest?.outputs ?? [])
    .filter((o) => o.unit !== 'fraction' && o.unit !== 'fraction/year' && run.outputs[o.name] !== undefined)
    .map((o) => `${o.name} = ${String(run.outputs[o.name])} ${o.unit === 'code' ? '(code)' : o.unit}`);
}

export interface RiskAssessmentFacts {
  id: string;
  patientRef: string;
  computedAt: string;
  run: OkRun;
  manifest: ModelManifest | undefined;
  /** The card the result stands behind, when one was shown. */
  card?: { summary: string; band?: string | undefined } | undefined;
  /** false: performer by display only (for an EHR that does not hold Augur's Device). */
  deviceReference: boolean;
}

/** The RiskAssessment for one successful model run. */
export function riskAssessment(f: RiskAssessmentFacts): RiskAssessment {
  const sources = [
    ...new Set(Object.values(f.run.inputs).flatMap((p) => (p.source === undefined ? [] : [p.source]))),
  ];
  const note: Annotation[] = [];
  if (f.card !== undefined)
    note.push({ text: `${f.card.summary}${f.card.band === undefined ? '' : ` (band: ${f.card.band})`}` });
  const others = otherOutputs(f.run, f.manifest);
  if (others.length > 0) note.push({ text: `Other outputs: ${others.join('; ')}` });
  const model = f.run.model;
  return {
    resourceType: 'RiskAssessment',
    id: f.id,
    meta: { security: [AIAST] },
    identifier: [{ system: AUGUR.result, value: f.id }],
    status: 'final',
    subject: { reference: f.patientRef },
    occurrenceDateTime: f.computedAt,
    method: {
      coding: [{ system: AUGUR.model, code: model.id, display: model.name }],
      text: `${model.name} v${model.version}`,
    },
    performer: f.deviceReference
      ? { reference: `Device/${deviceId(model)}`, display: `${model.name} v${model.version}` }
      : { display: `${model.name} v${model.version} (Augur)` },
    basis: sources.map((reference) => ({ reference })),
    prediction: predictions(f.run, f.manifest),
    ...(note.length === 0 ? {} : { note }),
  };
}

/**
 * model.json for learned-pima-diabetes: the model card and input contract, generated from the training
 * run so its metrics, constants and sha256 can never drift from the committed ONNX file.
 */
import type { ModelManifest } from '../../src/models/manifest.js';
import { FEATURES } from './dataset.js';
import type { Feature } from './dataset.js';
import { INPUT_NAMES, inputSpecs } from './card-inputs.js';
import type { Metrics } from './metrics.js';
import { INPUT_NAME, OUTPUT_NAME } from './export-onnx.js';
import { CARD_TEXT, CITATIONS } from './card-text.js';

export const MODEL_ID = 'learned-pima-diabetes';
export const MODEL_VERSION = '0.1.0';

export interface CardFacts {
  readonly sha256: string;
  /** Pima.tr column means: the standardisation centre and the explanation reference profile. */
  readonly reference: Readonly<Record<Feature, number>>;
  readonly trainingRanges: Readonly<Record<Feature, { min: number; max: number }>>;
  readonly network: Metrics;
  readonly baseline: Metrics;
  readonly extra: Record<string, unknown>;
}

const round = (v: number): number => Number(v.toFixed(4));

function metricRows(who: string, m: Metrics): ModelManifest['development']['metrics'] {
  const dataset = 'MASS Pima.te (332 held-out women; 109 with diabetes)';
  return [
    { name: `${who}: ROC AUC`, value: round(m.auc), dataset },
    { name: `${who}: misclassified at p > 0.5 (count)`, value: m.errors, dataset },
    { name: `${who}: accuracy at p > 0.5`, value: round(m.accuracy), dataset },
    { name: `${who}: Brier score`, value: round(m.brier), dataset },
    { name: `${who}: calibration intercept (Cox)`, value: round(m.calibrationIntercept), dataset },
    { name: `${who}: calibration slope (Cox)`, value: round(m.calibrationSlope), dataset },
    { name: `${who}: calibration-in-the-large`, value: round(m.calibrationInTheLarge), dataset },
  ];
}

export function buildManifest(f: CardFacts): ModelManifest {
  const specs = inputSpecs(f.reference);
  return {
    id: MODEL_ID,
    version: MODEL_VERSION,
    name: 'Diabetes in Pima women — demonstration neural network (NOT for clinical use)',
    kind: 'learned',
    onnx: { file: 'model.onnx', sha256: f.sha256, inputName: INPUT_NAME, dtype: 'float64' },
    citations: CITATIONS,
    intendedUse: CARD_TEXT.intendedUse,
    intendedUsers: CARD_TEXT.intendedUsers,
    population: { description: CARD_TEXT.population, ageYears: { min: 21, max: 81 } },
    limitations: CARD_TEXT.limitations,
    development: {
      method: CARD_TEXT.method,
      data: CARD_TEXT.data,
      validation: CARD_TEXT.validation,
      metrics: [
        ...metricRows('neural network', f.network),
        ...metricRows('logistic-regression baseline', f.baseline),
      ],
    },
    inputs: FEATURES.map((feature) => ({
      ...specs[feature],
      range: { ...f.trainingRanges[feature], outside: 'warn' as const },
    })),
    outputs: [
      {
        name: OUTPUT_NAME,
        description:
          'Estimated probability of diabetes by WHO criteria in the Pima cohort — a demonstration output, not a clinical risk.',
        unit: 'fraction',
        additiveScale: 'log-odds',
      },
    ],
    explanation: {
      method: 'shapley-exact',
      reference: Object.fromEntries(FEATURES.map((feature) => [INPUT_NAMES[feature], f.reference[feature]])),
      referenceDescription:
        'The mean of each input over the training set (MASS Pima.tr, 200 women), which is also the centre of the standardisation baked into the ONNX graph.',
      referenceLabel: 'the average woman of the training set (MASS Pima.tr, 200 Pima women)',
      referenceRationale:
        "A demonstration model: its inputs have no guideline targets, so the reference is the training population's mean, which is also the centre of the model's own standardisation.",
    },
    extra: f.extra,
  };
}

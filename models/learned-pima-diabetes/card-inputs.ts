/**
 * The input contract of learned-pima-diabetes: the seven MASS Pima predictors, in the column order of the
 * ONNX input tensor (= FEATURES in dataset.ts), each with how to obtain it from FHIR and what happens when
 * it is missing. Ranges are those seen in the training data (Pima.tr); outside them the network
 * extrapolates, so the value is used and flagged.
 */
import type { InputSpec } from '../../src/models/manifest.js';
import type { Feature } from './dataset.js';

type Spec = Omit<InputSpec, 'range'>;
/** A spec without `missing` gets a documented default: the reference value, with DEFAULT_REASONS. */
type SpecDraft = Omit<Spec, 'missing'> & { missing?: Spec['missing'] };

/** Manifest input name for each dataset column. */
export const INPUT_NAMES: Readonly<Record<Feature, string>> = {
  npreg: 'pregnancies_count',
  glu: 'glucose_2h_ogtt_mg_dl',
  bp: 'diastolic_bp_mm_hg',
  skin: 'triceps_skinfold_mm',
  bmi: 'bmi_kg_m2',
  ped: 'diabetes_pedigree_function',
  age: 'age_years',
};

const refuse = { policy: 'refuse' } as const;

const SPECS: Readonly<Record<Feature, SpecDraft>> = {
  npreg: {
    name: INPUT_NAMES.npreg,
    description: 'Number of times pregnant (gravidity).',
    type: 'number',
    unit: '1',
    missing: refuse,
    fhir: {
      source: 'observation',
      aggregate: 'latest',
      valueSet: 'loinc-pregnancies-count',
      unit: '1',
      lookbackDays: 3650,
      staleAfterDays: 365,
      note: 'LOINC 11996-6 "[#] Pregnancies" (valueInteger or valueQuantity). Not defaulted: 0 and "unknown" differ.',
    },
  },
  glu: {
    name: INPUT_NAMES.glu,
    description:
      'Plasma glucose 2 hours after a 75 g oral glucose load (OGTT). A fasting or random glucose is NOT a substitute.',
    type: 'number',
    unit: 'mg/dL',
    missing: refuse,
    fhir: {
      source: 'observation',
      aggregate: 'latest',
      valueSet: 'loinc-glucose-2h-ogtt-75g',
      unit: 'mg/dL',
      molarMass: 180.156,
      lookbackDays: 365,
      staleAfterDays: 180,
      note: 'LOINC 1518-0 (Glucose [Mass/volume] in Serum or Plasma --2 hours post 75 g glucose PO). Glucose C6H12O6 molar mass 180.156 g/mol (IUPAC atomic weights) for mmol/L → mg/dL.',
    },
  },
  bp: {
    name: INPUT_NAMES.bp,
    description: 'Diastolic blood pressure.',
    type: 'number',
    unit: 'mm[Hg]',
    missing: refuse,
    fhir: {
      source: 'observation',
      aggregate: 'latest',
      valueSet: 'loinc-bp-panel',
      componentValueSet: 'loinc-diastolic-bp',
      unit: 'mm[Hg]',
      lookbackDays: 365,
      staleAfterDays: 180,
      note: 'LOINC 8462-4 (diastolic BP), usually a component of the BP panel 85354-9.',
    },
  },
  skin: {
    name: INPUT_NAMES.skin,
    description: 'Triceps skin-fold thickness (caliper).',
    type: 'number',
    unit: 'mm',
    fhir: {
      source: 'observation',
      aggregate: 'latest',
      valueSet: 'triceps-skinfold-thickness',
      unit: 'mm',
      lookbackDays: 730,
      staleAfterDays: 365,
      note: 'We could not verify a LOINC code for caliper triceps skin-fold thickness; the value set must be filled by the site (or the value passed via the API).',
    },
  },
  bmi: {
    name: INPUT_NAMES.bmi,
    description: 'Body mass index.',
    type: 'number',
    unit: 'kg/m2',
    missing: refuse,
    fhir: {
      source: 'derived',
      derivation: 'bmi-from-height-weight',
      preferValueSet: 'loinc-bmi',
      lookbackDays: 365,
      staleAfterDays: 180,
    },
  },
  ped: {
    name: INPUT_NAMES.ped,
    description:
      'Diabetes pedigree function: a research score of family history of diabetes (relatives, their relatedness and ages at diagnosis) defined by Smith et al. (1988).',
    type: 'number',
    unit: '1',
    fhir: {
      source: 'observation',
      aggregate: 'latest',
      valueSet: 'local-diabetes-pedigree-function',
      unit: '1',
      lookbackDays: 3650,
      staleAfterDays: 3650,
      note: 'No LOINC or SNOMED CT code: a site-local code only (or pass the value via the API).',
    },
  },
  age: {
    name: INPUT_NAMES.age,
    description: 'Age in whole years (the cohort is women aged 21 or over).',
    type: 'number',
    unit: 'a',
    missing: refuse,
    fhir: { source: 'patient', field: 'age-years' },
  },
};

const DEFAULT_REASONS: Readonly<Partial<Record<Feature, string>>> = {
  skin: "Rarely measured in routine care. Defaulted to the Pima.tr mean (the explanation reference, so it contributes exactly 0) and flagged; in R's glm baseline its coefficient is −0.0019 per mm (data/r-glm-reference.txt).",
  ped: 'No EHR records this research score and no standard code exists. Defaulted to the Pima.tr mean ("average family history in this cohort"), flagged; it is a strong predictor (glm coefficient 1.82 per unit), so a defaulted result is less informative.',
};

/** @param reference the explanation reference profile (Pima.tr means), used as the documented defaults */
export function inputSpecs(reference: Readonly<Record<Feature, number>>): Record<Feature, Spec> {
  const out = {} as Record<Feature, Spec>;
  for (const f of Object.keys(SPECS) as Feature[]) {
    const { missing, fhir, ...rest } = SPECS[f];
    const reason = DEFAULT_REASONS[f] ?? 'no reason documented';
    out[f] = { ...rest, missing: missing ?? { policy: 'default', value: reference[f], reason }, fhir };
  }
  return out;
}

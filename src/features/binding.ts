/**
 * How a model input is obtained from FHIR — the "FHIR" half of a model's input contract.
 * Pure data, validated at load; interpreted by the FHIR → inputs module (src/features), which must run
 * in Node and in the browser (no Node-only imports anywhere under src/features).
 *
 * Code lists are not repeated in each manifest: a binding names a value set from
 * models/valuesets.json (each with its citation), e.g. `"valueSet": "loinc-total-cholesterol"`.
 */
import { z } from 'zod';

const days = z.number().int().positive();

/** A quantity Observation (or a component of one), converted to `unit` with UCUM. */
export const ObservationBinding = z
  .object({
    source: z.literal('observation'),
    valueSet: z.string().min(1),
    /**
     * When the value lives in a component (e.g. SBP 8480-6 inside the BP panel 85354-9): then
     * `valueSet` names the panels (e.g. `loinc-bp-panel`) and this the component code
     * (`loinc-systolic-bp`); a standalone Observation coded in this value set counts too.
     * Without it, the value is an Observation (or any Observation's component) coded in `valueSet`.
     */
    componentValueSet: z.string().min(1).optional(),
    /** Target UCUM unit, e.g. `mg/dL`; values in other convertible units are converted (per-analyte molar mass where needed). */
    unit: z.string().min(1),
    /** Molar mass (g/mol) for mmol/L ↔ mg/dL conversions, with its source in `note`. */
    molarMass: z.number().positive().optional(),
    lookbackDays: days,
    /** Older than this (but inside the lookback) → used, flagged `stale`. */
    staleAfterDays: days,
    aggregate: z.enum(['latest', 'mean-latest-3']).default('latest'),
    note: z.string().optional(),
  })
  .strict();
export type ObservationBinding = z.infer<typeof ObservationBinding>;

/** A coded Observation (e.g. smoking status 72166-2) mapped to a boolean or enum value. */
export const CodedObservationBinding = z
  .object({
    source: z.literal('coded-observation'),
    valueSet: z.string().min(1),
    /** Value set name → input value, first match wins, e.g. {"smoking-current": true, "smoking-never-or-former": false}. */
    answers: z.record(z.string(), z.union([z.boolean(), z.string()])),
    lookbackDays: days,
    staleAfterDays: days,
  })
  .strict();
export type CodedObservationBinding = z.infer<typeof CodedObservationBinding>;

/**
 * True when the patient has an active (or recurring/relapsed) Condition in the value set. With
 * `history: true` a past one counts too (resolved, inactive, in remission) — for criteria worded as
 * "prior" or "history of" (prior stroke, prior MI, bleeding history). Refuted or entered-in-error never count.
 */
export const ConditionBinding = z
  .object({
    source: z.literal('condition'),
    valueSet: z.string().min(1),
    history: z.boolean().optional(),
  })
  .strict();

/** True when an active MedicationRequest/MedicationStatement's RxNorm ingredient is in the class's value set. */
export const MedicationClassBinding = z
  .object({ source: z.literal('medication-class'), valueSet: z.string().min(1) })
  .strict();

export const PatientBinding = z
  .object({ source: z.literal('patient'), field: z.enum(['age-years', 'sex', 'race']) })
  .strict();
export type PatientBinding = z.infer<typeof PatientBinding>;

/**
 * Computed from observations, e.g. eGFR (CKD-EPI 2021) from creatinine (value set `loinc-creatinine`)
 * with age and sex, BMI from `loinc-body-height` and `loinc-body-weight`, or LDL-C by Sampson/NIH from
 * TC, HDL-C and triglycerides (models/derivations/ldl-sampson-nih.json). A directly reported
 * value in `preferValueSet` wins unless it is only a bound (e.g. eGFR ">60").
 */
export const DerivedBinding = z
  .object({
    source: z.literal('derived'),
    derivation: z.enum(['egfr-ckd-epi-2021', 'bmi-from-height-weight', 'ldl-sampson-nih']),
    /** Prefer a directly reported value from this value set when one exists (e.g. eGFR 98979-8). */
    preferValueSet: z.string().min(1).optional(),
    /** Molar mass (g/mol) to read a molar result of `preferValueSet` in the input's mass unit. */
    molarMass: z.number().positive().optional(),
    lookbackDays: days,
    staleAfterDays: days,
  })
  .strict();
export type DerivedBinding = z.infer<typeof DerivedBinding>;

/**
 * A pharmacogenomic result (genotype / diplotype) for a gene symbol (e.g. `CYP2C9`, `VKORC1`), in any
 * shape pgx.md lists. Values: star diplotypes sorted (`*1/*3`); VKORC1 rs9923231 as `G/G`, `A/G`, `A/A`.
 */
export const GenotypeBinding = z.object({ source: z.literal('genotype'), gene: z.string().min(1) }).strict();

/** A site setting (e.g. KFRE region), not patient data. */
export const SettingBinding = z.object({ source: z.literal('setting'), setting: z.string().min(1) }).strict();

export const FhirBinding = z.discriminatedUnion('source', [
  ObservationBinding,
  CodedObservationBinding,
  ConditionBinding,
  MedicationClassBinding,
  PatientBinding,
  DerivedBinding,
  GenotypeBinding,
  SettingBinding,
]);
export type FhirBinding = z.infer<typeof FhirBinding>;

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
    /** When the value lives in a component (e.g. SBP 8480-6 inside the BP panel 85354-9). */
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

/** True when the patient has an active (or recurring/relapsed) confirmed Condition in the value set. */
export const ConditionBinding = z
  .object({ source: z.literal('condition'), valueSet: z.string().min(1) })
  .strict();

/** True when an active MedicationRequest/MedicationStatement's RxNorm ingredient is in the class's value set. */
export const MedicationClassBinding = z
  .object({ source: z.literal('medication-class'), valueSet: z.string().min(1) })
  .strict();

export const PatientBinding = z
  .object({ source: z.literal('patient'), field: z.enum(['age-years', 'sex', 'race']) })
  .strict();

/** Computed from other inputs or observations, e.g. eGFR (CKD-EPI 2021) from creatinine. */
export const DerivedBinding = z
  .object({
    source: z.literal('derived'),
    derivation: z.enum(['egfr-ckd-epi-2021', 'bmi-from-height-weight']),
    /** Prefer a directly reported value from this value set when one exists (e.g. eGFR 98979-8). */
    preferValueSet: z.string().min(1).optional(),
    lookbackDays: days,
    staleAfterDays: days,
  })
  .strict();

/** A pharmacogenomic result (genotype / diplotype) for a gene, in any shape pgx.md lists. */
export const GenotypeBinding = z
  .object({ source: z.literal('genotype'), gene: z.string().min(1) })
  .strict();

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

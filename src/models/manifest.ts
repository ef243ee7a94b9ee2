/**
 * A model package's manifest (`models/<id>/model.json`): at once the model card a clinician can read
 * and the input contract Augur enforces. Validated at load; an invalid manifest is reported naming the
 * file and the field.
 */
import { z } from 'zod';
import { FhirBinding } from '../features/binding.js';
import { SurvivalSpec } from './survival.js';

/** A literature citation (shared with the card-data schemas in src/cards/schemas.ts). */
export const Citation = z
  .object({ text: z.string().min(1), url: z.url().optional(), doi: z.string().optional() })
  .strict();
export type Citation = z.infer<typeof Citation>;

const Range = z
  .object({
    min: z.number(),
    max: z.number(),
    /** What happens outside: refuse (400), warn and use, or clamp to the range and warn (per the paper). */
    outside: z.enum(['refuse', 'warn', 'clamp']),
  })
  .strict()
  .refine((r) => r.min <= r.max, 'min must be ≤ max');

const MissingPolicy = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('refuse') }).strict(),
  /** A documented default, always flagged `defaulted` in the result. */
  z
    .object({
      policy: z.literal('default'),
      value: z.union([z.number(), z.boolean(), z.string()]),
      reason: z.string().min(1),
    })
    .strict(),
  /** The model itself handles absence (e.g. PREVENT's missing-UACR term); flagged `missing`. */
  z.object({ policy: z.literal('model-handles'), reason: z.string().min(1) }).strict(),
]);

export const InputSpec = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'input names are snake_case'),
    description: z.string().min(1),
    type: z.enum(['number', 'boolean', 'enum']),
    /** Allowed values for `enum` inputs. */
    values: z.array(z.string().min(1)).min(1).optional(),
    /** UCUM unit for numbers (`a` for years, `1` for unitless). */
    unit: z.string().min(1).optional(),
    range: Range.optional(),
    missing: MissingPolicy,
    fhir: FhirBinding,
  })
  .strict()
  .refine(
    (i) => (i.type === 'enum') === (i.values !== undefined),
    'enum inputs (and only they) list "values"',
  )
  .refine((i) => i.type !== 'number' || i.unit !== undefined, 'number inputs need a "unit"');
export type InputSpec = z.infer<typeof InputSpec>;

export const OutputSpec = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/),
    description: z.string().min(1),
    /** `fraction` (0–1), `points`, `mg/wk`, … */
    unit: z.string().min(1),
    /** The additive scale explanations are exact on, e.g. `log-hazard`, `log-odds`, `sqrt-dose`, `points`. */
    additiveScale: z.string().min(1).optional(),
  })
  .strict();
export type OutputSpec = z.infer<typeof OutputSpec>;

export const ModelManifest = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'semantic version, e.g. 1.0.0'),
    name: z.string().min(1),
    kind: z.enum(['equation', 'points', 'learned']),
    /**
     * The ONNX file and how it is fed. Convention: one input tensor of shape [N, k] whose columns are
     * `inputs` in manifest order, encoded number → value, boolean → 0/1, enum → index in `values`,
     * missing (policy `model-handles`) → NaN; one output tensor per `outputs` entry, same name, shape [N] or [N, 1].
     */
    onnx: z
      .object({
        file: z.string().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        inputName: z.string().min(1),
        dtype: z.enum(['float32', 'float64']),
      })
      .strict(),
    citations: z.array(Citation).min(1),
    intendedUse: z.string().min(1),
    intendedUsers: z.string().min(1),
    population: z
      .object({
        description: z.string().min(1),
        ageYears: z.object({ min: z.number(), max: z.number() }).strict(),
        /** Value-set names: the model applies only with one of these conditions (e.g. CKD, AF). */
        requiresAnyCondition: z.array(z.string()).optional(),
        /** Value-set names: the model does not apply with any of these (e.g. known ASCVD). */
        excludesConditions: z.array(z.string()).optional(),
      })
      .strict(),
    limitations: z.array(z.string().min(1)).min(1),
    development: z
      .object({
        method: z.string().min(1),
        data: z.string().min(1),
        validation: z.string().min(1),
        metrics: z
          .array(z.object({ name: z.string(), value: z.number(), dataset: z.string() }).strict())
          .default([]),
      })
      .strict(),
    inputs: z.array(InputSpec).min(1),
    outputs: z.array(OutputSpec).min(1),
    explanation: z
      .object({
        method: z.enum(['shapley-exact', 'shapley-sampled', 'points-table']),
        /** The reference profile contributions are measured against: input name → value. */
        reference: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
        referenceDescription: z.string().min(1),
        /**
         * The reference in words a clinician can name, completing "compared with …" (e.g. "a 55-year-old
         * non-smoking woman with optimal values"). Optional (bring-your-own models): absent, Augur says
         * "the model's reference profile".
         */
        referenceLabel: z.string().min(1).optional(),
        /** Why this reference serves the decision the model supports (shown in the side app). */
        referenceRationale: z.string().min(1).optional(),
        /**
         * Declared by the compiler: the sets of inputs whose terms interact on the additive scale (every
         * term depends on the inputs of one set). Verified at load; explanations then need one row per
         * coalition inside a set instead of 2^k (src/models/explain/mobius.ts). Absent: 2^k enumeration.
         */
        interactions: z.array(z.array(z.string()).min(1)).optional(),
      })
      .strict(),
    /**
     * Time-to-event models only: the baseline cumulative hazard that turns the linear-predictor output
     * into survival S(t | x) at each listed time (src/models/survival.ts; documented in models/README.md).
     */
    survival: SurvivalSpec.optional(),
    /** Free-form, model-specific settings (e.g. PREVENT variants), documented in the model's README. */
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ModelManifest = z.infer<typeof ModelManifest>;

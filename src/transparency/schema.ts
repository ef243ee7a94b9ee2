/**
 * A package's `source-attributes.json`: the HTI-1 source attributes its manifest does not already
 * answer, and its published subgroup performance. Each attribute is either stated (with citations) or
 * declared not available with the reason — never left out silently when `strict` (every built-in is).
 */
import { z } from 'zod';
import { Citation } from '../models/manifest.js';

export const StatedAttribute = z.union([
  z.object({ value: z.string().min(1), citations: z.array(Citation).optional() }).strict(),
  z.object({ notAvailable: z.string().min(1) }).strict(),
]);
export type StatedAttribute = z.infer<typeof StatedAttribute>;

/** One published (or Augur-computed) performance figure for a subgroup, or why none is reported. */
export const SubgroupPerformance = z
  .object({
    subgroup: z.string().min(1),
    /** `test`: same source as the training data; `external`: a different source. */
    data: z.enum(['test', 'external']),
    dataset: z.string().min(1),
    metric: z.string().min(1),
    value: z.number().optional(),
    /** e.g. a 95 % CI "0.70–0.74", as printed. */
    interval: z.string().optional(),
    notReported: z.string().min(1).optional(),
    citation: Citation,
  })
  .strict()
  .refine((s) => (s.value === undefined) !== (s.notReported === undefined), 'give value or notReported');
export type SubgroupPerformance = z.infer<typeof SubgroupPerformance>;

export const SourceAttributesFile = z
  .object({
    set: z.enum(['predictive', 'evidence-based']),
    /** Every attribute must be answered (stated, from the manifest, or notAvailable); else start-up fails. */
    strict: z.boolean().default(false),
    attributes: z.record(z.string(), StatedAttribute).default({}),
    subgroupPerformance: z.array(SubgroupPerformance).default([]),
  })
  .strict();
export type SourceAttributesFile = z.infer<typeof SourceAttributesFile>;

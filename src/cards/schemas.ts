/**
 * The shared pieces of card-data schemas (citations, codings, sources, indicators, bands, override
 * reasons, file headers). Browser-safe (zod only): the side app and the PGx tables validate with the
 * same schemas the server loads card files with (src/cards/data.ts).
 */
import { z } from 'zod';
import { Citation } from '../models/manifest.js';

export const CitationSchema = Citation;

export const CodingSchema = z
  .object({ system: z.url(), code: z.string().min(1), display: z.string().min(1) })
  .strict();

/** The card's `source`: the guideline behind it, with a topic coding. */
export const SourceSchema = z
  .object({ label: z.string().min(1).max(80), url: z.url(), topic: CodingSchema })
  .strict();

export const IndicatorSchema = z.enum(['info', 'warning', 'critical']);

/**
 * A band of a numeric result: `[min, max)` (either end open when absent). A list of bands must cover
 * its scale without gaps or overlaps; `bandsSchema` checks that.
 */
export const BandSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    label: z.string().min(1),
    min: z.number().optional(),
    max: z.number().optional(),
    indicator: IndicatorSchema,
  })
  .strict();
export type Band = z.infer<typeof BandSchema>;

export const bandsSchema = z
  .array(BandSchema)
  .min(1)
  .superRefine((bands, ctx) => {
    bands.forEach((b, i) => {
      const next = bands[i + 1];
      if (i === 0 && b.min !== undefined && b.min > 0)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'min'],
          message: 'the first band must start at the scale start',
        });
      if (next !== undefined && b.max !== next.min)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'max'],
          message: `bands must be contiguous: max ${String(b.max)} ≠ next min ${String(next.min)}`,
        });
      if (next === undefined && b.max !== undefined)
        ctx.addIssue({ code: 'custom', path: [i, 'max'], message: 'the last band must be open-ended' });
    });
  });

/** Every card data file starts with these. */
export const CardFileHeader = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  citations: z.array(CitationSchema).min(1),
};

/** Override reasons offered on a card (CDS Hooks `overrideReasons`, each with display text). */
/**
 * Augur's override reasons are one local code system across every service, so feedback analytics can
 * compare them (there is no published value set for CDS override reasons).
 */
export const OVERRIDE_REASON_SYSTEM = 'urn:augur:override-reason';

export const OverrideReasonsSchema = z
  .array(
    CodingSchema.refine((c) => c.system === OVERRIDE_REASON_SYSTEM, {
      message: `override reasons use the system ${OVERRIDE_REASON_SYSTEM}`,
      path: ['system'],
    }),
  )
  .min(1);

/** `{placeholder}` names in a template (browser-safe; `render` fills them). */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z][a-zA-Z0-9_]*)\}/g)].map((m) => m[1] ?? '');
}

/** A card text template that may use only the placeholders its service fills (checked at load). */
export const templateSchema = (allowed: readonly string[]) =>
  z
    .string()
    .min(1)
    .superRefine((t, ctx) => {
      for (const p of templatePlaceholders(t))
        if (!allowed.includes(p))
          ctx.addIssue({
            code: 'custom',
            message: `unknown placeholder {${p}} (allowed: ${allowed.join(', ')})`,
          });
    });

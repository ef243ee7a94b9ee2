/**
 * Card data files (`cards/*.json`): wording, bands, thresholds, indicator policy, suggestion templates
 * and override reasons, each file with its guideline citations. The shared pieces of their schemas and
 * the loader live here; each service declares its own file's schema from them. Files are validated when
 * the service is built (at start-up): an error names the file and the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../config/paths.js';
import { fieldPath } from '../validation/field-path.js';

export const CitationSchema = z
  .object({ text: z.string().min(1), url: z.url().optional(), doi: z.string().optional() })
  .strict();

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

export { bandFor } from './band.js';

/** Every card data file starts with these. */
export const CardFileHeader = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  citations: z.array(CitationSchema).min(1),
};

/** Override reasons offered on a card (CDS Hooks `overrideReasons`, each with display text). */
export const OverrideReasonsSchema = z.array(CodingSchema).min(1);

export class CardDataError extends Error {
  override name = 'CardDataError';
}

/** The top-level `cards/` folder (found from src/ or from dist/). */
export function cardsDir(): string {
  return join(repoRoot(), 'cards');
}

export function loadCardFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CardDataError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${file}: ${fieldPath(i.path) || '(root)'}: ${i.message}`);
    throw new CardDataError(lines.join('\n'));
  }
  return parsed.data;
}

/**
 * Fills `{name}` placeholders. Every placeholder must have a value and every value is plain text
 * (templates are card data, values come from results), so an unknown placeholder is a data error.
 */
export function render(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9_]*)\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined)
      throw new CardDataError(`template placeholder {${name}} has no value: "${template}"`);
    return String(v);
  });
}

/** The placeholders a template uses (for start-up validation against what a service provides). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z][a-zA-Z0-9_]*)\}/g)].map((m) => m[1] ?? '');
}

/**
 * Card data files (`cards/*.json`): wording, bands, thresholds, indicator policy, suggestion templates
 * and override reasons, each file with its guideline citations. The shared pieces of their schemas and
 * the loader live here; each service declares its own file's schema from them. Files are validated when
 * the service is built (at start-up): an error names the file and the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { repoRoot } from '../config/paths.js';
import { SUMMARY_MAX } from './build.js';
import { fieldPath } from '../validation/field-path.js';

export {
  BandSchema,
  bandsSchema,
  CardFileHeader,
  CitationSchema,
  CodingSchema,
  IndicatorSchema,
  OverrideReasonsSchema,
  SourceSchema,
  templateSchema,
  type Band,
} from './schemas.js';
import { templatePlaceholders } from './schemas.js';
export { bandFor } from './band.js';

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
export const placeholders = templatePlaceholders;

/**
 * Start-up check that each summary template, filled with its longest plausible values, fits the CDS Hooks
 * summary limit — a card that would be too long is a data error found at start-up, not at the bedside.
 */
export function assertSummariesFit(
  file: string,
  filled: readonly (readonly [field: string, text: string])[],
): void {
  for (const [field, text] of filled)
    if (text.length > SUMMARY_MAX)
      throw new CardDataError(
        `${file}: ${field}: up to ${String(text.length)} characters when filled (max ${String(SUMMARY_MAX)})`,
      );
}

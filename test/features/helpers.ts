/** Shared fixtures for the FHIR → inputs tests: the real value sets, a fixed clock, input-spec builders. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FhirBinding } from '../../src/features/binding.js';
import type { ExtractContext, Settings } from '../../src/features/types.js';
import { loadValueSets } from '../../src/features/valuesets.js';
import { InputSpec } from '../../src/models/manifest.js';

const readJson = (rel: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8'));

export const valueSetsJson = (): unknown => readJson('../../models/valuesets.json');
export const rxnormJson = (): unknown => readJson('../../models/rxnorm-ingredients.json');
export const VALUE_SETS = loadValueSets(valueSetsJson(), { rxnormIngredients: rxnormJson() });

/** The tests' clock: 2025-01-01T12:00Z. Dates below are written relative to it. */
export const NOW = new Date('2025-01-01T12:00:00Z');
/** The date `days` before NOW, as a FHIR dateTime. */
export const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();

export const ctx = (settings: Settings = {}): ExtractContext => ({
  now: NOW,
  settings,
  valueSets: VALUE_SETS,
});

type SpecOptions = Partial<Omit<InputSpec, 'fhir' | 'name'>> & { name?: string };

/** A validated input spec (zod applies binding defaults, e.g. aggregate: latest). */
export function spec(
  fhir: Record<string, unknown> & { source: FhirBinding['source'] },
  o: SpecOptions = {},
): InputSpec {
  const type = o.type ?? 'number';
  return InputSpec.parse({
    name: o.name ?? 'x',
    description: o.description ?? 'test input',
    type,
    ...(type === 'number' ? { unit: o.unit ?? '1' } : {}),
    ...(o.values === undefined ? {} : { values: o.values }),
    ...(o.range === undefined ? {} : { range: o.range }),
    missing: o.missing ?? { policy: 'refuse' },
    fhir,
  });
}

export const TC_SPEC = spec(
  {
    source: 'observation',
    valueSet: 'loinc-total-cholesterol',
    unit: 'mg/dL',
    molarMass: 386.65,
    lookbackDays: 365,
    staleAfterDays: 180,
  },
  { name: 'total_cholesterol', unit: 'mg/dL', range: { min: 130, max: 320, outside: 'warn' } },
);

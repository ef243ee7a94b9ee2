/**
 * Every model manifest's FHIR bindings must name value sets that exist (by id or alias), and
 * extraction must run over them. Catches a manifest written against a value-set name we do not have.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractInputs } from '../../src/features/extract.js';
import { InputSpec } from '../../src/models/manifest.js';
import { aPatient, anObservation } from '../support/fhir-builders.js';
import { ctx, daysAgo, VALUE_SETS } from './helpers.js';

const MODELS = fileURLToPath(new URL('../../models/', import.meta.url));
const manifests = readdirSync(MODELS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${MODELS}${d.name}/model.json`))
  .map((d) => ({
    dir: d.name,
    json: JSON.parse(readFileSync(`${MODELS}${d.name}/model.json`, 'utf8')) as unknown,
  }));

interface Loose {
  inputs?: unknown[];
  population?: { requiresAnyCondition?: string[]; excludesConditions?: string[] };
}

function referencedValueSets(m: Loose): string[] {
  const ids = [...(m.population?.requiresAnyCondition ?? []), ...(m.population?.excludesConditions ?? [])];
  for (const raw of m.inputs ?? []) {
    const b = InputSpec.parse(raw).fhir;
    if ('valueSet' in b) ids.push(b.valueSet);
    if (b.source === 'observation' && b.componentValueSet !== undefined) ids.push(b.componentValueSet);
    if (b.source === 'coded-observation') ids.push(...Object.keys(b.answers));
    if (b.source === 'derived' && b.preferValueSet !== undefined) ids.push(b.preferValueSet);
  }
  return ids;
}

describe.each(manifests)('models/$dir/model.json', ({ json }) => {
  it('names only value sets in models/valuesets.json', () => {
    const missing = referencedValueSets(json as Loose).filter((id) => !VALUE_SETS.sets.has(id));
    expect(missing).toEqual([]);
  });

  it('extracts over an empty and a minimal record without throwing', () => {
    const specs = ((json as Loose).inputs ?? []).map((i) => InputSpec.parse(i));
    const minimal = [
      aPatient({ birthDate: '1960-01-01', gender: 'male' }),
      anObservation({ loinc: '2093-3', value: 200, unit: 'mg/dL', date: daysAgo(1) }),
    ];
    expect(() => extractInputs(specs, [], ctx({ 'kfre-region': 'other' }))).not.toThrow();
    const r = extractInputs(specs, minimal, ctx());
    expect(Object.keys(r.provenance)).toEqual(specs.map((s) => s.name));
  });
});

it('finds the model manifests', () => {
  expect(manifests.length).toBeGreaterThan(0);
});

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

describe('bindings of the UACR and eGFR inputs in the shipped manifests', () => {
  const specsOf = (dir: string) =>
    ((manifests.find((m) => m.dir === dir)?.json as Loose).inputs ?? []).map((i) => InputSpec.parse(i));
  const female60 = aPatient({ birthDate: '1965-01-01', gender: 'female' }); // 60 at NOW (2025-01-01)

  // 3 mg/mmol × 8.84 = 26.52 mg/g (creatinine 113.12 g/mol; KDIGO 2012 lists 3 mg/mmol ≈ 30 mg/g).
  for (const dir of ['prevent-10y', 'prevent-30y', 'kfre-4v']) {
    it(`${dir}: a urine ACR reported in mg/mmol is converted to mg/g, not dropped as an unknown unit`, () => {
      const acr = anObservation({ loinc: '14959-1', value: 3, unit: 'mg/mmol', date: daysAgo(10) });
      const r = extractInputs(specsOf(dir), [female60, acr], ctx({ 'kfre-region': 'other' }));
      expect(r.inputs['uacr_mg_g']).toBeCloseTo(26.52, 2);
      expect(r.provenance['uacr_mg_g']?.flags).not.toContain('unit-unknown');
    });
  }

  for (const dir of ['prevent-10y', 'prevent-30y']) {
    it(`${dir}: an MDRD eGFR is not taken; eGFR comes from creatinine by CKD-EPI 2021 (the equation PREVENT was built on)`, () => {
      const mdrd = anObservation({ loinc: '33914-3', value: 41, unit: 'mL/min/{1.73_m2}', date: daysAgo(5) });
      const creatinine = anObservation({ loinc: '2160-0', value: 1.0, unit: 'mg/dL', date: daysAgo(5) });
      const r = extractInputs(specsOf(dir), [female60, mdrd, creatinine], ctx());
      // CKD-EPI 2021 (Inker, NEJM 2021), female, 60 y, Scr 1.0: 142 × (1.0/0.7)^−1.200 × 0.9938^60 × 1.012 = 64.50.
      expect(r.inputs['egfr_ml_min_1_73m2']).toBeCloseTo(64.5, 1);
      expect(r.provenance['egfr_ml_min_1_73m2']?.flags).toContain('derived');
    });
  }
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  conceptInValueSet,
  getValueSet,
  inValueSet,
  loadValueSets,
  nameInText,
  ValueSetError,
} from '../../src/features/valuesets.js';
import { ICD10CM, LOINC, RXNORM, SNOMED } from '../support/fhir-builders.js';
import { VALUE_SETS, valueSetsJson } from './helpers.js';

const vs = (id: string) => getValueSet(VALUE_SETS, id);

describe('value sets', () => {
  it('covers every input family of models.md §7', () => {
    for (const id of [
      'loinc-total-cholesterol',
      'loinc-hdl-cholesterol',
      'loinc-ldl-cholesterol',
      'loinc-systolic-bp',
      'loinc-bp-panel',
      'loinc-smoking-status',
      'smoking-current',
      'smoking-never-or-former',
      'loinc-bmi',
      'loinc-body-height',
      'loinc-body-weight',
      'loinc-creatinine',
      'loinc-egfr',
      'loinc-egfr-ckd-epi-2021',
      'loinc-uacr',
      'loinc-hba1c',
      'loinc-inr',
      'loinc-bilirubin-total',
      'loinc-ast',
      'loinc-alt',
      'loinc-alp',
      'condition-diabetes',
      'condition-hypertension',
      'condition-heart-failure',
      'condition-atrial-fibrillation',
      'condition-stroke-tia-thromboembolism',
      'condition-vascular-disease',
      'condition-ckd',
      'condition-ascvd',
      'medication-statins',
      'medication-antihypertensives',
      'medication-warfarin-enzyme-inducers',
      'medication-amiodarone',
      'medication-antiplatelets-nsaids',
    ]) {
      expect(VALUE_SETS.sets.has(id), id).toBe(true);
    }
  });

  it('matches exact codes and only in their own system', () => {
    expect(inValueSet({ system: LOINC, code: '14647-2' }, vs('loinc-total-cholesterol'))).toBe(true);
    expect(inValueSet({ system: SNOMED, code: '14647-2' }, vs('loinc-total-cholesterol'))).toBe(false);
    expect(inValueSet({ system: LOINC, code: '2085-9' }, vs('loinc-total-cholesterol'))).toBe(false);
  });

  it('matches ICD-10-CM ranges by prefix, with or without the dot, and OID-named systems', () => {
    const dm = vs('condition-diabetes');
    expect(inValueSet({ system: ICD10CM, code: 'E11.9' }, dm)).toBe(true);
    expect(inValueSet({ system: ICD10CM, code: 'e119' }, dm)).toBe(true);
    expect(inValueSet({ system: 'urn:oid:2.16.840.1.113883.6.90', code: 'E13.65' }, dm)).toBe(true);
    expect(inValueSet({ system: ICD10CM, code: 'E14.9' }, dm)).toBe(false);
    expect(inValueSet({ system: ICD10CM, code: 'I25.2' }, vs('condition-vascular-disease'))).toBe(true);
    expect(inValueSet({ system: ICD10CM, code: 'I25.10' }, vs('condition-vascular-disease'))).toBe(false);
    expect(inValueSet({ system: ICD10CM, code: 'I14' }, vs('condition-hypertension'))).toBe(false);
  });

  it('adds SCD/SBD codes whose ingredient is in a medication value set', () => {
    expect(inValueSet({ system: RXNORM, code: '617310' }, vs('medication-statins'))).toBe(true); // atorvastatin 20 MG
    expect(inValueSet({ system: RXNORM, code: '979471' }, vs('medication-antihypertensives'))).toBe(true); // HCTZ/losartan
    expect(inValueSet({ system: RXNORM, code: '617310' }, vs('medication-antihypertensives'))).toBe(false);
    expect(
      conceptInValueSet({ coding: [{ system: RXNORM, code: '855332' }] }, vs('medication-warfarin')),
    ).toBe(true);
  });

  it('finds an ingredient name as a whole word only', () => {
    expect(nameInText('Atorvastatin 20mg tab', vs('medication-statins'))).toBe('atorvastatin');
    expect(nameInText('superatorvastatinx', vs('medication-statins'))).toBeUndefined();
  });

  it('rejects an invalid value set, naming it', () => {
    const bad = structuredClone(valueSetsJson()) as {
      valueSets: { id: string; codes: { code: string }[] }[];
    };
    const target = bad.valueSets.find((v) => v.id === 'loinc-hdl-cholesterol');
    if (target?.codes[0] === undefined) throw new Error('fixture');
    target.codes[0].code = '';
    expect(() => loadValueSets(bad)).toThrow(/value set "loinc-hdl-cholesterol": codes\.0\.code/);
  });

  it('rejects a duplicate id or alias and an unknown reference', () => {
    const dup = {
      version: '1',
      valueSets: [0, 1].map(() => ({
        id: 'a',
        description: 'd',
        citation: 'c',
        codes: [{ system: LOINC, code: '1-1' }],
      })),
    };
    expect(() => loadValueSets(dup)).toThrow(ValueSetError);
    expect(() => getValueSet(VALUE_SETS, 'no-such-set')).toThrow(/unknown value set "no-such-set"/);
  });

  it('resolves aliases to the same value set', () => {
    const json = {
      version: '1',
      valueSets: [
        { id: 'a', aliases: ['b'], description: 'd', citation: 'c', codes: [{ system: LOINC, code: '1-1' }] },
      ],
    };
    const index = loadValueSets(json);
    expect(getValueSet(index, 'b')).toBe(getValueSet(index, 'a'));
  });
});

describe('models/valuesets.md documents every value set', () => {
  it('lists each id in models/valuesets.json', () => {
    const md = readFileSync(fileURLToPath(new URL('../../models/valuesets.md', import.meta.url)), 'utf8');
    const ids = (valueSetsJson() as { valueSets: { id: string }[] }).valueSets.map((v) => v.id);
    expect(ids.filter((id) => !md.includes(`\`${id}\``))).toEqual([]);
  });
});

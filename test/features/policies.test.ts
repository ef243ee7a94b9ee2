import { describe, expect, it } from 'vitest';
import { extractInputs } from '../../src/features/extract.js';
import type { InputSpec } from '../../src/models/manifest.js';
import { ctx, spec, TC_SPEC } from './helpers.js';

const UACR = (missing: InputSpec['missing']) =>
  spec(
    {
      source: 'observation',
      valueSet: 'loinc-uacr',
      unit: 'mg/g',
      molarMass: 113.12,
      lookbackDays: 730,
      staleAfterDays: 365,
    },
    { name: 'uacr', unit: 'mg/g', missing },
  );

describe('missing policies', () => {
  it('default → the documented value, flagged defaulted, with the reason', () => {
    const r = extractInputs([UACR({ policy: 'default', value: 10, reason: 'site assumption' })], [], ctx());
    expect(r.inputs['uacr']).toBe(10);
    expect(r.provenance['uacr']).toMatchObject({ value: 10, flags: ['defaulted'] });
    expect(r.provenance['uacr']?.note).toMatch(/site assumption/);
  });

  it('refuse and model-handles → null, flagged missing', () => {
    expect(extractInputs([TC_SPEC], [], ctx()).provenance['total_cholesterol']).toMatchObject({
      value: null,
      flags: ['missing'],
    });
    const mh = extractInputs(
      [UACR({ policy: 'model-handles', reason: 'PREVENT missing-UACR term' })],
      [],
      ctx(),
    );
    expect(mh.provenance['uacr']).toMatchObject({
      value: null,
      flags: ['missing'],
      note: 'PREVENT missing-UACR term',
    });
  });
});

describe('site settings', () => {
  const REGION = spec(
    { source: 'setting', setting: 'kfre.region' },
    { name: 'region', type: 'enum', values: ['north-america', 'other'] },
  );

  it('reads a setting, and checks it against the enum', () => {
    expect(extractInputs([REGION], [], ctx({ 'kfre.region': 'other' })).inputs['region']).toBe('other');
    const bad = extractInputs([REGION], [], ctx({ 'kfre.region': 'mars' })).provenance['region'];
    expect(bad).toMatchObject({ value: null, flags: ['uninterpretable', 'missing'] });
    expect(extractInputs([REGION], [], ctx()).provenance['region']).toMatchObject({
      value: null,
      flags: ['missing'],
    });
  });

  it('flags a setting of the wrong type', () => {
    const n = spec({ source: 'setting', setting: 'n' }, { name: 'n', unit: '1' });
    expect(extractInputs([n], [], ctx({ n: 'three' })).provenance['n']?.flags).toContain('uninterpretable');
    expect(extractInputs([n], [], ctx({ n: 3 })).inputs['n']).toBe(3);
  });
});

describe('bindings to unknown value sets', () => {
  it('throw, naming the value set (a manifest/value-set mismatch is a configuration error)', () => {
    const s = spec({ source: 'condition', valueSet: 'condition-nope' }, { name: 'c', type: 'boolean' });
    expect(() => extractInputs([s], [], ctx())).toThrow(/condition-nope/);
  });
});

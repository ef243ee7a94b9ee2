import { describe, expect, it } from 'vitest';
import { convertQuantity } from '../../src/features/units.js';

describe('UCUM conversion', () => {
  it('converts cholesterol mmol/L → mg/dL with the molar mass (×38.67, models.md §7)', () => {
    const r = convertQuantity(
      { value: 5, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
      'mg/dL',
      386.65,
    );
    expect(r.ok && r.value).toBeCloseTo(5 * 38.665, 2);
  });

  it('converts creatinine µmol/L (micro sign in unit text) → mg/dL (÷88.4)', () => {
    const r = convertQuantity({ value: 88.4, unit: 'µmol/L' }, 'mg/dL', 113.12);
    expect(r.ok && r.value).toBeCloseTo(1.0, 3);
  });

  it('refuses mass ↔ molar without a molar mass, and unknown units', () => {
    expect(convertQuantity({ value: 5, unit: 'mmol/L' }, 'mg/dL').ok).toBe(false);
    const banana = convertQuantity({ value: 5, unit: 'banana' }, 'mg/dL');
    expect(banana).toMatchObject({ ok: false, fromUnit: 'banana' });
  });

  it('converts lengths and masses, accepts common spellings and unitless dimensionless values', () => {
    expect(convertQuantity({ value: 70, unit: '[in_i]' }, 'cm')).toMatchObject({ ok: true, value: 177.8 });
    expect(convertQuantity({ value: 120, unit: 'mmHg' }, 'mm[Hg]')).toMatchObject({ ok: true, value: 120 });
    expect(convertQuantity({ value: 75, unit: 'mL/min/1.73m2' }, 'mL/min/{1.73_m2}')).toMatchObject({
      ok: true,
      value: 75,
    });
    expect(convertQuantity({ value: 1.1 }, '{INR}')).toMatchObject({ ok: true, value: 1.1 });
    expect(convertQuantity({ value: 1.1 }, 'mg/dL').ok).toBe(false);
  });
});

describe('units as a person reads them (messages, range text)', () => {
  it('UCUM codes become words in text; unknown units are shown as written', async () => {
    const { unitForPeople, rangeForPeople } = await import('../../src/features/unit-text.js');
    expect(rangeForPeople(40, 79, 'a')).toBe('40–79 years');
    expect(rangeForPeople(90, 200, 'mm[Hg]')).toBe('90–200 mmHg');
    expect(rangeForPeople(0, 1, '1')).toBe('0–1');
    expect(unitForPeople('mL/min/{1.73_m2}')).toBe('mL/min/1.73 m²');
    expect(unitForPeople('mg/dL')).toBe('mg/dL');
    expect(unitForPeople(undefined)).toBe('');
  });
});

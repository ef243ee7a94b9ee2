import { describe, expect, it } from 'vitest';
import { ckdEpi2021 } from '../../src/features/egfr.js';
import { extractInputs } from '../../src/features/extract.js';
import type { InputSpec } from '../../src/models/manifest.js';
import { anObservation, aPatient } from '../support/fhir-builders.js';
import { ctx, daysAgo, spec } from './helpers.js';

/*
 * CKD-EPI 2021 check values, computed by hand from the published equation (Inker LA et al.,
 * N Engl J Med 2021;385:1737; models.md §2): 142 · min(Scr/κ,1)^α · max(Scr/κ,1)^−1.2 · 0.9938^age · 1.012[F].
 *  - female, 50 y, Scr 0.7 (= κ): 142 · 0.9938^50 · 1.012 = 142 · 0.73273 · 1.012 = 105.30
 *  - male, 60 y, Scr 1.2: 142 · (1.2/0.9)^−1.2 · 0.9938^60 = 142 · 0.70809 · 0.68856 = 69.23
 *  - female, 40 y, Scr 0.5: 142 · (0.5/0.7)^−0.241 · 0.9938^40 · 1.012 = 142 · 1.08454 · 0.77984 · 1.012 = 121.52
 */
describe('CKD-EPI 2021', () => {
  it('reproduces hand-computed values', () => {
    expect(ckdEpi2021(0.7, 50, 'female')).toBeCloseTo(105.3, 1);
    expect(ckdEpi2021(1.2, 60, 'male')).toBeCloseTo(69.23, 1);
    expect(ckdEpi2021(0.5, 40, 'female')).toBeCloseTo(121.52, 1);
  });
});

const EGFR = spec(
  {
    source: 'derived',
    derivation: 'egfr-ckd-epi-2021',
    preferValueSet: 'loinc-egfr-ckd-epi-2021',
    lookbackDays: 365,
    staleAfterDays: 180,
  },
  { name: 'egfr', unit: 'mL/min/{1.73_m2}', range: { min: 15, max: 140, outside: 'clamp' } },
);
const BMI = spec(
  {
    source: 'derived',
    derivation: 'bmi-from-height-weight',
    preferValueSet: 'loinc-bmi',
    lookbackDays: 730,
    staleAfterDays: 365,
  },
  { name: 'bmi', unit: 'kg/m2' },
);
const run = (s: InputSpec, resources: Parameters<typeof extractInputs>[1]) =>
  extractInputs([s], resources, ctx()).provenance[s.name]!;
// Born 1975-01-01 → 50 on NOW (2025-01-01).
const woman50 = aPatient({ birthDate: '1975-01-01', gender: 'female' });

describe('derived eGFR', () => {
  it('prefers a reported CKD-EPI 2021 eGFR', () => {
    const egfr = anObservation({
      loinc: '98979-8',
      value: 72,
      unit: 'mL/min/{1.73_m2}',
      date: daysAgo(5),
      id: 'e',
    });
    const scr = anObservation({ loinc: '2160-0', value: 0.7, unit: 'mg/dL', date: daysAgo(1) });
    expect(run(EGFR, [woman50, egfr, scr])).toMatchObject({ value: 72, source: 'Observation/e', flags: [] });
  });

  it('computes from µmol/L creatinine, flagged derived, sourced to the creatinine', () => {
    const scr = anObservation({
      loinc: '14682-9',
      value: 61.88,
      unitText: 'µmol/L',
      date: daysAgo(3),
      id: 'scr',
    }); // 0.7 mg/dL
    const p = run(EGFR, [woman50, scr]);
    expect(p.value).toBeCloseTo(105.3, 0);
    expect(p).toMatchObject({ source: 'Observation/scr', flags: ['derived'] });
    expect(p.note).toMatch(/CKD-EPI 2021 from creatinine 0\.70 mg\/dL, age 50, female/);
  });

  it('computes from creatinine when the reported eGFR is only a bound (">60")', () => {
    const bound = anObservation({
      loinc: '98979-8',
      value: 60,
      comparator: '>',
      unit: 'mL/min/{1.73_m2}',
      date: daysAgo(1),
    });
    const scr = anObservation({ loinc: '2160-0', value: 0.7, unit: 'mg/dL', date: daysAgo(1) });
    expect(run(EGFR, [woman50, bound, scr]).value).toBeCloseTo(105.3, 0);
  });

  it('is missing without sex, and carries stale from the creatinine', () => {
    const scr = anObservation({ loinc: '2160-0', value: 0.7, unit: 'mg/dL', date: daysAgo(200) });
    expect(run(EGFR, [aPatient({ birthDate: '1975-01-01', gender: 'unknown' }), scr]).value).toBeNull();
    expect(run(EGFR, [woman50, scr]).flags).toEqual(['derived', 'stale']);
  });
});

describe('derived BMI', () => {
  it('computes weight / height² from cm and kg', () => {
    const h = anObservation({ loinc: '8302-2', value: 175, unit: 'cm', date: daysAgo(100) });
    const w = anObservation({ loinc: '29463-7', value: 80, unit: 'kg', date: daysAgo(10) });
    const p = run(BMI, [h, w]);
    expect(p.value).toBeCloseTo(80 / 1.75 ** 2, 3);
    expect(p.flags).toEqual(['derived']);
    expect(p.date).toBe(daysAgo(100));
  });

  it('prefers a reported BMI', () => {
    const b = anObservation({ loinc: '39156-5', value: 31.2, unit: 'kg/m2', date: daysAgo(10) });
    expect(run(BMI, [b]).value).toBe(31.2);
  });
});

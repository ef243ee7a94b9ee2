/**
 * LDL-C calculated by Augur (Sampson/NIH, Sampson M et al. JAMA Cardiol 2020;5(5):540–548,
 * doi:10.1001/jamacardio.2020.0013) when the lab reported none.
 *
 * No worked example with numbers could be found for the paper or the NIH online calculator in the
 * sources searched, so the expected values are computed by hand from the cited formula
 *   LDL-C = TC/0.948 − HDL-C/0.971 − (TG/8.56 + TG·(TC − HDL-C)/2140 − TG²/16100) − 9.44   (mg/dL)
 * with each step written out below (and cross-checked in a separate Python calculation).
 */
import { describe, expect, it } from 'vitest';
import { extractInputs } from '../../src/features/extract.js';
import { LDL_SAMPSON, sampsonLdl } from '../../src/features/ldl-sampson.js';
import type { FhirResource } from '../../src/features/types.js';
import { anObservation, aPatient } from '../support/fhir-builders.js';
import { ctx, daysAgo, spec } from './helpers.js';

describe('the Sampson/NIH equation (by hand from the cited formula)', () => {
  it.each([
    // 240/0.948 = 253.1646; 38/0.971 = 39.1349; 180/8.56 = 21.0280; 180·202/2140 = 16.9907;
    // 180²/16100 = 2.0124 → 253.1646 − 39.1349 − (21.0280 + 16.9907 − 2.0124) − 9.44 = 168.5834
    [240, 38, 180, 168.5834],
    // 210.9705 − 51.4933 − (17.5234 + 10.5140 − 1.3975) − 9.44 = 123.3973
    [200, 50, 150, 123.3973],
    // Goff's example lipids (TC 213, HDL 50) with TG 100: 224.6835 − 51.4933 − (11.6822 + 7.6168 − 0.6211) − 9.44 = 145.0723
    [213, 50, 100, 145.0723],
    // At the validity limit, TG 800: 316.4557 − 30.8960 − (93.4579 + 100.9346 − 39.7516) − 9.44 = 121.4787
    [300, 30, 800, 121.4787],
  ])('TC %d, HDL-C %d, TG %d → %f mg/dL', (tc, hdl, tg, expected) => {
    expect(sampsonLdl(tc, hdl, tg)).toBeCloseTo(expected, 3);
  });

  it('TG above 800 mg/dL: no calculation (outside the validated range)', () => {
    expect(LDL_SAMPSON.maxTriglyceridesMgDl).toBe(800);
    expect(sampsonLdl(300, 30, 801)).toBeUndefined();
  });

  it('the data file carries the citation, the flag label and the calculated-LDL LOINC code', () => {
    expect(LDL_SAMPSON.citation.doi).toBe('10.1001/jamacardio.2020.0013');
    expect(LDL_SAMPSON.flagLabel).toBe('calculated by Augur (Sampson/NIH)');
    expect(LDL_SAMPSON.output.code).toBe('13457-7');
    expect(LDL_SAMPSON.inputs.triglycerides.valueSet).toBe('loinc-triglycerides');
  });
});

const LDL = spec(
  {
    source: 'derived',
    derivation: 'ldl-sampson-nih',
    preferValueSet: 'loinc-ldl-cholesterol',
    molarMass: 386.65,
    lookbackDays: 1825,
    staleAfterDays: 365,
  },
  { name: 'ldl', unit: 'mg/dL', missing: { policy: 'model-handles', reason: 'no LDL-C' } },
);
const patient = aPatient({ id: 'p', birthDate: '1962-01-01', gender: 'male' });
const lab = (id: string, loinc: string, value: number, unit: string, days: number): FhirResource =>
  anObservation({ id, loinc, value, unit, date: daysAgo(days) });
const panel = (days = 20, tg: number | null = 180): FhirResource[] => [
  patient,
  lab('tc', '2093-3', 240, 'mg/dL', days),
  lab('hdl', '2085-9', 38, 'mg/dL', days),
  ...(tg === null ? [] : [lab('tg', '2571-8', tg, 'mg/dL', days)]),
];
const ldlOf = (resources: FhirResource[]) => extractInputs([LDL], resources, ctx()).provenance['ldl'];

describe('LDL-C input: the lab’s own always wins, else calculated by Augur', () => {
  it('no LDL-C reported, TC + HDL-C + TG from one draw: calculated, flagged, sourced and dated', () => {
    const p = ldlOf(panel());
    expect(p?.value).toBeCloseTo(168.5834, 3);
    expect(p?.unit).toBe('mg/dL');
    expect(p?.flags).toContain('derived');
    expect(p?.date).toBe(daysAgo(20));
    const day = daysAgo(20).slice(0, 10);
    expect(p?.note).toContain(
      `calculated by Augur (Sampson/NIH) from total cholesterol 240 mg/dL (Observation/tc, ${day}), HDL-C 38 mg/dL (Observation/hdl, ${day}), triglycerides 180 mg/dL (Observation/tg, ${day})`,
    );
  });

  it.each([
    ['direct', '18262-6'],
    ['the lab’s calculated', '13457-7'],
    ['unspecified', '2089-1'],
  ])('a %s LDL-C (%s) on file is used as reported, not recalculated', (_kind, loinc) => {
    const p = ldlOf([...panel(), lab('ldl', loinc, 150, 'mg/dL', 20)]);
    expect(p?.value).toBe(150);
    expect(p?.source).toBe('Observation/ldl');
    expect(p?.flags).not.toContain('derived');
  });

  it('no triglycerides: no value, and the note says what is missing', () => {
    const p = ldlOf(panel(20, null));
    expect(p?.value).toBeNull();
    expect(p?.note).toContain(
      'no LDL-C reported, and no triglycerides on file to calculate it (the Sampson/NIH equation needs total cholesterol, HDL-C and triglycerides)',
    );
  });

  it('triglycerides above 800 mg/dL: not calculated, and says why', () => {
    const p = ldlOf(panel(20, 950));
    expect(p?.value).toBeNull();
    expect(p?.note).toContain('triglycerides 950 mg/dL are above 800 mg/dL');
    expect(p?.note).toContain('a direct LDL-C is needed');
  });

  it('triglycerides in mmol/L are converted (× 88.57) before the calculation', () => {
    const resources = [...panel(20, null), lab('tg', '14927-8', 180 / 88.57, 'mmol/L', 20)];
    expect(ldlOf(resources)?.value).toBeCloseTo(168.5834, 2);
  });

  it('results more than the staleness window apart are not combined', () => {
    const resources = [...panel(20, null), lab('tg', '2571-8', 180, 'mg/dL', 20 + 400)];
    const p = ldlOf(resources);
    expect(p?.value).toBeNull();
    expect(p?.note).toContain('more than 365 days apart');
  });

  it('an old panel (all three 500 days ago): calculated and stale, dated by the draw', () => {
    const p = ldlOf(panel(500));
    expect(p?.value).toBeCloseTo(168.5834, 3);
    expect(p?.flags).toEqual(expect.arrayContaining(['derived', 'stale']));
  });
});

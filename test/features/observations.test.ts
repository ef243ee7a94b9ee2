import { describe, expect, it } from 'vitest';
import { extractInputs } from '../../src/features/extract.js';
import { aBloodPressure, anObservation } from '../support/fhir-builders.js';
import { ctx, daysAgo, spec, TC_SPEC } from './helpers.js';

const tc = (value: number, days: number, extra: Parameters<typeof anObservation>[0] = {}) =>
  anObservation({ loinc: '2093-3', value, unit: 'mg/dL', date: daysAgo(days), ...extra });

const run = (resources: Parameters<typeof extractInputs>[1], s = TC_SPEC) =>
  extractInputs([s], resources, ctx()).provenance[s.name]!;

describe('quantity observations', () => {
  it('takes the most recent value in the lookback and reports its date and source', () => {
    const p = run([tc(180, 100, { id: 'old' }), tc(210, 10, { id: 'new' }), tc(190, 50, { id: 'mid' })]);
    expect(p).toMatchObject({
      value: 210,
      unit: 'mg/dL',
      source: 'Observation/new',
      date: daysAgo(10),
      flags: [],
    });
  });

  it('includes a result exactly at the lookback boundary and excludes one a day older', () => {
    expect(run([tc(200, 365)]).value).toBe(200);
    const p = run([tc(200, 366)]);
    expect(p).toMatchObject({ value: null, flags: ['missing'] });
    expect(p.note).toMatch(/older than the 365-day lookback/);
  });

  it('flags stale only past staleAfterDays', () => {
    expect(run([tc(200, 180)]).flags).toEqual([]);
    const p = run([tc(200, 181)]);
    expect(p.flags).toEqual(['stale']);
    expect(p.value).toBe(200);
  });

  it('uses only final/amended/corrected results (entered-in-error and preliminary are excluded)', () => {
    const p = run([
      tc(300, 1, { status: 'entered-in-error', id: 'eie' }),
      tc(250, 2, { status: 'preliminary' }),
      tc(205, 3, { status: 'amended', id: 'ok' }),
    ]);
    expect(p).toMatchObject({ value: 205, source: 'Observation/ok' });
  });

  it('dates by effectivePeriod.end or issued when there is no effectiveDateTime', () => {
    expect(run([tc(199, 0, { effectivePeriodEnd: daysAgo(5) }), tc(180, 9)]).value).toBe(199);
    expect(run([tc(201, 0, { issued: daysAgo(4) }), tc(180, 9)]).value).toBe(201);
  });

  it('a direct and a calculated LDL-C with the same time: the direct assay wins, in either order', () => {
    const LDL = spec(
      {
        source: 'observation',
        valueSet: 'loinc-ldl-cholesterol',
        unit: 'mg/dL',
        molarMass: 386.65,
        lookbackDays: 1825,
        staleAfterDays: 365,
      },
      { name: 'ldl', unit: 'mg/dL' },
    );
    const at = daysAgo(21);
    const calc = anObservation({ id: 'calc', loinc: '13457-7', value: 184, unit: 'mg/dL', date: at });
    const direct = anObservation({ id: 'direct', loinc: '18262-6', value: 196, unit: 'mg/dL', date: at });
    expect(run([calc, direct], LDL)).toMatchObject({ value: 196, source: 'Observation/direct' });
    expect(run([direct, calc], LDL)).toMatchObject({ value: 196, source: 'Observation/direct' });
    // A later calculated result still wins over an earlier direct one: time first, then the code's rank.
    const later = anObservation({
      id: 'later',
      loinc: '13457-7',
      value: 150,
      unit: 'mg/dL',
      date: daysAgo(2),
    });
    expect(run([direct, later], LDL)).toMatchObject({ value: 150, source: 'Observation/later' });
  });

  it('reads LDL-C reported in mmol/L under its molar LOINC codes (22748-8, 39469-2, 69419-0)', () => {
    const LDL = spec(
      {
        source: 'observation',
        valueSet: 'loinc-ldl-cholesterol',
        unit: 'mg/dL',
        molarMass: 386.65,
        lookbackDays: 1825,
        staleAfterDays: 365,
      },
      { name: 'ldl', unit: 'mg/dL' },
    );
    for (const code of ['22748-8', '39469-2', '69419-0']) {
      const p = run([anObservation({ loinc: code, value: 3.36, unit: 'mmol/L', date: daysAgo(5) })], LDL);
      expect(p.value).toBeCloseTo(3.36 * 38.665, 1);
    }
  });

  it('converts mmol/L cholesterol to mg/dL', () => {
    const p = run([anObservation({ loinc: '14647-2', value: 5.2, unit: 'mmol/L', date: daysAgo(1) })]);
    expect(p.value).toBeCloseTo(5.2 * 38.665, 1);
  });

  it('does not use a value in an unknown unit: flags it and falls back to an older usable one', () => {
    const p = run([tc(5.2, 1, { unit: 'banana', id: 'bad' }), tc(190, 30, { id: 'good' })]);
    expect(p).toMatchObject({ value: 190, source: 'Observation/good', flags: ['unit-unknown'] });
    expect(p.note).toMatch(/Observation\/bad.*banana/);
    expect(run([tc(5.2, 1, { unit: 'banana' })])).toMatchObject({
      value: null,
      flags: ['unit-unknown', 'missing'],
    });
  });

  it('flags out-of-range but keeps the value', () => {
    expect(run([tc(400, 1)])).toMatchObject({ value: 400, flags: ['out-of-range'] });
  });

  it('averages the latest three with mean-latest-3', () => {
    const s = spec(
      {
        source: 'observation',
        valueSet: 'loinc-systolic-bp',
        unit: 'mm[Hg]',
        lookbackDays: 365,
        staleAfterDays: 365,
        aggregate: 'mean-latest-3',
      },
      { name: 'sbp', unit: 'mm[Hg]' },
    );
    const sbp = (v: number, d: number) =>
      anObservation({ loinc: '8480-6', value: v, unit: 'mm[Hg]', date: daysAgo(d) });
    const p = run([sbp(120, 1), sbp(130, 2), sbp(140, 3), sbp(200, 4)], s);
    expect(p.value).toBe(130);
    expect(p.note).toMatch(/mean of the latest 3/);
  });

  it('notes a comparator-bounded result', () => {
    expect(run([tc(130, 1, { comparator: '<' })]).note).toMatch(/reported as <130/);
  });
});

describe('blood pressure panel components', () => {
  const SBP = spec(
    {
      source: 'observation',
      valueSet: 'loinc-bp-panel',
      componentValueSet: 'loinc-systolic-bp',
      unit: 'mm[Hg]',
      lookbackDays: 365,
      staleAfterDays: 180,
    },
    { name: 'sbp', unit: 'mm[Hg]' },
  );
  const SBP_ANY = spec(
    {
      source: 'observation',
      valueSet: 'loinc-systolic-bp',
      unit: 'mm[Hg]',
      lookbackDays: 365,
      staleAfterDays: 180,
    },
    { name: 'sbp', unit: 'mm[Hg]' },
  );

  it('reads systolic from the panel component (not the diastolic)', () => {
    const p = run([aBloodPressure({ systolic: 142, diastolic: 88, date: daysAgo(3), id: 'bp' })], SBP);
    expect(p).toMatchObject({ value: 142, source: 'Observation/bp' });
    expect(
      run([aBloodPressure({ systolic: 142, diastolic: 88, panel: '55284-4', date: daysAgo(2) })], SBP_ANY)
        .value,
    ).toBe(142);
  });

  it('also accepts a standalone 8480-6 observation, whichever is newer', () => {
    const standalone = anObservation({ loinc: '8480-6', value: 150, unit: 'mm[Hg]', date: daysAgo(1) });
    expect(
      run([aBloodPressure({ systolic: 142, diastolic: 88, date: daysAgo(3) }), standalone], SBP).value,
    ).toBe(150);
  });

  it('ignores components of observations that are not BP panels when a panel value set is given', () => {
    const other = anObservation({
      loinc: '1234-5',
      component: aBloodPressure({ systolic: 1, diastolic: 1 }).component!,
      date: daysAgo(1),
    });
    expect(run([other], SBP).value).toBeNull();
  });
});

describe('unitless counts', () => {
  it('reads valueInteger for a dimensionless target', () => {
    const s = spec(
      {
        source: 'observation',
        valueSet: 'loinc-pregnancies-count',
        unit: '1',
        lookbackDays: 3650,
        staleAfterDays: 3650,
      },
      { name: 'n', unit: '1' },
    );
    const o = anObservation({ loinc: '11996-6', date: daysAgo(10) });
    o.valueInteger = 2;
    expect(run([o], s).value).toBe(2);
  });

  it('converts UACR mg/mmol → mg/g only when the binding gives creatinine’s molar mass (×8.84)', () => {
    const base = {
      source: 'observation',
      valueSet: 'loinc-uacr',
      unit: 'mg/g',
      lookbackDays: 730,
      staleAfterDays: 365,
    } as const;
    const uacr = anObservation({ loinc: '9318-7', value: 3, unit: 'mg/mmol', date: daysAgo(5) });
    expect(run([uacr], spec({ ...base, molarMass: 113.12 }, { name: 'u', unit: 'mg/g' })).value).toBeCloseTo(
      26.52,
      2,
    );
    expect(run([uacr], spec(base, { name: 'u', unit: 'mg/g' })).flags).toEqual(['unit-unknown', 'missing']);
  });
});

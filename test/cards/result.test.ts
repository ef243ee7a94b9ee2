import { describe, expect, it } from 'vitest';
import { newResultId, undatedDemographics, withoutBirthDate } from '../../src/cards/result.js';
import type { ModelRun } from '../../src/cards/run-model.js';

describe('stored results', () => {
  it('ids are 128 random bits, URL-safe, and do not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, newResultId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('hold no birth date: Patient-sourced inputs keep value and source, lose date and note', () => {
    const inputs = {
      age_years: {
        value: 67,
        unit: 'a',
        date: '1958-03-02',
        source: 'Patient/p1',
        flags: [],
        note: 'birthDate 1958-03',
      },
      sex: { value: 'male', source: 'Patient/p1', flags: [] },
      sbp: { value: 142, unit: 'mm[Hg]', date: '2026-10-01', source: 'Observation/bp', flags: [] },
    };
    expect(undatedDemographics(inputs)).toEqual({
      age_years: { value: 67, unit: 'a', source: 'Patient/p1', flags: [] },
      sex: { value: 'male', source: 'Patient/p1', flags: [] },
      sbp: inputs.sbp,
    });
    const run = {
      status: 'insufficient-data',
      model: { id: 'm', version: '1.0.0', name: 'm', citations: [] },
      reason: 'r',
      missing: [],
      inputs,
    } satisfies ModelRun;
    expect(JSON.stringify(withoutBirthDate(run))).not.toContain('1958');
  });
});

/**
 * The committed panel is exactly what `npm run patients` writes for its as-of date (so the index and
 * the files never drift from tools/panel/), and the generator's date arithmetic holds: ages exact at
 * as-of and far from a birthday, every date a whole-day shift can move without changing a meaning.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shiftDate, shiftDays, materialise } from '../../cli/patients/materialise.js';
import { Clock } from '../../tools/panel/clock.js';
import { panelFiles } from '../../tools/panel/files.js';
import { stableUuid } from '../../tools/panel/generate.js';
import { PANEL_DIR, readIndex } from './harness.js';

describe('examples/patients', () => {
  it('equals what npm run patients writes for its as-of date (run it after changing tools/panel/)', async () => {
    const files = await panelFiles(readIndex().asOf);
    const committed = readdirSync(PANEL_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(committed).toEqual([...files.keys()].sort());
    for (const [name, text] of files) expect(readFileSync(join(PANEL_DIR, name), 'utf8'), name).toBe(text);
  });

  it('gives every resource a stable, unique id and every entry a name-based fullUrl', async () => {
    const files = await panelFiles(readIndex().asOf);
    const seen = new Map<string, string>();
    for (const [name, text] of files) {
      if (name === 'index.json') continue;
      const bundle = JSON.parse(text) as {
        entry: { fullUrl: string; resource: { resourceType: string; id: string } }[];
      };
      for (const e of bundle.entry) {
        const ref = `${e.resource.resourceType}/${e.resource.id}`;
        expect(e.fullUrl).toBe(`urn:uuid:${stableUuid(ref)}`);
        if (ref !== 'Practitioner/augur-panel-clinician') {
          expect(seen.get(ref), `${ref} in ${name} and ${seen.get(ref) ?? ''}`).toBeUndefined();
          seen.set(ref, name);
        }
      }
    }
  });
});

describe('panel dates', () => {
  it('makes a patient exactly N years old at as-of, 100 days past a birthday', () => {
    const c = new Clock('2026-01-15');
    expect(c.birthDate(55)).toBe('1970-10-07');
    expect(c.ago(20)).toBe('2025-12-26T09:30:00Z');
    expect(c.dayAgo(0)).toBe('2026-01-15');
    expect(() => new Clock('15/01/2026')).toThrow(/not YYYY-MM-DD/);
  });

  it('shifts dates, dateTimes and instants by whole days, keeping time and zone; partial dates untouched', () => {
    expect(shiftDays('2026-01-15', new Date('2026-12-05T23:59:00Z'))).toBe(324);
    expect(shiftDays('2026-01-15', new Date('2026-01-14T00:00:00Z'))).toBe(-1);
    expect(shiftDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(shiftDate('2023-12-31T09:30:00+01:00', 1)).toBe('2024-01-01T09:30:00+01:00');
    expect(shiftDate('2025-01-10T15:00:00.000Z', -10)).toBe('2024-12-31T15:00:00.000Z');
    expect(shiftDate('2024', 10)).toBe('2024');
    expect(shiftDate('2024-05', 10)).toBe('2024-05');
  });

  it('moves only date elements of a resource, and copies', () => {
    const obs = {
      resourceType: 'Observation',
      id: '2024-01-01',
      effectiveDateTime: '2024-01-01T09:30:00Z',
      valueString: '2024-01-01',
      effectivePeriod: { start: '2024-01-01', end: '2024-01-02' },
    };
    const moved = materialise(obs, 2);
    expect(moved).toEqual({
      resourceType: 'Observation',
      id: '2024-01-01',
      effectiveDateTime: '2024-01-03T09:30:00Z',
      valueString: '2024-01-01',
      effectivePeriod: { start: '2024-01-03', end: '2024-01-04' },
    });
    expect(obs.effectiveDateTime).toBe('2024-01-01T09:30:00Z');
  });
});

import { describe, expect, it } from 'vitest';
import type { InputBinCount, ResultBinner } from '../../../src/store/types.js';
import { aResult } from '../builders.js';
import type { Engine } from '../engines.js';

/** A binner that counts each result's `payload.age` as bin "a<age>" for model m@1 (the store's part only). */
const byAge: ResultBinner = ({ payload, createdAt }) => {
  const age = (payload as { age?: number }).age;
  return age === undefined
    ? []
    : [
        {
          modelId: 'm',
          modelVersion: '1',
          input: 'age_years',
          day: createdAt.toISOString().slice(0, 10),
          bin: `a${String(age)}`,
          count: 1,
        },
      ];
};

export function inputBinsCases(engine: Engine): void {
  describe('input_bins (drift aggregates)', () => {
    it('bins each stored result once, oldest first in batches, summing counts per day and bin', async () => {
      const day1 = new Date('2030-01-06T10:00:00Z');
      const day2 = new Date('2030-01-07T10:00:00Z');
      const results = [
        aResult({ createdAt: day1, payload: { age: 50 } }),
        aResult({ createdAt: day1, payload: { age: 50 } }),
        aResult({ createdAt: day1, payload: { age: 60 } }),
        aResult({ createdAt: day2, payload: { age: 50 } }),
        aResult({ createdAt: day2, payload: {} }),
      ];
      await engine.store.recordCardsShown([], results);
      // Other cases' results are waiting too: drain them all, in batches of 2.
      let binned = 0;
      for (let n = -1; n !== 0; binned += n) n = await engine.store.binResults(2, byAge);
      expect(binned).toBeGreaterThanOrEqual(results.length);
      expect(await engine.store.binResults(10, byAge)).toBe(0);
      const bins = (await engine.store.inputBins(new Date('2030-01-01T00:00:00Z'))).filter(
        (b) => b.modelId === 'm',
      );
      const expected: InputBinCount[] = [
        { modelId: 'm', modelVersion: '1', input: 'age_years', day: '2030-01-06', bin: 'a50', count: 2 },
        { modelId: 'm', modelVersion: '1', input: 'age_years', day: '2030-01-06', bin: 'a60', count: 1 },
        { modelId: 'm', modelVersion: '1', input: 'age_years', day: '2030-01-07', bin: 'a50', count: 1 },
      ];
      expect(bins).toEqual(expected);
      expect(await engine.store.inputBins(new Date('2030-01-07T00:00:00Z'))).toEqual([expected[2]]);
    });

    it('adds to an existing count and rolls back the whole batch when binning fails', async () => {
      await engine.store.recordCardsShown(
        [],
        [aResult({ createdAt: new Date('2030-01-06T11:00:00Z'), payload: { age: 60 } })],
      );
      const failing: ResultBinner = () => {
        throw new Error('binner failed');
      };
      await expect(engine.store.binResults(10, failing)).rejects.toThrow('binner failed');
      expect(await engine.store.binResults(10, byAge)).toBe(1); // still waiting after the failure
      const a60 = (await engine.store.inputBins(new Date('2030-01-06T00:00:00Z'))).find(
        (b) => b.day === '2030-01-06' && b.bin === 'a60',
      );
      expect(a60?.count).toBe(2);
    });

    it('refuses a negative count', async () => {
      await engine.store.recordCardsShown([], [aResult({ payload: { age: 1 } })]);
      const negative: ResultBinner = (r) => byAge(r).map((c) => ({ ...c, count: -1 }));
      await expect(engine.store.binResults(10, negative)).rejects.toThrow();
    });
  });
}

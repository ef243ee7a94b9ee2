/** Reading the card data files (smart-launch/src/app/card-data.ts): bands, labels and model ids, on the real files and on edge cases. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bandOf, cardLabel, readCardData } from '../../../smart-launch/src/app/card-data.js';

const CARDS = join(import.meta.dirname, '..', '..', '..', 'cards');
const files = Object.fromEntries(
  readdirSync(CARDS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(CARDS, f), 'utf8')) as unknown]),
);

describe('readCardData on the real cards/*.json', () => {
  const data = readCardData(files);

  it('finds the cardiovascular bands and maps a risk to the card’s band', () => {
    const bands = data.bands.get('ascvd-pce-10y/risk_10y');
    expect(bands?.length).toBeGreaterThanOrEqual(3);
    const low = bandOf(data, 'ascvd-pce-10y', 'risk_10y', 0.02);
    const high = bandOf(data, 'ascvd-pce-10y', 'risk_10y', 0.25);
    expect(low).toBeDefined();
    expect(high).toBeDefined();
    expect(low?.id).not.toBe(high?.id);
    expect(bandOf(data, 'no-such-model', 'risk_10y', 0.1)).toBeUndefined();
  });

  it('reads per-model criteria labels and shared labels', () => {
    expect(cardLabel(data, 'cha2ds2-vasc', 'sex')).toBe('Female sex');
    expect(cardLabel(data, 'has-bled', 'systolic_bp_mm_hg')).toMatch(/hypertension/i);
    expect(cardLabel(data, 'kfre-4v', 'uacr_mg_g')).toBe('Urine ACR');
    expect(cardLabel(data, 'cha2ds2-vasc', 'no_such_input')).toBeUndefined();
  });

  it('names the models the files reference', () => {
    expect([...data.models].sort()).toEqual(
      ['ascvd-pce-10y', 'cha2ds2-vasc', 'has-bled', 'prevent-10y', 'prevent-30y'].sort(),
    );
  });
});

describe('readCardData edge cases', () => {
  it('skips malformed bands and non-string labels, finds nested entries', () => {
    const data = readCardData({
      'a.json': {
        deep: [{ modelId: 'm', output: 'o', bands: [{ id: 'b', label: 'B', indicator: 'info', min: 0 }] }],
        bad: { modelId: 'm2', output: 'o', bands: [{ id: 'x', label: 'X', indicator: 'loud' }] },
        labels: { a: 'A', n: 1 },
      },
    });
    expect(data.bands.get('m/o')?.map((b) => b.id)).toEqual(['b']);
    expect(data.bands.has('m2/o')).toBe(false);
    expect(data.labels.has('*')).toBe(false);
    expect([...data.models].sort()).toEqual(['m', 'm2']);
  });
});

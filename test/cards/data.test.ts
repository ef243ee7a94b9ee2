import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bandFor,
  bandsSchema,
  CardDataError,
  loadCardFile,
  placeholders,
  render,
  SourceSchema,
} from '../../src/cards/data.js';

const PCE_BANDS = [
  { id: 'low', label: 'low', max: 0.05, indicator: 'info' },
  { id: 'borderline', label: 'borderline', min: 0.05, max: 0.075, indicator: 'info' },
  { id: 'intermediate', label: 'intermediate', min: 0.075, max: 0.2, indicator: 'warning' },
  { id: 'high', label: 'high', min: 0.2, indicator: 'warning' },
];

describe('card data: bands', () => {
  it('bands are half-open [min, max): the boundary belongs to the upper band', () => {
    const bands = bandsSchema.parse(PCE_BANDS);
    expect(bandFor(bands, 0.0499).id).toBe('low');
    expect(bandFor(bands, 0.05).id).toBe('borderline');
    expect(bandFor(bands, 0.075).id).toBe('intermediate');
    expect(bandFor(bands, 0.2).id).toBe('high');
    expect(bandFor(bands, 0.99).id).toBe('high');
  });

  it('a gap, an overlap or a closed last band is refused, naming the band', () => {
    const gap = structuredClone(PCE_BANDS);
    gap[1] = { ...gap[1]!, max: 0.07 };
    const r = bandsSchema.safeParse(gap);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual([1, 'max']);
    const closed = structuredClone(PCE_BANDS);
    closed[3] = { ...closed[3]!, max: 1 };
    expect(bandsSchema.safeParse(closed).success).toBe(false);
  });
});

describe('card data: templates', () => {
  it('fills placeholders and lists them', () => {
    expect(render('10-yr ASCVD risk {risk} — {band} (PCE)', { risk: '14.2 %', band: 'intermediate' })).toBe(
      '10-yr ASCVD risk 14.2 % — intermediate (PCE)',
    );
    expect(placeholders('{a} and {b_c}')).toEqual(['a', 'b_c']);
  });

  it('a placeholder without a value is a data error, not a blank in a card', () => {
    expect(() => render('risk {risk}', {})).toThrow(CardDataError);
  });
});

describe('card data: files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'augur-cards-'));
  const schema = z.object({ source: SourceSchema }).strict();

  it('loads a valid file', () => {
    const file = join(dir, 'ok.json');
    const source = {
      label: 'ACC/AHA 2018',
      url: 'https://doi.org/10.1161/CIR.0000000000000625',
      topic: { system: 'http://snomed.info/sct', code: '395112001', display: 'Risk of heart disease' },
    };
    writeFileSync(file, JSON.stringify({ source }));
    expect(loadCardFile(file, schema)).toEqual({ source });
  });

  it('an invalid file names the file and the field', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ source: { label: 'x', url: 'not a url', topic: {} } }));
    expect(() => loadCardFile(file, schema)).toThrow(/bad\.json: source\.url/);
  });

  it('broken JSON names the file', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{');
    expect(() => loadCardFile(file, schema)).toThrow(/broken\.json/);
  });
});

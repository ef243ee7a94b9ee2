/** How the app words categorical outputs, output values and flags (smart-launch/src/app/format.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  codeLabel,
  flagText,
  formatOutput,
  inputLabel,
  signed,
  valueText,
} from '../../../smart-launch/src/app/format.js';
import type { ModelCard } from '../../../smart-launch/src/app/types.js';
import { FLAGS } from '../../../src/features/types.js';
import { builtInModels } from '../../support/services.js';

let models: ModelCard[];
beforeAll(async () => {
  models = (await builtInModels()).list().map((m) => m.manifest);
});
const output = (model: string, name: string) => {
  const o = models.find((m) => m.id === model)?.outputs.find((x) => x.name === name);
  if (o === undefined) throw new Error(`${model}/${name} not found`);
  return o;
};
const codeOutput = (model: string) => {
  const o = models.find((m) => m.id === model)?.outputs.find((x) => x.unit === 'code');
  if (o === undefined) throw new Error(`${model} has no code output`);
  return o;
};

describe('codeLabel: categorical outputs in words, from the manifests’ descriptions', () => {
  it('PREVENT variant codes', () => {
    const o = codeOutput('prevent-10y');
    expect([0, 1, 2, 3].map((v) => codeLabel(o, v))).toEqual([
      'base',
      '+UACR',
      '+HbA1c',
      'full (UACR and HbA1c)',
    ]);
  });

  it('IWPC algorithm codes ("1 = …, 0 = …")', () => {
    const o = codeOutput('iwpc-warfarin');
    expect(codeLabel(o, 1)).toBe('pharmacogenetic algorithm (VKORC1 and CYP2C9 known)');
    expect(codeLabel(o, 0)).toBe('clinical algorithm');
  });

  it('an unlisted code is shown as a code, not guessed', () => {
    expect(codeLabel(codeOutput('prevent-10y'), 7)).toBe('code 7');
    expect(codeLabel({ description: 'No list here.' }, 1)).toBe('code 1');
  });
});

describe('formatOutput, signed, valueText, inputLabel', () => {
  it('formats each output unit', () => {
    expect(formatOutput(output('ascvd-pce-10y', 'risk_10y'), 0.142)).toMatch(/^14\.2\s?%$/);
    expect(formatOutput(output('cha2ds2-vasc', 'score'), 1)).toBe('1 point');
    expect(formatOutput(output('cha2ds2-vasc', 'score'), 3)).toBe('3 points');
    expect(formatOutput({ unit: 'mg/wk' }, 35)).toBe('35 mg/week (5 mg/day)');
  });

  it('signs use a real minus and ± for zero', () => {
    expect([signed(1.234), signed(-0.5), signed(0)]).toEqual(['+1.2', '−0.5', '±0.0']);
  });

  it('values in words', () => {
    expect(valueText({ value: null })).toBe('not recorded');
    expect(valueText({ value: true })).toBe('yes');
    expect(valueText({ value: 'female' })).toBe('female');
  });

  it('an input label is the description’s first clause', () => {
    expect(
      inputLabel({ name: 'systolic_bp_mm_hg', description: 'Systolic blood pressure, mm Hg, latest.' }),
    ).toBe('Systolic blood pressure');
    expect(inputLabel({ name: 'x_y', description: '' })).toBe('x y');
  });
});

describe('flagText: every flag has a symbol and words (never colour alone)', () => {
  it.each(FLAGS.map((f) => [f]))('%s', (flag) => {
    const t = flagText(flag);
    expect(t.symbol.length).toBeGreaterThan(0);
    expect(t.words.length).toBeGreaterThan(2);
    expect(t.warning).toBe(flag !== 'derived');
  });
});

import { describe, expect, it } from 'vitest';
import { extractInputs } from '../../src/features/extract.js';
import { parseStarDiplotype, parseVkorc1 } from '../../src/features/genotype-parse.js';
import type { InputSpec } from '../../src/models/manifest.js';
import { aGenotype } from '../support/fhir-builders.js';
import { ctx, spec } from './helpers.js';

const UNKNOWN = {
  policy: 'default',
  value: 'unknown',
  reason: 'IWPC has an "unknown genotype" term',
} as const;
const CYP2C9 = spec(
  { source: 'genotype', gene: 'CYP2C9' },
  {
    name: 'cyp2c9',
    type: 'enum',
    values: ['*1/*1', '*1/*2', '*1/*3', '*2/*2', '*2/*3', '*3/*3', 'unknown'],
    missing: UNKNOWN,
  },
);
const VKORC1 = spec(
  { source: 'genotype', gene: 'VKORC1' },
  { name: 'vkorc1', type: 'enum', values: ['G/G', 'A/G', 'A/A', 'unknown'], missing: UNKNOWN },
);
const run = (s: InputSpec, resources: Parameters<typeof extractInputs>[1]) =>
  extractInputs([s], resources, ctx()).provenance[s.name]!;

describe('genotype parsing', () => {
  it('normalises star diplotypes and rejects what it cannot read', () => {
    expect(parseStarDiplotype('CYP2C9 *3/*1')).toBe('*1/*3');
    expect(parseStarDiplotype('CYP2C9*1/CYP2C9*2')).toBe('*1/*2');
    expect(parseStarDiplotype('*1/*3x2')).toBeUndefined();
    expect(parseStarDiplotype('*1')).toBeUndefined();
    expect(parseStarDiplotype('*1/*3 (see note)')).toBeUndefined();
  });

  it('reads VKORC1 −1639G>A in coding (G/A) or genomic (C/T) alleles', () => {
    expect(parseVkorc1('G/A')).toBe('A/G');
    expect(parseVkorc1('VKORC1 c.-1639G>A AA')).toBe('A/A');
    expect(parseVkorc1('rs9923231 C/T')).toBe('A/G');
    expect(parseVkorc1('rs9923231 T/T')).toBe('A/A');
    expect(parseVkorc1('CC')).toBe('G/G');
    expect(parseVkorc1('G/T')).toBeUndefined();
    expect(parseVkorc1('positive')).toBeUndefined();
  });
});

describe('genotype inputs', () => {
  it('reads the Genomics Reporting IG shape (84413-4, PharmVar value, HGNC gene component)', () => {
    const p = run(CYP2C9, [
      aGenotype({ shape: 'ig', gene: 'CYP2C9', value: 'CYP2C9 *3/*1', id: 'g', date: '2022-05-01' }),
    ]);
    expect(p).toMatchObject({ value: '*1/*3', source: 'Observation/g', date: '2022-05-01', flags: [] });
  });

  it('reads the legacy shape (SNOMED 363779003, valueString, gene component)', () => {
    expect(run(VKORC1, [aGenotype({ shape: 'legacy', gene: 'VKORC1', value: 'G/A' })]).value).toBe('A/G');
    expect(run(CYP2C9, [aGenotype({ shape: 'legacy', gene: 'CYP2C9', value: '*2/*2' })]).value).toBe('*2/*2');
  });

  it('does not take another gene’s result', () => {
    expect(run(CYP2C9, [aGenotype({ shape: 'ig', gene: 'CYP2C19', value: 'CYP2C19 *1/*2' })])).toMatchObject({
      value: 'unknown',
      flags: ['defaulted'],
    });
  });

  it('phenotype only: no diplotype, missing policy applies, the phenotype is named', () => {
    const p = run(CYP2C9, [
      aGenotype({
        shape: 'phenotype',
        loinc: '79716-7',
        answer: 'LA10317-8',
        display: 'Intermediate metabolizer',
      }),
    ]);
    expect(p).toMatchObject({ value: 'unknown', flags: ['defaulted'] });
    expect(p.note).toMatch(/intermediate metabolizer/);
  });

  it('uninterpretable: flagged, never a normal genotype', () => {
    const p = run(CYP2C9, [aGenotype({ shape: 'legacy', gene: 'CYP2C9', value: '*1/*3x2' })]);
    expect(p.value).toBe('unknown');
    expect(p.flags).toEqual(['uninterpretable', 'defaulted']);
    const strict = spec(
      { source: 'genotype', gene: 'VKORC1' },
      { name: 'v', type: 'enum', values: ['G/G', 'A/G', 'A/A'] },
    );
    expect(
      run(strict, [aGenotype({ shape: 'legacy', gene: 'VKORC1', value: 'heterozygous' })]),
    ).toMatchObject({ value: null, flags: ['uninterpretable', 'missing'] });
  });

  it('a diplotype outside the model’s categories is uninterpretable for that model', () => {
    const p = run(CYP2C9, [aGenotype({ shape: 'ig', gene: 'CYP2C9', value: 'CYP2C9 *1/*8' })]);
    expect(p).toMatchObject({ value: 'unknown', flags: ['uninterpretable', 'defaulted'] });
    expect(p.note).toMatch(/\*1\/\*8/);
  });

  it('ignores entered-in-error results; a newer unreadable one is flagged over an older valid one', () => {
    const eie = aGenotype({
      shape: 'ig',
      gene: 'CYP2C9',
      value: 'CYP2C9 *3/*3',
      status: 'entered-in-error',
      date: '2024-01-01',
    });
    const ok = aGenotype({ shape: 'ig', gene: 'CYP2C9', value: 'CYP2C9 *1/*1', date: '2020-01-01' });
    expect(run(CYP2C9, [eie, ok])).toMatchObject({ value: '*1/*1', flags: [] });
    const bad = aGenotype({ shape: 'legacy', gene: 'CYP2C9', value: '??', date: '2024-01-01' });
    expect(run(CYP2C9, [bad, ok])).toMatchObject({ value: '*1/*1', flags: ['uninterpretable'] });
  });
});

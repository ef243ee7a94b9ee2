/**
 * The guideline's boundaries in the shipped card data, checked on the pure rule matcher and the bands:
 * ages 40–75 and 20–75 inclusive, LDL-C 70 inclusive and 190 to the severe pathway, PCE band edges
 * [5 %, 7.5 %, 20 %) as the 2018 guideline writes them (≥ 5 to < 7.5, ≥ 7.5 to < 20, ≥ 20).
 */
import { describe, expect, it } from 'vitest';
import { bandFor } from '../../../src/cards/data.js';
import { matchRule } from '../../../src/services/cardiovascular/assess.js';
import { loadCardiovascularCards } from '../../../src/services/cardiovascular/card-data.js';
import { builtInValueSets } from '../../../src/services/deps.js';

const cards = loadCardiovascularCards(builtInValueSets());
const rule = (facts: Parameters<typeof matchRule>[1]): string | undefined =>
  matchRule(cards.statin.rules, facts)?.id;

describe('PCE bands', () => {
  it.each([
    [0.0499, 'low'],
    [0.05, 'borderline'],
    [0.0749, 'borderline'],
    [0.075, 'intermediate'],
    [0.1999, 'intermediate'],
    [0.2, 'high'],
  ])('%f → %s', (risk, band) => {
    expect(bandFor(cards.pce.bands, risk).id).toBe(band);
  });
});

describe('statin rules (first match wins)', () => {
  it('LDL-C ≥ 190 at 20–75, whatever else', () => {
    expect(rule({ age: 20, ldl: 190, diabetes: false })).toBe('severe-ldl');
    expect(rule({ age: 75, ldl: 250, diabetes: true, band: 'high' })).toBe('severe-ldl');
    expect(rule({ age: 76, ldl: 250, diabetes: false, band: 'high' })).toBeUndefined();
    expect(rule({ age: 50, ldl: 189.9, diabetes: false })).toBeUndefined();
  });

  it('diabetes at 40–75 with LDL-C ≥ 70; high intensity when the PCE band is high', () => {
    expect(rule({ age: 40, ldl: 70, diabetes: true, band: 'low' })).toBe('diabetes');
    expect(rule({ age: 75, ldl: 100, diabetes: true })).toBe('diabetes');
    expect(rule({ age: 60, ldl: 100, diabetes: true, band: 'high' })).toBe('diabetes-high-risk');
    expect(rule({ age: 39, ldl: 100, diabetes: true })).toBeUndefined();
    expect(rule({ age: 60, ldl: 69, diabetes: true })).toBeUndefined();
  });

  it('PCE intermediate / high at 40–75 with LDL-C 70–189', () => {
    expect(rule({ age: 60, ldl: 120, diabetes: false, band: 'intermediate' })).toBe('pce-intermediate');
    expect(rule({ age: 60, ldl: 120, diabetes: false, band: 'high' })).toBe('pce-high');
    expect(rule({ age: 60, ldl: 120, diabetes: false, band: 'borderline' })).toBeUndefined();
    expect(rule({ age: 76, ldl: 120, diabetes: false, band: 'high' })).toBeUndefined();
  });

  it('an unknown age or LDL-C matches no rule that needs it', () => {
    expect(rule({ ldl: 250, diabetes: false })).toBeUndefined();
    expect(rule({ age: 60, diabetes: true, band: 'high' })).toBeUndefined();
  });
});

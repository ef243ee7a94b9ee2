import { describe, expect, it } from 'vitest';
import {
  comparedWith,
  describeInput,
  formatNumber,
  inputFlags,
  makeCard,
  percent,
  smartLink,
  SUMMARY_MAX,
  topFactors,
} from '../../src/cards/build.js';
import type { ModelRun } from '../../src/cards/run-model.js';
import { responseViolations } from '../../src/cds/card-invariants.js';

const source = { label: 'Augur', url: 'https://example.org/guideline' };

describe('makeCard', () => {
  it('gives the card and each suggestion a fresh uuid and omits empty optional fields', () => {
    const card = makeCard({
      summary: 'x',
      indicator: 'info',
      source,
      suggestions: [
        {
          label: 'Order a lipid panel',
          actions: [
            {
              type: 'create',
              description: 'Order a lipid panel',
              resource: {
                resourceType: 'ServiceRequest',
                status: 'draft',
                intent: 'proposal',
                subject: { reference: 'Patient/p1' },
                code: { coding: [{ system: 'http://loinc.org', code: '57698-3' }] },
              },
            },
          ],
        },
      ],
      overrideReasons: [],
      links: [],
      detail: '',
    });
    expect(card.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(card.suggestions?.[0]?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(card.suggestions?.[0]?.uuid).not.toBe(card.uuid);
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card).not.toHaveProperty('overrideReasons');
    expect(card).not.toHaveProperty('links');
    expect(card).not.toHaveProperty('detail');
    expect(responseViolations({ cards: [card] })).toEqual([]);
  });

  it(`refuses a summary over ${String(SUMMARY_MAX)} characters (a card-data bug, not something to truncate)`, () => {
    expect(() => makeCard({ summary: 'x'.repeat(SUMMARY_MAX + 1), indicator: 'info', source })).toThrow(
      /140 characters/,
    );
    expect(() => makeCard({ summary: 'x'.repeat(SUMMARY_MAX), indicator: 'info', source })).not.toThrow();
  });
});

describe('smartLink', () => {
  it('carries only the opaque result id as appContext', () => {
    expect(smartLink('https://augur.test/smart-launch/launch.html', 'abc')).toEqual({
      label: 'Full explanation (Augur)',
      url: 'https://augur.test/smart-launch/launch.html',
      type: 'smart',
      appContext: 'abc',
    });
  });
});

describe('number and input wording', () => {
  it('percentages keep one decimal, two below 1 %', () => {
    expect(percent(0.1423)).toBe('14.2 %');
    expect(percent(0.2)).toBe('20.0 %');
    expect(percent(0.0042)).toBe('0.42 %');
  });

  it('numbers keep precision that matters at their scale', () => {
    expect(formatNumber(152)).toBe('152');
    expect(formatNumber(37.26)).toBe('37.3');
    expect(formatNumber(1.234)).toBe('1.23');
  });

  it('an input reads as value, display unit and date', () => {
    expect(describeInput({ value: 152, unit: 'mm[Hg]', date: '2026-10-01T09:00:00Z', flags: [] })).toBe(
      '152 mmHg (2026-10-01)',
    );
    expect(describeInput({ value: true, date: '2026-01-04', flags: [] })).toBe('yes (2026-01-04)');
    expect(describeInput({ value: null, flags: ['missing'] })).toBe('missing');
  });

  it('flags are spelt out per input; derived values are not flagged to the physician', () => {
    expect(
      inputFlags(
        {
          hdl: { value: 50, unit: 'mg/dL', date: '2021-01-01', flags: ['stale'] },
          egfr: { value: 80, flags: ['derived'] },
          bmi: { value: 25, flags: ['defaulted'] },
        },
        { hdl: 'HDL cholesterol', bmi: 'BMI' },
      ),
    ).toEqual(['HDL cholesterol: stale (2021-01-01)', 'BMI: not recorded — default used']);
  });
});

describe('wording fixes found by the cardiovascular cards', () => {
  const run: Extract<ModelRun, { status: 'ok' }> = {
    status: 'ok',
    model: { id: 'm', version: '1.0.0', name: 'M', citations: [{ text: 'A. B.' }] },
    inputs: {
      age_years: { value: 60, unit: 'a', date: '1966-05-15', source: 'Patient/p1', flags: [] },
      systolic_bp_mm_hg: {
        value: 140,
        unit: 'mm[Hg]',
        date: '2026-09-01',
        source: 'Observation/bp1',
        flags: [],
      },
    },
    outputs: { risk: 0.123 },
    explanation: {
      method: 'shapley-exact',
      reference: { description: 'ref', label: 'a reference patient', rationale: 'ref', values: {} },
      scales: [
        {
          output: 'risk',
          unit: 'fraction',
          additiveScale: 'log-odds',
          transform: 'ln(p / (1 − p))',
          value: -1.9,
          reference: -2.1,
          referenceOutput: 0.114,
          valueOutput: 0.123,
        },
      ],
      notes: [],
      contributions: [
        // The explanation's probabilityPoints are already percentage points (share × 100).
        {
          input: 'age_years',
          value: 60,
          referenceValue: 55,
          contribution: { risk: 0.5 },
          probabilityPoints: { risk: 2.514 },
        },
        {
          input: 'systolic_bp_mm_hg',
          value: 140,
          referenceValue: 120,
          contribution: { risk: -0.3 },
          probabilityPoints: { risk: -1.615 },
        },
      ],
    },
    warnings: [],
  };

  it('topFactors: "adds / removes N percentage points", as given (not × 100 again), under the named reference', () => {
    expect(comparedWith(run, 'risk')).toBe('compared with a reference patient (11.4 %)');
    expect(topFactors(run, 'risk', { age_years: 'Age', systolic_bp_mm_hg: 'Systolic BP' })).toEqual([
      'Age 60 y: adds 2.5 percentage points',
      'Systolic BP 140 mmHg (2026-09-01): removes 1.6 percentage points',
    ]);
  });

  it('a Patient-sourced input (age) does not show the birth date as its date', () => {
    expect(describeInput({ value: 60, unit: 'a', date: '1966-05-15', source: 'Patient/p1', flags: [] })).toBe(
      '60 y',
    );
    expect(
      describeInput({ value: 5.1, unit: '%', date: '2026-02-03', source: 'Observation/a1c', flags: [] }),
    ).toBe('5.1 % (2026-02-03)');
  });
});

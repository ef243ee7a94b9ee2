/**
 * Trend series (smart-launch/src/app/trends.ts): every dated result of a key input, in the model's unit,
 * oldest first, one series per measurement however many models read it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { trendAxes, trendSeries } from '../../../smart-launch/src/app/trends.js';
import type { ModelCard } from '../../../smart-launch/src/app/types.js';
import { aBloodPressure, anObservation } from '../../support/fhir-builders.js';
import { builtInModels } from '../../support/services.js';
import { NOW, VALUE_SETS } from '../../features/helpers.js';

let models: ModelCard[];
beforeAll(async () => {
  models = (await builtInModels()).list().map((m) => m.manifest);
});

describe('trendSeries', () => {
  it('systolic BP: every reading from the panels, oldest first, with its source', () => {
    const series = trendSeries(
      models,
      [
        aBloodPressure({ id: 'bp2', systolic: 148, diastolic: 86, date: '2024-10-01' }),
        aBloodPressure({ id: 'bp1', systolic: 152, diastolic: 90, date: '2023-11-01' }),
        aBloodPressure({ id: 'bp3', systolic: 139, diastolic: 84, date: '2024-12-01' }),
      ],
      VALUE_SETS,
      NOW,
    );
    const sbp = series.filter((s) => s.input === 'systolic_bp_mm_hg');
    expect(sbp).toHaveLength(1);
    expect(sbp[0]?.points.map((p) => [p.value, p.source])).toEqual([
      [152, 'Observation/bp1'],
      [148, 'Observation/bp2'],
      [139, 'Observation/bp3'],
    ]);
    expect(sbp[0]?.points.map((p) => p.time)).toEqual(
      [...(sbp[0]?.points.map((p) => p.time) ?? [])].sort((a, b) => a - b),
    );
    expect(sbp[0]?.unit).toBe('mm[Hg]');
  });

  it('total cholesterol reported in mmol/L is converted to the model’s mg/dL', () => {
    const series = trendSeries(
      models,
      [
        anObservation({ id: 'tc1', loinc: '2093-3', value: 238, unit: 'mg/dL', date: '2024-05-10' }),
        anObservation({ id: 'tc2', loinc: '2093-3', value: 5, unit: 'mmol/L', date: '2024-08-10' }),
      ],
      VALUE_SETS,
      NOW,
    );
    const tc = series.find((s) => s.input === 'total_cholesterol_mg_dl');
    expect(tc?.unit).toBe('mg/dL');
    expect(tc?.points[0]?.value).toBe(238);
    expect(tc?.points[1]?.value).toBeCloseTo(193.3, 0);
  });

  it('no numeric results: no series; results with an unconvertible unit are left out', () => {
    expect(trendSeries(models, [], VALUE_SETS, NOW)).toEqual([]);
    const series = trendSeries(
      models,
      [anObservation({ loinc: '2093-3', value: 7, unit: 'kg', date: '2024-05-10' })],
      VALUE_SETS,
      NOW,
    );
    expect(series.find((s) => s.input === 'total_cholesterol_mg_dl')).toBeUndefined();
  });

  it('keeps the lab reference range, converted to the series unit', () => {
    const hdl = anObservation({ id: 'h1', loinc: '2085-9', value: 1.1, unit: 'mmol/L', date: '2024-06-01' });
    hdl.referenceRange = [
      { low: { value: 1.0, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' } },
    ];
    const series = trendSeries(models, [hdl], VALUE_SETS, NOW).find(
      (s) => s.input === 'hdl_cholesterol_mg_dl',
    );
    expect(series?.referenceRange?.low).toBeCloseTo(38.67, 1);
    expect(series?.referenceRange?.high).toBeUndefined();
  });
});

describe('trendAxes', () => {
  const at = (iso: string, value: number) => ({ date: iso, time: Date.parse(iso), value, source: undefined });
  it('147–153 mmHg is drawn on an axis at least a third of its magnitude wide, ending today', () => {
    const axes = trendAxes({ points: [at('2024-01-01', 147), at('2024-06-01', 153)] }, NOW);
    expect(axes.yMax - axes.yMin).toBeGreaterThanOrEqual(50);
    expect(axes.yMin).toBeLessThanOrEqual(147);
    expect(axes.yMax).toBeGreaterThanOrEqual(153);
    expect(axes.yMin).toBeGreaterThanOrEqual(0);
    expect(axes.xMax).toBe(NOW.getTime());
    expect(axes.xMin).toBeLessThan(Date.parse('2024-01-01'));
  });
  it('includes the reference range, never below zero for positive values', () => {
    const axes = trendAxes(
      { points: [at('2024-01-01', 3), at('2024-06-01', 4)], referenceRange: { low: 0.5, high: 12 } },
      NOW,
    );
    expect(axes.yMin).toBe(0);
    expect(axes.yMax).toBeGreaterThanOrEqual(12);
  });
});

/**
 * Series of the key numeric inputs over time, from the same observations the models read (every
 * usable, dated result converted to the model's unit — not only the latest inside the lookback).
 */
import { datedObservations, quantityFor } from '../../../src/features/observations.js';
import { DERIVATION_VALUE_SETS } from '../../../src/features/derived.js';
import type { FhirResource } from '../../../src/features/types.js';
import { convertQuantity } from '../../../src/features/units.js';
import { getValueSet, type ValueSetIndex } from '../../../src/features/valuesets.js';
import type { InputSpec } from '../../../src/models/manifest.js';
import type { ObservationReferenceRange, Quantity } from 'fhir/r4.js';
import type { ModelCard } from './types.js';

export interface Point {
  date: string;
  time: number;
  value: number;
  source: string | undefined;
}

/** The lab's reference range for the series (the latest result that states one), in the series' unit. */
export interface RefRange {
  low?: number;
  high?: number;
}

export interface Series {
  key: string;
  referenceRange?: RefRange;
  /** The model input this follows (its first appearance); `null` for body weight behind a BMI. */
  input: string | null;
  model: ModelCard;
  unit: string;
  points: Point[];
}

interface SeriesSpec {
  valueSet: string;
  componentValueSet?: string | undefined;
  unit: string;
  molarMass?: number | undefined;
}

function seriesSpec(input: InputSpec): SeriesSpec | undefined {
  const b = input.fhir;
  if (b.source === 'observation')
    return {
      valueSet: b.valueSet,
      componentValueSet: b.componentValueSet,
      unit: b.unit,
      molarMass: b.molarMass,
    };
  if (b.source === 'derived' && b.derivation === 'egfr-ckd-epi-2021')
    return b.preferValueSet === undefined
      ? undefined
      : { valueSet: b.preferValueSet, unit: input.unit ?? 'mL/min/{1.73_m2}' };
  if (b.source === 'derived' && b.derivation === 'bmi-from-height-weight')
    return { valueSet: DERIVATION_VALUE_SETS.weight, unit: 'kg' };
  return undefined;
}

function rangeOf(
  ranges: readonly ObservationReferenceRange[] | undefined,
  spec: SeriesSpec,
): RefRange | undefined {
  for (const r of ranges ?? []) {
    const conv = (q: Quantity | undefined): number | undefined => {
      if (q?.value === undefined) return undefined;
      const c = convertQuantity(q, spec.unit, spec.molarMass);
      return c.ok ? c.value : undefined;
    };
    const low = conv(r.low);
    const high = conv(r.high);
    if (low === undefined && high === undefined) continue;
    return { ...(low === undefined ? {} : { low }), ...(high === undefined ? {} : { high }) };
  }
  return undefined;
}

export interface TrendAxes {
  yMin: number;
  yMax: number;
  xMin: number;
  /** Today: the axis ends now, not at the next round date. */
  xMax: number;
}

/** A "nice" step (1, 2, 5 × 10ⁿ) for a span. */
function niceStep(span: number): number {
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow;
}

/**
 * Axes that do not exaggerate: the y axis spans at least a third of the values' magnitude (147–153
 * mmHg is drawn on about 100–200, so a 6 mmHg wobble looks like one), includes the reference range,
 * starts at a round number and never below zero for a positive quantity; the x axis runs from the
 * first result to today.
 */
export function trendAxes(s: Pick<Series, 'points' | 'referenceRange'>, now: Date): TrendAxes {
  const values = [
    ...s.points.map((p) => p.value),
    ...(s.referenceRange?.low === undefined ? [] : [s.referenceRange.low]),
    ...(s.referenceRange?.high === undefined ? [] : [s.referenceRange.high]),
  ];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const mid = (lo + hi) / 2;
  const span = Math.max(hi - lo, Math.abs(mid) / 3, 1e-9);
  const step = niceStep(span);
  let yMin = Math.floor((mid - span * 0.6) / step) * step;
  let yMax = Math.ceil((mid + span * 0.6) / step) * step;
  if (lo >= 0 && yMin < 0) {
    yMax -= yMin;
    yMin = 0;
  }
  const times = s.points.map((p) => p.time);
  const xMax = Math.max(now.getTime(), ...times);
  const first = Math.min(...times);
  // A little room before the first result so its dot is not on the axis.
  const xMin = first - Math.max((xMax - first) * 0.03, 86_400_000);
  return { yMin, yMax, xMin, xMax };
}

export function trendSeries(
  models: readonly ModelCard[],
  resources: readonly FhirResource[],
  index: ValueSetIndex,
  now: Date,
): Series[] {
  const out = new Map<string, Series>();
  for (const model of models) {
    for (const input of model.inputs) {
      const spec = seriesSpec(input);
      if (spec === undefined) continue;
      const key = `${spec.componentValueSet ?? spec.valueSet}|${spec.unit}`;
      if (out.has(key)) continue;
      const target = getValueSet(index, spec.componentValueSet ?? spec.valueSet);
      const panel = spec.componentValueSet === undefined ? undefined : getValueSet(index, spec.valueSet);
      const dated = datedObservations(resources, now, (o) => quantityFor(o, target, panel));
      const referenceRange = dated
        .map((d) => rangeOf(d.item.component?.referenceRange ?? d.observation.referenceRange, spec))
        .find((r) => r !== undefined);
      const points = dated.flatMap((d) => {
        const c = convertQuantity(d.item.quantity, spec.unit, spec.molarMass);
        return c.ok
          ? [
              {
                date: d.dateText,
                time: d.date.getTime(),
                value: c.value,
                source: d.observation.id === undefined ? undefined : `Observation/${d.observation.id}`,
              },
            ]
          : [];
      });
      if (points.length === 0) continue;
      out.set(key, {
        key,
        input:
          input.fhir.source === 'derived' && input.fhir.derivation === 'bmi-from-height-weight'
            ? null
            : input.name,
        model,
        unit: spec.unit,
        points: points.reverse(),
        ...(referenceRange === undefined ? {} : { referenceRange }),
      });
    }
  }
  return [...out.values()];
}

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
import type { ModelCard } from './types.js';

export interface Point {
  date: string;
  time: number;
  value: number;
  source: string | undefined;
}

export interface Series {
  key: string;
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
      const points = datedObservations(resources, now, (o) => quantityFor(o, target, panel)).flatMap((d) => {
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
      });
    }
  }
  return [...out.values()];
}

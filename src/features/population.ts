/**
 * Does a model apply to this patient? The manifest's intended population (age range, required and
 * excluding conditions) checked over the patient's resources. Pure and browser-safe: the CDS services
 * use it to stay quiet outside a population, and the side app uses it to say why a model does not apply.
 */
import type { ModelManifest } from '../models/manifest.js';
import { activeConditionsIn, conditionsIn } from './conditions.js';
import { completedYears } from './dates.js';
import { findPatient } from './patient.js';
import type { FhirResource } from './types.js';
import { referenceOf } from './types.js';
import { getValueSet, type ValueSetIndex } from './valuesets.js';

export type PopulationCheck =
  | { applies: true; ageYears: number }
  | {
      applies: false;
      /** `no-age`: no usable birthDate, so the age criterion cannot be checked. */
      code: 'no-age' | 'age' | 'requires-condition' | 'excluded-condition';
      /** Plain words for the clinician, e.g. "age 82 is outside 40–79 years". */
      reason: string;
      /** The resource behind an exclusion, e.g. `Condition/7`. */
      source?: string;
    };

export function checkPopulation(
  population: ModelManifest['population'],
  resources: readonly FhirResource[],
  ctx: { now: Date; valueSets: ValueSetIndex },
): PopulationCheck {
  const birthDate = findPatient(resources)?.birthDate;
  const age = birthDate === undefined ? undefined : completedYears(birthDate, ctx.now);
  if (age === undefined || age < 0)
    return { applies: false, code: 'no-age', reason: 'no usable birth date on the Patient resource' };
  const { min, max } = population.ageYears;
  if (age < min || age > max)
    return { applies: false, code: 'age', reason: `age ${age} is outside ${min}–${max} years` };

  const required = population.requiresAnyCondition ?? [];
  if (
    required.length > 0 &&
    !required.some((id) => activeConditionsIn(resources, getValueSet(ctx.valueSets, id)).length > 0)
  ) {
    return {
      applies: false,
      code: 'requires-condition',
      reason: `no active condition coded in ${required.join(' or ')}`,
    };
  }
  for (const id of population.excludesConditions ?? []) {
    // History counts: a resolved MI is still known ASCVD; a past dialysis course still excludes KFRE.
    const found = conditionsIn(resources, getValueSet(ctx.valueSets, id), true)[0];
    if (found !== undefined) {
      const source = referenceOf(found);
      const shown = found.code?.text ?? found.code?.coding?.[0]?.display ?? id;
      return {
        applies: false,
        code: 'excluded-condition',
        reason: `${shown} on record (${id}): the model is for patients without it`,
        ...(source === undefined ? {} : { source }),
      };
    }
  }
  return { applies: true, ageYears: age };
}

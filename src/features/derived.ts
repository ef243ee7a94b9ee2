/**
 * Derived inputs: eGFR (a reported value, else CKD-EPI 2021 from creatinine, age and sex), BMI
 * (a reported value, else weight / height²) and LDL-C (the lab's, else Sampson/NIH from TC, HDL-C and
 * triglycerides: ldl-sampson.ts). Derived values carry the flag `derived` and the flags
 * of the results they were computed from.
 */
import type { DerivedBinding } from './binding.js';
import { completedYears } from './dates.js';
import { ckdEpi2021 } from './egfr.js';
import { calculatedLdl } from './ldl-sampson.js';
import { resolveQuantity } from './observations.js';
import { findPatient, sexOf } from './patient.js';
import type { FhirResource, Flag, Resolved } from './types.js';
import { resolved } from './types.js';
import type { ValueSetIndex } from './valuesets.js';

/** Value sets the derivations read (ids in models/valuesets.json). */
export const DERIVATION_VALUE_SETS = {
  creatinine: 'loinc-creatinine',
  height: 'loinc-body-height',
  weight: 'loinc-body-weight',
} as const;
/** Creatinine C4H7N3O, 113.12 g/mol: µmol/L ÷ 88.4 = mg/dL (models.md §7). */
export const CREATININE_MOLAR_MASS = 113.12;
const EGFR_UNIT = 'mL/min/{1.73_m2}';
const BMI_UNIT = 'kg/m2';

interface Ctx {
  resources: readonly FhirResource[];
  now: Date;
  index: ValueSetIndex;
}

export function resolveDerived(b: DerivedBinding, unit: string | undefined, ctx: Ctx): Resolved {
  const window = { lookbackDays: b.lookbackDays, staleAfterDays: b.staleAfterDays };
  const reported =
    b.preferValueSet === undefined
      ? undefined
      : resolveQuantity(
          {
            valueSet: b.preferValueSet,
            unit: unit ?? defaultUnit(b),
            ...(b.molarMass === undefined ? {} : { molarMass: b.molarMass }),
            ...window,
          },
          ctx.resources,
          ctx.now,
          ctx.index,
        );
  const isBound = reported?.notes.some((n) => n.startsWith('reported as')) ?? false;
  if (reported !== undefined && reported.value !== null && !isBound) return reported;
  const computed =
    b.derivation === 'egfr-ckd-epi-2021'
      ? egfr(window, ctx)
      : b.derivation === 'ldl-sampson-nih'
        ? calculatedLdl(window, ctx)
        : bmi(window, ctx);
  if (computed.value === null && reported?.value != null) return reported; // a bound beats nothing
  const reportedNotes = reported === undefined ? [] : reported.notes;
  return { ...computed, notes: [...reportedNotes, ...computed.notes] };
}

const defaultUnit = (b: DerivedBinding): string =>
  b.derivation === 'egfr-ckd-epi-2021' ? EGFR_UNIT : b.derivation === 'ldl-sampson-nih' ? 'mg/dL' : BMI_UNIT;

type Window = { lookbackDays: number; staleAfterDays: number };

function egfr(window: Window, ctx: Ctx): Resolved {
  const scr = resolveQuantity(
    {
      valueSet: DERIVATION_VALUE_SETS.creatinine,
      unit: 'mg/dL',
      molarMass: CREATININE_MOLAR_MASS,
      ...window,
    },
    ctx.resources,
    ctx.now,
    ctx.index,
  );
  const patient = findPatient(ctx.resources);
  const sex = sexOf(patient);
  const age = patient?.birthDate === undefined ? undefined : completedYears(patient.birthDate, ctx.now);
  if (typeof scr.value !== 'number')
    return { ...scr, notes: ['no creatinine to compute eGFR from', ...scr.notes] };
  if (sex === undefined || age === undefined) {
    return resolved(null, { flags: scr.flags, notes: ['eGFR needs age and female/male sex (CKD-EPI 2021)'] });
  }
  const value = ckdEpi2021(scr.value, age, sex);
  const note = `CKD-EPI 2021 from creatinine ${scr.value.toFixed(2)} mg/dL, age ${age}, ${sex}`;
  return { ...scr, value, unit: EGFR_UNIT, flags: derivedFlags(scr.flags), notes: [note, ...scr.notes] };
}

function bmi(window: Window, ctx: Ctx): Resolved {
  const q = (valueSet: string, unit: string): Resolved =>
    resolveQuantity({ valueSet, unit, ...window }, ctx.resources, ctx.now, ctx.index);
  const height = q(DERIVATION_VALUE_SETS.height, 'm');
  const weight = q(DERIVATION_VALUE_SETS.weight, 'kg');
  if (typeof height.value !== 'number' || typeof weight.value !== 'number' || height.value <= 0) {
    const flags = [...new Set([...height.flags, ...weight.flags])];
    return resolved(null, {
      flags,
      notes: ['BMI needs a height and a weight', ...height.notes, ...weight.notes],
    });
  }
  const value = weight.value / height.value ** 2;
  // The older of the two measurements dates (and sources) the BMI: staleness follows the older one.
  const older = (height.date ?? '') < (weight.date ?? '') ? height : weight;
  const note = `weight ${weight.value.toFixed(1)} kg / height ${height.value.toFixed(2)} m²`;
  return {
    ...older,
    value,
    unit: BMI_UNIT,
    flags: derivedFlags([...height.flags, ...weight.flags]),
    notes: [note, ...height.notes, ...weight.notes],
  };
}

const derivedFlags = (flags: Flag[]): Flag[] => [...new Set<Flag>(['derived', ...flags])];

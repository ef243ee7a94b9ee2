/** Patient demographics: age at `now`, administrative sex, US Core OMB race category. */
import type { Extension, Patient } from 'fhir/r4.js';
import type { PatientBinding } from './binding.js';
import { completedYears } from './dates.js';
import { SYSTEMS } from './systems.js';
import type { FhirResource, Resolved } from './types.js';
import { referenceOf, resolved } from './types.js';

export const US_CORE_RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';

/** OMB race categories (CDC Race & Ethnicity code set, urn:oid:2.16.840.1.113883.6.238; models.md §7). */
const OMB_RACE: Readonly<Record<string, 'white' | 'black' | 'asian' | 'other'>> = {
  '2106-3': 'white',
  '2054-5': 'black',
  '2028-9': 'asian',
  '1002-5': 'other', // American Indian or Alaska Native
  '2076-8': 'other', // Native Hawaiian or Other Pacific Islander
};

export const findPatient = (resources: readonly FhirResource[]): Patient | undefined =>
  resources.find((r): r is Patient => r.resourceType === 'Patient');

export function resolvePatient(
  field: PatientBinding['field'],
  resources: readonly FhirResource[],
  now: Date,
): Resolved {
  const patient = findPatient(resources);
  if (patient === undefined) return resolved(null, { notes: ['no Patient resource'] });
  const source = referenceOf(patient);
  const r = field === 'age-years' ? age(patient, now) : field === 'sex' ? sex(patient) : race(patient);
  return source === undefined ? r : { ...r, source };
}

function age(p: Patient, now: Date): Resolved {
  if (p.birthDate === undefined) return resolved(null, { notes: ['no birthDate'] });
  const years = completedYears(p.birthDate, now);
  if (years === undefined || years < 0)
    return resolved(null, { flags: ['uninterpretable'], notes: [`birthDate "${p.birthDate}"`] });
  const partial =
    p.birthDate.length < 10 ? [`birthDate is partial (${p.birthDate}); counted from its first day`] : [];
  return resolved(years, { unit: 'a', date: p.birthDate, notes: partial });
}

/** Administrative gender female/male; `other`/`unknown`/absent are not a sex the equations can use. */
export function sexOf(p: Patient | undefined): 'female' | 'male' | undefined {
  return p?.gender === 'female' || p?.gender === 'male' ? p.gender : undefined;
}

function sex(p: Patient): Resolved {
  const s = sexOf(p);
  return s === undefined
    ? resolved(null, { notes: [`administrative gender is ${p.gender ?? 'absent'}`] })
    : resolved(s);
}

function race(p: Patient): Resolved {
  const ext = (p.extension ?? []).find((e) => e.url === US_CORE_RACE);
  const codes = (ext?.extension ?? [])
    .filter((e: Extension) => e.url === 'ombCategory' && e.valueCoding?.system === SYSTEMS.ombRace)
    .flatMap((e: Extension) => (e.valueCoding?.code === undefined ? [] : [e.valueCoding.code]));
  const categories = [...new Set(codes.flatMap((c) => (OMB_RACE[c] === undefined ? [] : [OMB_RACE[c]])))];
  const [only] = categories;
  if (categories.length === 0) {
    return resolved('unknown', { flags: ['missing'], notes: ['no US Core race ombCategory recorded'] });
  }
  if (categories.length > 1 || only === undefined) {
    return resolved('other', { notes: [`more than one OMB race category (${categories.join(', ')})`] });
  }
  return resolved(only);
}

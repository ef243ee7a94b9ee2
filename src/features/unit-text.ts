/**
 * UCUM codes as a person reads them, for text shown to people (error and warning messages, range
 * notes). Machine fields keep the UCUM code: `a` stays `a` in a model's input contract, but a message
 * says "40–79 years", never "40–79 a". Pure and browser-safe.
 */

const FOR_PEOPLE: Readonly<Record<string, string>> = {
  a: 'years',
  mo: 'months',
  wk: 'weeks',
  d: 'days',
  h: 'hours',
  'mm[Hg]': 'mmHg',
  'kg/m2': 'kg/m²',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  'mg/wk': 'mg/week',
  'fraction/year': 'per year',
  '1': '',
  '{score}': '',
  code: '',
};

/** `a` → `years`, `mm[Hg]` → `mmHg`; a unit with no special wording is shown as written. */
export function unitForPeople(ucum: string | undefined): string {
  if (ucum === undefined) return '';
  return FOR_PEOPLE[ucum] ?? ucum;
}

/** "40–79 years", "90–200 mmHg", "0–1" — a range with its unit as a person reads it. */
export function rangeForPeople(min: number, max: number, ucum: string | undefined): string {
  const unit = unitForPeople(ucum);
  return `${String(min)}–${String(max)}${unit === '' ? '' : ` ${unit}`}`;
}

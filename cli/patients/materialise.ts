/**
 * Makes the panel current: every FHIR date, dateTime and instant in a Bundle moves by the same whole
 * number of days, so the panel's as-of date becomes the target day (today, when loading). Ages, "20 days
 * ago" and "stale after 365 days" keep their meaning; times of day and time zones are kept as written.
 * Pure: returns a copy.
 */

const MS_PER_DAY = 86_400_000;

/** Elements of the resources Augur's panel writes whose value is a date, dateTime or instant. */
const DATE_ELEMENTS = new Set([
  'birthDate',
  'deceasedDateTime',
  'effectiveDateTime',
  'effectiveInstant',
  'issued',
  'onsetDateTime',
  'abatementDateTime',
  'recordedDate',
  'authoredOn',
  'dateAsserted',
  'occurrenceDateTime',
  'timestamp',
  // Period.start / Period.end (effectivePeriod, validityPeriod, …).
  'start',
  'end',
]);

/** A full FHIR date (YYYY-MM-DD) optionally followed by a time and zone. Partial dates are left alone. */
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;

/** Whole days from `asOf` (YYYY-MM-DD) to the UTC day of `target`. */
export function shiftDays(asOf: string, target: Date): number {
  const from = Date.parse(`${asOf}T00:00:00Z`);
  if (Number.isNaN(from)) throw new Error(`as-of "${asOf}" is not a date (YYYY-MM-DD)`);
  const to = Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), target.getUTCDate());
  return Math.round((to - from) / MS_PER_DAY);
}

/** `value` moved by `days`, or unchanged when it is not a full date. */
export function shiftDate(value: string, days: number): string {
  const m = FULL_DATE.exec(value);
  if (m === null) return value;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * MS_PER_DAY);
  return `${day.toISOString().slice(0, 10)}${m[4] ?? ''}`;
}

/** A deep copy of `value` with every date element shifted by `days`. */
export function materialise<T>(value: T, days: number): T {
  return (days === 0 ? structuredClone(value) : walk(value, days)) as T;
}

function walk(value: unknown, days: number, key?: string): unknown {
  if (typeof value === 'string')
    return key !== undefined && DATE_ELEMENTS.has(key) ? shiftDate(value, days) : value;
  if (Array.isArray(value)) return value.map((v) => walk(v, days, key));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, days, k)]));
}

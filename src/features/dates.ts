/** FHIR dates → instants, and the day arithmetic used for lookback windows and ages. */
import type { Observation } from 'fhir/r4.js';

export const MS_PER_DAY = 86_400_000;

/** Parse a FHIR date or dateTime (`2024`, `2024-05`, `2024-05-01`, `2024-05-01T10:00:00Z`). */
export function parseFhirDate(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** When the observation holds: effective[x] (a period's end), else `issued`. As written. */
export function observationDateText(o: Observation): string | undefined {
  return (
    o.effectiveDateTime ??
    o.effectiveInstant ??
    o.effectivePeriod?.end ??
    o.effectivePeriod?.start ??
    o.issued
  );
}

export const daysBetween = (earlier: Date, later: Date): number =>
  (later.getTime() - earlier.getTime()) / MS_PER_DAY;

/** Completed years from a FHIR birthDate to `now` (a partial date counts from its first day). */
export function completedYears(birthDate: string, now: Date): number | undefined {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(birthDate.trim());
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  let years = now.getUTCFullYear() - year;
  const beforeBirthday =
    now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day);
  if (beforeBirthday) years -= 1;
  return years;
}

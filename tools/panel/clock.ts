/**
 * Dates of the synthetic panel, relative to a fixed as-of date: "20 days before as-of at 09:30 UTC".
 * The generator writes absolute dates (valid FHIR that any tool can load as is); `augur patients
 * load` shifts every date by whole days so the as-of date becomes the day of loading
 * (cli/patients/materialise.ts), and the regression suite runs Augur with its clock at as-of.
 */

const MS_PER_DAY = 86_400_000;

export class Clock {
  /** The as-of date at 00:00 UTC. */
  readonly asOf: Date;

  constructor(asOfDate: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOfDate)) throw new Error(`as-of "${asOfDate}" is not YYYY-MM-DD`);
    this.asOf = new Date(`${asOfDate}T00:00:00Z`);
    if (Number.isNaN(this.asOf.getTime())) throw new Error(`as-of "${asOfDate}" is not a date`);
  }

  /** The as-of date, `YYYY-MM-DD`. */
  get date(): string {
    return this.asOf.toISOString().slice(0, 10);
  }

  /** A dateTime `daysAgo` whole days before as-of, at `time` UTC (default 09:30). */
  ago(daysAgo: number, time = '09:30:00'): string {
    const d = new Date(this.asOf.getTime() - daysAgo * MS_PER_DAY);
    return `${d.toISOString().slice(0, 10)}T${time}Z`;
  }

  /** A date (no time) `daysAgo` whole days before as-of. */
  dayAgo(daysAgo: number): string {
    return this.ago(daysAgo).slice(0, 10);
  }

  /**
   * A birth date making the patient exactly `years` old at as-of, with the last birthday `sinceBirthday`
   * days ago — far from a birthday, so a shift of the panel by whole days never changes an age.
   */
  birthDate(years: number, sinceBirthday = 100): string {
    const lastBirthday = new Date(this.asOf.getTime() - sinceBirthday * MS_PER_DAY);
    lastBirthday.setUTCFullYear(lastBirthday.getUTCFullYear() - years);
    return lastBirthday.toISOString().slice(0, 10);
  }
}

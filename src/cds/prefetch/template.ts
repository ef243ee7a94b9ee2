/**
 * Fills CDS Hooks 2.0 prefetch templates (https://cds-hooks.hl7.org/2.0/#prefetch-tokens).
 *
 * Supported tokens: `{{context.<root primitive field>}}`, `{{userPractitionerId}}`,
 * `{{userPractitionerRoleId}}`, `{{userPatientId}}`, `{{userRelatedPersonId}}` (from `context.userId`),
 * and the 3.0-ballot `{{today()}}` with `± N days|months|years` arithmetic (tolerated, resolved here).
 * Nothing is evaluated: each token is matched against these fixed forms, anything else is unfillable.
 */

/** The user-derived tokens and the `userId` resource type each requires. */
const USER_TOKENS: Readonly<Record<string, string>> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

const TOKEN = /\{\{([^{}]*)\}\}/g;
const CONTEXT_FIELD = /^context\.([A-Za-z_][A-Za-z0-9_]*)$/;
const TODAY = /^today\(\)(?:\s*([+-])\s*(\d{1,4})\s*(day|days|month|months|year|years))?$/;
const REFERENCE = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Returns the filled query, or `undefined` when any token cannot be filled (missing or non-primitive
 * context field, `userId` of another type, unknown token): a half-filled query would ask the FHIR
 * server a different question, so the key is treated as unobtainable instead.
 * Filled values are percent-encoded, so a context value cannot add query parameters or path segments.
 */
export function fillTemplate(
  template: string,
  context: Readonly<Record<string, unknown>>,
  now: Date,
): string | undefined {
  const unfillable: string[] = [];
  const filled = template.replace(TOKEN, (match, raw: string) => {
    const value = tokenValue(raw.trim(), context, now);
    if (value === undefined) unfillable.push(match);
    return value === undefined ? '' : encodeURIComponent(value);
  });
  return unfillable.length > 0 ? undefined : filled;
}

function tokenValue(
  token: string,
  context: Readonly<Record<string, unknown>>,
  now: Date,
): string | undefined {
  const field = CONTEXT_FIELD.exec(token)?.[1];
  if (field !== undefined) return primitive(Object.hasOwn(context, field) ? context[field] : undefined);
  const userType = Object.hasOwn(USER_TOKENS, token) ? USER_TOKENS[token] : undefined;
  if (userType !== undefined) return userIdOfType(context.userId, userType);
  const today = TODAY.exec(token);
  if (today !== null) return shiftedDate(now, today[1], today[2], today[3]);
  return undefined;
}

function primitive(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

function userIdOfType(userId: unknown, type: string): string | undefined {
  if (typeof userId !== 'string') return undefined;
  const m = REFERENCE.exec(userId);
  return m?.[1] === type ? m[2] : undefined;
}

/**
 * `today()` as YYYY-MM-DD (UTC), shifted by whole days, months or years. Month and year shifts clamp to
 * the last day of the target month (2024-03-31 − 1 month = 2024-02-29), as FHIRPath date arithmetic does.
 */
export function shiftedDate(now: Date, sign?: string, amount?: string, unit?: string): string {
  const n = (sign === '-' ? -1 : 1) * Number(amount ?? '0');
  let y = now.getUTCFullYear();
  let m = now.getUTCMonth();
  let d = now.getUTCDate();
  if (unit?.startsWith('day') === true) {
    const t = new Date(Date.UTC(y, m, d + n));
    [y, m, d] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()];
  } else if (unit !== undefined) {
    const months = m + (unit.startsWith('year') ? 12 * n : n);
    y += Math.floor(months / 12);
    m = ((months % 12) + 12) % 12;
    d = Math.min(d, new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  }
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

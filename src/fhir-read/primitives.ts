/**
 * FHIR R4 primitive types (https://hl7.org/fhir/R4/datatypes.html#primitive) as zod schemas, with the
 * regular expressions the specification gives for each. Only what Augur reads is checked.
 */
import { z } from 'zod';

/** date: YYYY, YYYY-MM or YYYY-MM-DD. */
const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
/** dateTime: a date, or a full date with a time and a zone. */
const DATE_TIME =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
/** instant: a full date, time and zone. */
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
/** code: no leading or trailing whitespace, single spaces inside. */
const CODE = /^[^\s]+( [^\s]+)*$/;
/** id: 1–64 of [A-Za-z0-9-.]. */
const ID = /^[A-Za-z0-9.-]{1,64}$/;

/**
 * Text PostgreSQL can store and a person can read: no NUL and no lone UTF-16 surrogate (either would be
 * refused or silently altered by the store).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const storable = (s: string): boolean => !s.includes('\u0000') && !LONE_SURROGATE.test(s);
const text = () =>
  z.string({ error: 'is not a string' }).refine(storable, 'contains a NUL or an unpaired surrogate');

export const fhirString = text();
export const fhirUri = text().regex(/^\S*$/, 'is not a valid uri');
export const fhirCode = text().regex(CODE, 'is not a valid code');
export const fhirId = z.string({ error: 'is not a string' }).regex(ID, 'is not a valid id');
export const fhirDate = z.string({ error: 'is not a string' }).regex(DATE, 'is not a valid date');
export const fhirDateTime = z
  .string({ error: 'is not a string' })
  .regex(DATE_TIME, 'is not a valid dateTime');
export const fhirInstant = z.string({ error: 'is not a string' }).regex(INSTANT, 'is not a valid instant');
export const fhirDecimal = z.number({ error: 'is not a number' });
export const fhirInteger = z.number({ error: 'is not a number' }).int('is not an integer');
export const fhirBoolean = z.boolean({ error: 'is not a boolean' });

/** A FHIR array element (0..*): must be an array when present. */
export const many = <T extends z.ZodType>(item: T) => z.array(item, { error: 'is not an array' });

/** A FHIR complex element: must be a JSON object when present; unknown members are kept. */
export const element = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.looseObject(shape, { error: 'is not an object' });

/** Text helpers shared by the FHIR → inputs and PGx modules (browser-safe). */

/** `s` with every regular-expression metacharacter escaped, for building a literal-match RegExp. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

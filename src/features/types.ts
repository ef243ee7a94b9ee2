/**
 * Shared types of the FHIR → inputs module: what extraction returns, input by input, with the
 * provenance a clinician needs to review it (value, unit, date, source resource, named flags).
 */
import type { FhirResource } from 'fhir/r4.js';
import type { ValueSetIndex } from './valuesets.js';

export type { FhirResource };

export type InputValue = number | boolean | string;

/** Named warnings shown beside an input; never silently dropped (models.md §7, §8). */
export const FLAGS = [
  'missing',
  'stale',
  'out-of-range',
  'unit-unknown',
  'defaulted',
  'derived',
  'matched-by-text',
  'uninterpretable',
] as const;
export type Flag = (typeof FLAGS)[number];

export interface InputProvenance {
  value: InputValue | null;
  unit?: string;
  /** FHIR date/dateTime of the value used (as written in the resource). */
  date?: string;
  /** Literal reference of the resource the value came from, e.g. `Observation/123`. */
  source?: string;
  flags: Flag[];
  note?: string;
}

export type Settings = Record<string, string | number | boolean>;

export interface ExtractContext {
  /** The clock: ages, lookback windows and staleness are measured against it. */
  now: Date;
  settings: Settings;
  valueSets: ValueSetIndex;
}

export interface ExtractResult {
  inputs: Record<string, InputValue | null>;
  provenance: Record<string, InputProvenance>;
}

/** What a source resolver found, before the input spec's missing policy and range are applied. */
export interface Resolved {
  value: InputValue | null;
  unit?: string;
  date?: string;
  source?: string;
  flags: Flag[];
  notes: string[];
}

export function resolved(value: InputValue | null, extra: Partial<Resolved> = {}): Resolved {
  return { value, flags: [], notes: [], ...extra };
}

/** `Observation/123`, or undefined for a resource without an id. */
export function referenceOf(resource: { resourceType: string; id?: string | undefined }): string | undefined {
  return resource.id === undefined ? undefined : `${resource.resourceType}/${resource.id}`;
}

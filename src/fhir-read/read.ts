/**
 * The one boundary for FHIR data: every resource Augur reads (prefetch, pages it fetched itself, draft
 * orders, genomic results, Bundles and their links) passes through here before feature code sees it.
 * A resource whose read elements are malformed is unreadable — named with its reference and the first
 * problem ("Observation/x: code.coding is not an array") — never repaired or guessed. The values handed
 * on are the caller's own objects (validated, not copied), typed as FHIR R4.
 */
import type { Bundle, FhirResource } from 'fhir/r4.js';
import type { z } from 'zod';
import { bundleEnvelope, otherResource, READ_SCHEMAS } from './resources.js';

/** A resource that could not be read, and why. */
export interface Unreadable {
  /** `Type/id` when known, else `Type`, else where it was found (e.g. `entry[3]`). */
  reference: string;
  /** What was wrong, with the element path: `Observation/x: code.coding is not an array`. */
  problem: string;
  /** The patient it names (`Patient/x`), when readable: the patient-binding check still sees it. */
  patientRef?: string;
}

export type ReadResult = { ok: true; resource: FhirResource } | { ok: false; unreadable: Unreadable };

export interface ReadBundle {
  bundle: Bundle;
  /** Readable entry resources, `search.mode: outcome` entries dropped. */
  resources: FhirResource[];
  unreadable: Unreadable[];
  next?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A FHIR resource type name: only such a name (never arbitrary input text) goes into a message. */
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

function referenceOf(value: unknown, where: string): string {
  if (!isObject(value)) return where;
  const type = value['resourceType'];
  if (typeof type !== 'string' || !RESOURCE_TYPE.test(type)) return where;
  const id = value['id'];
  return typeof id === 'string' && /^[A-Za-z0-9.-]{1,64}$/.test(id) ? `${type}/${id}` : type;
}

const PATIENT_FIELDS = ['subject', 'patient', 'beneficiary'] as const;

/** The patient an unreadable resource names, read defensively (for the patient-binding check only). */
function patientRefOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (value['resourceType'] === 'Patient' && typeof value['id'] === 'string') return `Patient/${value['id']}`;
  for (const f of PATIENT_FIELDS) {
    const field = value[f];
    const ref = isObject(field) ? field['reference'] : undefined;
    if (typeof ref === 'string') return ref;
  }
  return undefined;
}

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = Object.hasOwn(v, p) ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  }
  return v;
}

/** "code.coding is not an array", "status is required", "the resource is not an object". */
export function describeIssue(value: unknown, issue: z.core.$ZodIssue): string {
  const path = pathText(issue.path);
  if (path === '') return `the resource ${issue.message}`;
  const missing = issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined;
  return `${path} ${missing ? 'is required' : issue.message}`;
}

/** Reads one resource (`where` names its place for messages when it has no resourceType). */
export function readResource(value: unknown, where = 'resource'): ReadResult {
  const reference = referenceOf(value, where);
  if (
    !isObject(value) ||
    typeof value['resourceType'] !== 'string' ||
    !RESOURCE_TYPE.test(value['resourceType'])
  ) {
    return { ok: false, unreadable: { reference, problem: `${reference}: not a FHIR resource` } };
  }
  const schema = READ_SCHEMAS[value['resourceType']] ?? otherResource;
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, resource: value as unknown as FhirResource };
  const issue = parsed.error.issues[0];
  const problem = `${reference}: ${issue === undefined ? 'invalid' : describeIssue(value, issue)}`;
  const patientRef = patientRefOf(value);
  return {
    ok: false,
    unreadable: { reference, problem, ...(patientRef === undefined ? {} : { patientRef }) },
  };
}

/**
 * Reads a Bundle: its envelope (entries, links) must be well formed — else the whole Bundle is
 * unreadable — and each entry resource is read on its own.
 */
export function readBundle(
  value: unknown,
): { ok: true; read: ReadBundle } | { ok: false; unreadable: Unreadable } {
  const envelope = bundleEnvelope.safeParse(value);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const reference = referenceOf(value, 'Bundle');
    const problem = `${reference}: ${issue === undefined ? 'invalid' : describeIssue(value, issue)}`;
    return { ok: false, unreadable: { reference, problem } };
  }
  const bundle = value as Bundle;
  const resources: FhirResource[] = [];
  const unreadable: Unreadable[] = [];
  (bundle.entry ?? []).forEach((e, i) => {
    if (e.resource === undefined || e.search?.mode === 'outcome') return;
    const r = readResource(e.resource, `entry[${i}]`);
    if (r.ok) resources.push(r.resource);
    else unreadable.push(r.unreadable);
  });
  const next = bundle.link?.find((l) => l.relation === 'next')?.url;
  return { ok: true, read: { bundle, resources, unreadable, ...(next === undefined ? {} : { next }) } };
}

/** Reads a list of resources (e.g. the side app's search results), splitting readable from unreadable. */
export function readResources(values: readonly unknown[]): {
  resources: FhirResource[];
  unreadable: Unreadable[];
} {
  const resources: FhirResource[] = [];
  const unreadable: Unreadable[] = [];
  values.forEach((v, i) => {
    const r = readResource(v, `item[${i}]`);
    if (r.ok) resources.push(r.resource);
    else unreadable.push(r.unreadable);
  });
  return { resources, unreadable };
}

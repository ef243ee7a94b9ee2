/**
 * Validation of CDS Hooks 2.0.1 requests, per hook. A tolerant reader: unknown fields and the reserved
 * `extension` object pass through untouched; what Augur relies on is checked strictly.
 */
import { z } from 'zod';
import type { Bundle, BundleEntry } from 'fhir/r4.js';
import { HttpError, badRequest } from '../http/errors.js';
import { invalidRequest } from './validation-error.js';
import { readResource } from '../fhir-read/index.js';
import type { CdsRequest, HookName } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A FHIR id: [A-Za-z0-9\-\.]{1,64}. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
const USER_ID = /^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/[A-Za-z0-9.-]{1,64}$/;
const REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64}$/;

const fhirId = z.string().regex(FHIR_ID, 'must be a FHIR id ([A-Za-z0-9-.], 1–64 characters)');
const userId = z
  .string()
  .regex(USER_ID, 'must be Practitioner/{id}, PractitionerRole/{id}, Patient/{id} or RelatedPerson/{id}');

const bundle = z.looseObject({
  resourceType: z.literal('Bundle', { error: 'must be a FHIR Bundle' }),
  entry: z
    .array(z.looseObject({ resource: z.looseObject({ resourceType: z.string() }).optional() }))
    .optional(),
});

const patientView = z.looseObject({ userId, patientId: fhirId, encounterId: fhirId.optional() });
const orderSign = patientView.extend({ draftOrders: bundle });
const orderSelect = orderSign.extend({
  selections: z.array(z.string().regex(REFERENCE, 'must be a reference {Type}/{id}')).min(1),
});

const CONTEXT: Record<HookName, z.ZodType> = {
  'patient-view': patientView,
  'order-select': orderSelect,
  'order-sign': orderSign,
};

const fhirAuthorization = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'must be "Bearer"'),
  // Optional in practice: some EHRs omit it, and the whole-request deadline bounds the token's use anyway.
  expires_in: z.number().int().nonnegative().optional(),
  scope: z.string().min(1),
  subject: z.string().min(1),
  patient: fhirId.optional(),
});

const envelope = z.looseObject({
  hook: z.string().min(1),
  hookInstance: z.string().regex(UUID, 'must be a UUID'),
  fhirServer: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  fhirAuthorization: fhirAuthorization.optional(),
  context: z.looseObject({}),
  prefetch: z.record(z.string(), z.unknown()).optional(),
});

/** Resources in a draftOrders Bundle, keyed `Type/id`. */
export function draftOrderIndex(draftOrders: Bundle): Map<string, BundleEntry['resource']> {
  const index = new Map<string, BundleEntry['resource']>();
  for (const e of draftOrders.entry ?? []) {
    if (e.resource?.id !== undefined) index.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
  }
  return index;
}

function checkDraftOrders(draftOrders: Bundle, selections: readonly string[] | undefined): void {
  (draftOrders.entry ?? []).forEach((e, i) => {
    // DSTU2 clients (the sandbox's default server) send MedicationOrder; Augur speaks R4 only.
    const type: string | undefined = e.resource?.resourceType;
    if (type === 'MedicationOrder') {
      throw new HttpError(400, {
        code: 'not-supported',
        diagnostics: `context.draftOrders.entry[${i}]: MedicationOrder is a DSTU2 resource; send an R4 MedicationRequest`,
        expression: `context.draftOrders.entry[${i}].resource.resourceType`,
      });
    }
    // Draft orders are the hook's own subject: one Augur cannot read is a bad request, named.
    if (e.resource === undefined) return;
    const read = readResource(e.resource, `context.draftOrders.entry[${i}].resource`);
    if (!read.ok) {
      throw badRequest(
        `context.draftOrders.entry[${i}].resource: ${read.unreadable.problem}`,
        `context.draftOrders.entry[${i}].resource`,
      );
    }
  });
  if (selections === undefined) return;
  const index = draftOrderIndex(draftOrders);
  selections.forEach((s, i) => {
    if (!index.has(s)) {
      throw badRequest(
        `context.selections[${i}]: "${s}" is not an order in context.draftOrders`,
        `context.selections[${i}]`,
      );
    }
  });
}

/**
 * Validates a hook request for a service registered on `expectedHook`. Throws HttpError 400 naming
 * the bad field. Returns the request typed, with unknown fields preserved.
 */
export function validateHookRequest(body: unknown, expectedHook: HookName): CdsRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('Request body must be a JSON object');
  }
  const env = envelope.safeParse(body);
  if (!env.success) throw invalidRequest(env.error);
  const req = env.data;
  if (req.hook !== expectedHook) {
    throw badRequest(`hook: this service answers "${expectedHook}", not "${req.hook}"`, 'hook');
  }
  // cds-r-1: fhirServer is required when fhirAuthorization is present.
  if (req.fhirAuthorization !== undefined && req.fhirServer === undefined) {
    throw badRequest('fhirServer: required when fhirAuthorization is present (cds-r-1)', 'fhirServer');
  }
  const ctx = CONTEXT[expectedHook].safeParse(req.context);
  if (!ctx.success) throw invalidRequest(ctx.error, 'context');
  const context = ctx.data as { patientId: string; draftOrders?: Bundle; selections?: string[] };
  // cds-r-2: the token's patient, when given, must be the context patient.
  const tokenPatient = req.fhirAuthorization?.patient;
  if (tokenPatient !== undefined && tokenPatient !== context.patientId) {
    throw badRequest(
      'fhirAuthorization.patient: does not match context.patientId',
      'fhirAuthorization.patient',
    );
  }
  if (context.draftOrders !== undefined) checkDraftOrders(context.draftOrders, context.selections);
  return req as unknown as CdsRequest;
}

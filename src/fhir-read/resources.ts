/**
 * The FHIR R4 resources Augur reads, each with the elements Augur uses (types, cardinalities, primitive
 * formats). Everything else passes through untouched (loose objects): the reader checks what the code
 * relies on, it does not judge the rest of the resource. Resource types not listed here are kept as they
 * are, but no code reads them beyond `resourceType` and `id`.
 */
import { z } from 'zod';
import {
  annotation,
  codeableConcept,
  dosage,
  extension,
  period,
  quantity,
  ratio,
  reference,
} from './datatypes.js';
import {
  element,
  fhirBoolean,
  fhirCode,
  fhirDate,
  fhirDateTime,
  fhirDecimal,
  fhirId,
  fhirInstant,
  fhirInteger,
  fhirString,
  fhirUri,
  many,
} from './primitives.js';

const base = {
  id: fhirId.optional(),
  meta: element({ lastUpdated: fhirInstant.optional(), profile: many(fhirUri).optional() }).optional(),
  extension: many(extension).optional(),
};

const observationValue = {
  valueQuantity: quantity.optional(),
  valueCodeableConcept: codeableConcept.optional(),
  valueString: fhirString.optional(),
  valueBoolean: fhirBoolean.optional(),
  valueInteger: fhirInteger.optional(),
  valueRatio: ratio.optional(),
  valueDateTime: fhirDateTime.optional(),
  dataAbsentReason: codeableConcept.optional(),
};

export const patient = element({
  ...base,
  resourceType: z.literal('Patient'),
  gender: z
    .enum(['male', 'female', 'other', 'unknown'], { error: 'is not a FHIR administrative gender' })
    .optional(),
  birthDate: fhirDate.optional(),
  deceasedBoolean: fhirBoolean.optional(),
  deceasedDateTime: fhirDateTime.optional(),
});

export const observation = element({
  ...base,
  resourceType: z.literal('Observation'),
  status: fhirCode,
  category: many(codeableConcept).optional(),
  code: codeableConcept,
  subject: reference.optional(),
  encounter: reference.optional(),
  effectiveDateTime: fhirDateTime.optional(),
  effectivePeriod: period.optional(),
  effectiveInstant: fhirInstant.optional(),
  issued: fhirInstant.optional(),
  ...observationValue,
  interpretation: many(codeableConcept).optional(),
  note: many(annotation).optional(),
  derivedFrom: many(reference).optional(),
  hasMember: many(reference).optional(),
  component: many(element({ code: codeableConcept, ...observationValue })).optional(),
});

export const condition = element({
  ...base,
  resourceType: z.literal('Condition'),
  clinicalStatus: codeableConcept.optional(),
  verificationStatus: codeableConcept.optional(),
  category: many(codeableConcept).optional(),
  code: codeableConcept.optional(),
  subject: reference,
  onsetDateTime: fhirDateTime.optional(),
  onsetPeriod: period.optional(),
  abatementDateTime: fhirDateTime.optional(),
  recordedDate: fhirDateTime.optional(),
});

export const medication = element({
  ...base,
  resourceType: z.literal('Medication'),
  code: codeableConcept.optional(),
  ingredient: many(
    element({ itemCodeableConcept: codeableConcept.optional(), itemReference: reference.optional() }),
  ).optional(),
});

/** Resources a medication order or statement may contain (`#id` references): the Medication it names. */
const containedResource = z.union(
  [medication, element({ resourceType: fhirString, id: fhirId.optional() })],
  {
    error: 'is not a resource',
  },
);

const medicationUse = {
  ...base,
  contained: many(containedResource).optional(),
  medicationCodeableConcept: codeableConcept.optional(),
  medicationReference: reference.optional(),
  subject: reference.optional(),
  encounter: reference.optional(),
  dosage: many(dosage).optional(),
};

export const medicationRequest = element({
  ...medicationUse,
  resourceType: z.literal('MedicationRequest'),
  status: fhirCode,
  intent: fhirCode,
  authoredOn: fhirDateTime.optional(),
  requester: reference.optional(),
  dosageInstruction: many(dosage).optional(),
  dispenseRequest: element({ quantity: quantity.optional() }).optional(),
});

export const medicationStatement = element({
  ...medicationUse,
  resourceType: z.literal('MedicationStatement'),
  status: fhirCode,
  effectiveDateTime: fhirDateTime.optional(),
  effectivePeriod: period.optional(),
  dateAsserted: fhirDateTime.optional(),
});

export const serviceRequest = element({
  ...base,
  resourceType: z.literal('ServiceRequest'),
  status: fhirCode,
  intent: fhirCode,
  code: codeableConcept.optional(),
  subject: reference,
  authoredOn: fhirDateTime.optional(),
});

export const diagnosticReport = element({
  ...base,
  resourceType: z.literal('DiagnosticReport'),
  status: fhirCode,
  category: many(codeableConcept).optional(),
  code: codeableConcept,
  subject: reference.optional(),
  effectiveDateTime: fhirDateTime.optional(),
  issued: fhirInstant.optional(),
  result: many(reference).optional(),
});

export const operationOutcome = element({
  ...base,
  resourceType: z.literal('OperationOutcome'),
  issue: many(
    element({ severity: fhirCode.optional(), code: fhirCode.optional(), diagnostics: fhirString.optional() }),
  ).optional(),
});

/** Every resource type whose elements Augur reads, by `resourceType`. */
export const READ_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  Patient: patient,
  Observation: observation,
  Condition: condition,
  Medication: medication,
  MedicationRequest: medicationRequest,
  MedicationStatement: medicationStatement,
  ServiceRequest: serviceRequest,
  DiagnosticReport: diagnosticReport,
  OperationOutcome: operationOutcome,
};

/** Any other resource: only `resourceType` and `id` are ever read. */
export const otherResource = element({ resourceType: fhirString, id: fhirId.optional() });

/** A Bundle's envelope: its entries and links (the entry resources are read one by one). */
export const bundleEnvelope = element({
  resourceType: z.literal('Bundle'),
  id: fhirId.optional(),
  type: fhirCode.optional(),
  total: fhirInteger.optional(),
  link: many(element({ relation: fhirString, url: fhirUri })).optional(),
  entry: many(
    element({
      fullUrl: fhirUri.optional(),
      resource: z.unknown().optional(),
      search: element({ mode: fhirCode.optional(), score: fhirDecimal.optional() }).optional(),
    }),
  ).optional(),
});

export { fhirDate };

/** FHIR R4 general-purpose data types, the elements of each that Augur reads. */
import { z } from 'zod';
import {
  element,
  fhirBoolean,
  fhirCode,
  fhirDateTime,
  fhirDecimal,
  fhirInteger,
  fhirString,
  fhirUri,
  many,
} from './primitives.js';

export const coding = element({
  system: fhirUri.optional(),
  version: fhirString.optional(),
  code: fhirCode.optional(),
  display: fhirString.optional(),
  userSelected: fhirBoolean.optional(),
});

export const codeableConcept = element({ coding: many(coding).optional(), text: fhirString.optional() });

export const reference = element({
  reference: fhirString.optional(),
  type: fhirUri.optional(),
  display: fhirString.optional(),
});

export const period = element({ start: fhirDateTime.optional(), end: fhirDateTime.optional() });

export const quantity = element({
  value: fhirDecimal.optional(),
  comparator: z.enum(['<', '<=', '>=', '>'], { error: 'is not a quantity comparator' }).optional(),
  unit: fhirString.optional(),
  system: fhirUri.optional(),
  code: fhirCode.optional(),
});

export const ratio = element({ numerator: quantity.optional(), denominator: quantity.optional() });

const extensionShape = {
  url: fhirUri,
  valueCoding: coding.optional(),
  valueCodeableConcept: codeableConcept.optional(),
  valueString: fhirString.optional(),
  valueCode: fhirCode.optional(),
  valueBoolean: fhirBoolean.optional(),
  valueInteger: fhirInteger.optional(),
  valueDecimal: fhirDecimal.optional(),
  valueDateTime: fhirDateTime.optional(),
  valueQuantity: quantity.optional(),
  valueReference: reference.optional(),
};

/** Extensions nest (US Core race: ombCategory inside us-core-race); two levels are read. */
const innerExtension = element(extensionShape);
export const extension = element({ ...extensionShape, extension: many(innerExtension).optional() });

export const annotation = element({ text: fhirString.optional() });

export const dosage = element({
  text: fhirString.optional(),
  timing: element({ code: codeableConcept.optional() }).optional(),
  route: codeableConcept.optional(),
  doseAndRate: many(
    element({
      doseQuantity: quantity.optional(),
      doseRange: element({ low: quantity.optional(), high: quantity.optional() }).optional(),
    }),
  ).optional(),
});

export { fhirDecimal, fhirInteger };

/**
 * Medications as charts hold them: a US Core MedicationRequest with an RxNorm code (the usual shape),
 * a MedicationStatement instead (patient-reported or reconciled lists), or a MedicationRequest whose
 * drug is a separate Medication resource it references.
 */
import type { FhirResource, Medication, MedicationRequest, MedicationStatement } from 'fhir/r4.js';
import type { Chart } from './chart.js';
import { PRACTITIONER, SYSTEM } from './codes.js';

export interface MedicationOptions {
  rxnorm: string;
  display: string;
  /** Dosage text, e.g. "1 tablet by mouth daily". */
  sig?: string;
  startedDaysAgo: number;
  status?: 'active' | 'on-hold' | 'stopped' | 'completed';
  /** Recorded as a MedicationStatement instead of a MedicationRequest. */
  statement?: boolean;
  /** The drug in a separate Medication resource, referenced without a display. */
  referenced?: boolean;
  /** Id suffix (default: the next number). */
  id?: string;
}

export function medicationResources(chart: Chart, o: MedicationOptions): FhirResource[] {
  const concept = {
    coding: [{ system: SYSTEM.rxnorm, code: o.rxnorm, display: o.display }],
    text: o.display,
  };
  const dosage = [{ text: o.sig ?? 'as directed' }];
  const status = o.status ?? 'active';
  if (o.statement === true) {
    const s: MedicationStatement = {
      resourceType: 'MedicationStatement',
      id: chart.nextId('medstatement', o.id),
      status,
      category: { coding: [{ system: SYSTEM.medStatementCategory, code: 'community' }] },
      medicationCodeableConcept: concept,
      subject: chart.subject,
      effectiveDateTime: chart.clock.ago(o.startedDaysAgo),
      dateAsserted: chart.clock.ago(o.startedDaysAgo, '11:00:00'),
      dosage,
    };
    return [s];
  }
  const id = chart.nextId('medrx', o.id);
  const medication: Medication | undefined =
    o.referenced === true ? { resourceType: 'Medication', id: `${id}-drug`, code: concept } : undefined;
  const request: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id,
    status,
    intent: 'order',
    category: [{ coding: [{ system: SYSTEM.medRequestCategory, code: 'outpatient' }] }],
    ...(medication === undefined
      ? { medicationCodeableConcept: concept }
      : { medicationReference: { reference: `Medication/${medication.id ?? ''}` } }),
    subject: chart.subject,
    authoredOn: chart.clock.ago(o.startedDaysAgo),
    requester: PRACTITIONER,
    dosageInstruction: dosage,
  };
  return medication === undefined ? [request] : [medication, request];
}

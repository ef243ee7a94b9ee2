/** US Core Conditions (problem-list items) coded in SNOMED CT and/or ICD-10-CM. */
import type { Condition } from 'fhir/r4.js';
import type { Chart } from './chart.js';
import { SYSTEM } from './codes.js';

export interface ConditionOptions {
  /** [code, display]; a chart may code a problem in SNOMED CT, ICD-10-CM or both. */
  snomed?: [string, string];
  icd10?: [string, string];
  onsetDaysAgo: number;
  clinicalStatus?: 'active' | 'recurrence' | 'relapse' | 'inactive' | 'remission' | 'resolved';
  verificationStatus?:
    'confirmed' | 'provisional' | 'differential' | 'unconfirmed' | 'refuted' | 'entered-in-error';
  /** Id suffix (default: the next number). */
  id?: string;
}

export function conditionResource(chart: Chart, o: ConditionOptions): Condition {
  const coding = [
    ...(o.snomed === undefined ? [] : [{ system: SYSTEM.snomed, code: o.snomed[0], display: o.snomed[1] }]),
    ...(o.icd10 === undefined ? [] : [{ system: SYSTEM.icd10, code: o.icd10[0], display: o.icd10[1] }]),
  ];
  const text = o.snomed?.[1] ?? o.icd10?.[1];
  if (text === undefined) throw new Error(`${chart.id}: a condition needs a SNOMED or ICD-10-CM code`);
  // R4 con-5: an entered-in-error Condition carries no clinical status.
  const enteredInError = o.verificationStatus === 'entered-in-error';
  return {
    resourceType: 'Condition',
    id: chart.nextId('cond', o.id),
    ...(enteredInError
      ? {}
      : {
          clinicalStatus: { coding: [{ system: SYSTEM.condClinical, code: o.clinicalStatus ?? 'active' }] },
        }),
    verificationStatus: {
      coding: [{ system: SYSTEM.condVerification, code: o.verificationStatus ?? 'confirmed' }],
    },
    category: [
      { coding: [{ system: SYSTEM.condCategory, code: 'problem-list-item', display: 'Problem List Item' }] },
    ],
    code: { coding, text },
    subject: chart.subject,
    onsetDateTime: chart.clock.ago(o.onsetDaysAgo),
    recordedDate: chart.clock.ago(o.onsetDaysAgo, '10:00:00'),
  };
}

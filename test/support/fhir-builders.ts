/**
 * Typed FHIR R4 test-data builders: small, explicit, reusable in end-to-end tests.
 * Every builder returns a plain resource; pass overrides for anything not covered by the options.
 */
import type {
  Bundle,
  CodeableConcept,
  Coding,
  Condition,
  FhirResource,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  ObservationComponent,
  Patient,
} from 'fhir/r4.js';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM = 'http://unitsofmeasure.org';

let counter = 0;
const nextId = (prefix: string): string => `${prefix}-${++counter}`;

export const coding = (system: string, code: string, display?: string): Coding =>
  display === undefined ? { system, code } : { system, code, display };
export const concept = (...codings: Coding[]): CodeableConcept => ({ coding: codings });
export const loinc = (code: string, display?: string): CodeableConcept =>
  concept(coding(LOINC, code, display));

const OMB: Record<string, { code: string; display: string }> = {
  white: { code: '2106-3', display: 'White' },
  black: { code: '2054-5', display: 'Black or African American' },
  asian: { code: '2028-9', display: 'Asian' },
  aian: { code: '1002-5', display: 'American Indian or Alaska Native' },
};

export interface PatientOptions {
  id?: string;
  birthDate?: string;
  gender?: Patient['gender'];
  /** OMB categories for the US Core race extension (omit for no extension). */
  race?: (keyof typeof OMB)[];
}

export function aPatient(o: PatientOptions = {}): Patient {
  const p: Patient = { resourceType: 'Patient', id: o.id ?? 'p1', birthDate: o.birthDate ?? '1970-01-01' };
  if (o.gender !== undefined) p.gender = o.gender;
  if (o.race !== undefined) {
    p.extension = [
      {
        url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
        extension: o.race.map((r) => ({
          url: 'ombCategory',
          valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', ...OMB[r] },
        })),
      },
    ];
  }
  return p;
}

export interface ObservationOptions {
  id?: string;
  /** LOINC code of the observation (or pass `code`). */
  loinc?: string;
  code?: CodeableConcept;
  value?: number;
  /** UCUM code of the value; `unitText` sets a non-UCUM `unit` only. */
  unit?: string;
  unitText?: string;
  comparator?: '<' | '<=' | '>=' | '>';
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  /** effectiveDateTime (default 2024-01-01). Use `effectivePeriodEnd` or `issued` for the other shapes. */
  date?: string;
  effectivePeriodEnd?: string;
  issued?: string;
  status?: Observation['status'];
  component?: ObservationComponent[];
}

export function anObservation(o: ObservationOptions): Observation {
  const obs: Observation = {
    resourceType: 'Observation',
    id: o.id ?? nextId('obs'),
    status: o.status ?? 'final',
    code: o.code ?? loinc(o.loinc ?? '0000-0'),
  };
  if (o.effectivePeriodEnd !== undefined) obs.effectivePeriod = { end: o.effectivePeriodEnd };
  else if (o.issued !== undefined) obs.issued = o.issued;
  else obs.effectiveDateTime = o.date ?? '2024-01-01';
  if (o.value !== undefined) {
    obs.valueQuantity = { value: o.value };
    if (o.unit !== undefined) Object.assign(obs.valueQuantity, { unit: o.unit, system: UCUM, code: o.unit });
    if (o.unitText !== undefined) obs.valueQuantity.unit = o.unitText;
    if (o.comparator !== undefined) obs.valueQuantity.comparator = o.comparator;
  }
  if (o.valueCodeableConcept !== undefined) obs.valueCodeableConcept = o.valueCodeableConcept;
  if (o.valueString !== undefined) obs.valueString = o.valueString;
  if (o.component !== undefined) obs.component = o.component;
  return obs;
}

/** A US Core blood-pressure panel (85354-9) with systolic 8480-6 and diastolic 8462-4 components. */
export function aBloodPressure(o: {
  systolic: number;
  diastolic: number;
  date?: string;
  id?: string;
  panel?: string;
}): Observation {
  const component = (code: string, value: number): ObservationComponent => ({
    code: loinc(code),
    valueQuantity: { value, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' },
  });
  return anObservation({
    loinc: o.panel ?? '85354-9',
    ...(o.id === undefined ? {} : { id: o.id }),
    ...(o.date === undefined ? {} : { date: o.date }),
    component: [component('8480-6', o.systolic), component('8462-4', o.diastolic)],
  });
}

export interface ConditionOptions {
  id?: string;
  icd10?: string;
  snomed?: string;
  clinicalStatus?: string;
  verificationStatus?: string;
  onset?: string;
}

export function aCondition(o: ConditionOptions): Condition {
  const codings = [
    ...(o.icd10 === undefined ? [] : [coding(ICD10CM, o.icd10)]),
    ...(o.snomed === undefined ? [] : [coding(SNOMED, o.snomed)]),
  ];
  const c: Condition = {
    resourceType: 'Condition',
    id: o.id ?? nextId('cond'),
    subject: { reference: 'Patient/p1' },
    code: { coding: codings },
    clinicalStatus: concept(
      coding('http://terminology.hl7.org/CodeSystem/condition-clinical', o.clinicalStatus ?? 'active'),
    ),
    verificationStatus: concept(
      coding(
        'http://terminology.hl7.org/CodeSystem/condition-ver-status',
        o.verificationStatus ?? 'confirmed',
      ),
    ),
  };
  if (o.onset !== undefined) c.onsetDateTime = o.onset;
  return c;
}

export interface MedicationOptions {
  id?: string;
  rxnorm?: string;
  display?: string;
  text?: string;
  status?: MedicationRequest['status'];
  authoredOn?: string;
  /** Put the drug in a contained Medication referenced as `#med`. */
  contained?: boolean;
}

function drug(o: MedicationOptions): CodeableConcept {
  const c: CodeableConcept = o.rxnorm === undefined ? {} : concept(coding(RXNORM, o.rxnorm, o.display));
  if (o.text !== undefined) c.text = o.text;
  return c;
}

export function aMedicationRequest(o: MedicationOptions): MedicationRequest {
  const m: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: o.id ?? nextId('medrx'),
    status: o.status ?? 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    authoredOn: o.authoredOn ?? '2024-01-01',
  };
  if (o.contained === true) {
    const med: Medication = { resourceType: 'Medication', id: 'med', code: drug(o) };
    m.contained = [med];
    m.medicationReference = { reference: '#med' };
  } else {
    m.medicationCodeableConcept = drug(o);
  }
  return m;
}

export function aMedicationStatement(
  o: MedicationOptions & { status?: MedicationStatement['status'] },
): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    id: o.id ?? nextId('medst'),
    status: o.status ?? 'active',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: drug(o),
    effectiveDateTime: o.authoredOn ?? '2024-01-01',
  };
}

export const HGNC_IDS = {
  CYP2C9: 'HGNC:2623',
  VKORC1: 'HGNC:23663',
  CYP2C19: 'HGNC:2621',
  CYP2D6: 'HGNC:2625',
  SLCO1B1: 'HGNC:10959',
  TPMT: 'HGNC:12014',
  NUDT15: 'HGNC:23063',
  DPYD: 'HGNC:3012',
  'HLA-B': 'HGNC:4932',
} as const;

export type GenotypeOptions =
  /** Genomics Reporting IG: 84413-4, PharmVar-coded value, gene component 48018-6. */
  | {
      shape: 'ig';
      gene: keyof typeof HGNC_IDS;
      value: string;
      id?: string;
      date?: string;
      status?: Observation['status'];
    }
  /** Legacy: SNOMED 363779003 genotype determination, valueString, gene component. */
  | { shape: 'legacy'; gene: keyof typeof HGNC_IDS; value: string; id?: string; date?: string }
  /** Phenotype only: CPIC LOINC (79716-7 CYP2C9) valued with an LA answer code. */
  | { shape: 'phenotype'; loinc: string; answer: string; display: string; id?: string; date?: string };

export function aGenotype(o: GenotypeOptions): Observation {
  const base = { ...(o.id === undefined ? {} : { id: o.id }), date: o.date ?? '2023-06-01' };
  if (o.shape === 'phenotype') {
    return anObservation({
      ...base,
      loinc: o.loinc,
      valueCodeableConcept: concept(coding(LOINC, o.answer, o.display)),
    });
  }
  const geneComponent: ObservationComponent = {
    code: loinc('48018-6', 'Gene studied [ID]'),
    valueCodeableConcept: concept(coding('http://www.genenames.org/geneId', HGNC_IDS[o.gene], o.gene)),
  };
  if (o.shape === 'legacy') {
    return anObservation({
      ...base,
      code: concept(coding(SNOMED, '363779003')),
      valueString: o.value,
      component: [geneComponent],
    });
  }
  return anObservation({
    ...base,
    ...(o.status === undefined ? {} : { status: o.status }),
    code: loinc('84413-4', 'Genotype display name'),
    valueCodeableConcept: concept(coding('http://www.pharmvar.org', o.value, o.value)),
    component: [geneComponent],
  });
}

export function aBundle(resources: FhirResource[]): Bundle<FhirResource> {
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

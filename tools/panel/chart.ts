/**
 * Typed builders for one synthetic patient's chart, US Core-shaped: Patient with the US Core race and
 * ethnicity extensions, Observations with category, status, effectiveDateTime and UCUM valueQuantity,
 * Conditions with clinical and verification status, MedicationRequests (or MedicationStatements) with
 * RxNorm, genomic Observations in the Genomics Reporting IG shapes. Ids are stable
 * (`<patient>-<kind>-<n>`) so loading twice with PUT gives the same server state.
 */
import type { FhirResource, Observation, Patient, Reference } from 'fhir/r4.js';
import type { Clock } from './clock.js';
import {
  ETHNICITY,
  RACE,
  SMOKING,
  SYSTEM,
  UNIT_TEXT,
  loincCoding,
  type Ethnicity,
  type ObservationCategory,
  type Race,
  type Smoking,
} from './codes.js';
import { conditionResource, type ConditionOptions } from './conditions.js';
import { medicationResources, type MedicationOptions } from './medications.js';
import { genomicResources, type GenotypeOptions } from './genomics.js';

export interface PatientOptions {
  id: string;
  /** [given, family]. */
  name: [string, string];
  gender: 'female' | 'male';
  /** Age in completed years at as-of. */
  age: number;
  /** OMB race categories; none → no race extension. */
  race?: Race[];
  ethnicity?: Ethnicity;
}

export interface LabOptions {
  status?: Observation['status'];
  /** Time of day (UTC), default 09:30:00. */
  time?: string;
  category?: ObservationCategory;
  /** Explicit id suffix (default: the next number). */
  id?: string;
}

export { PRACTITIONER, PRACTITIONER_ID } from './codes.js';

export class Chart {
  readonly id: string;
  readonly clock: Clock;
  private readonly items: FhirResource[] = [];
  private readonly counters = new Map<string, number>();

  constructor(clock: Clock, p: PatientOptions) {
    this.id = p.id;
    this.clock = clock;
    this.items.push(patientResource(clock, p));
  }

  get subject(): Reference {
    return { reference: `Patient/${this.id}` };
  }

  /** `<patient>-<kind>-<n>`, or `<patient>-<kind>-<suffix>`. */
  nextId(kind: string, suffix?: string): string {
    if (suffix !== undefined) return `${this.id}-${kind}-${suffix}`;
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${this.id}-${kind}-${String(n)}`;
  }

  add(...resources: FhirResource[]): this {
    this.items.push(...resources);
    return this;
  }

  /** A quantity result (US Core laboratory or vital-signs Observation). */
  lab(code: string, value: number, unit: string, daysAgo: number, o: LabOptions = {}): this {
    return this.add({
      ...this.observationBase(code, daysAgo, o),
      valueQuantity: { value, unit: UNIT_TEXT[unit] ?? unit, system: SYSTEM.ucum, code: unit },
    });
  }

  /** Total, HDL (and LDL, triglycerides) drawn together (mg/dL unless `unit` says mmol/L). */
  lipids(p: {
    tc: number;
    hdl: number;
    ldl?: number;
    tg?: number;
    daysAgo: number;
    unit?: 'mg/dL' | 'mmol/L';
  }): this {
    const molar = p.unit === 'mmol/L';
    const unit = molar ? 'mmol/L' : 'mg/dL';
    this.lab(molar ? '14647-2' : '2093-3', p.tc, unit, p.daysAgo);
    this.lab(molar ? '14646-4' : '2085-9', p.hdl, unit, p.daysAgo);
    if (p.ldl !== undefined) this.lab(molar ? '22748-8' : '13457-7', p.ldl, unit, p.daysAgo);
    if (p.tg !== undefined) this.lab(molar ? '14927-8' : '2571-8', p.tg, unit, p.daysAgo);
    return this;
  }

  /** A blood pressure as US Core vital signs: the panel with systolic and diastolic components only. */
  bp(systolic: number, diastolic: number, daysAgo: number, panel = '85354-9'): this {
    const component = (code: string, value: number) => ({
      code: { coding: [loincCoding(code)] },
      valueQuantity: { value, unit: 'mmHg', system: SYSTEM.ucum, code: 'mm[Hg]' },
    });
    return this.add({
      ...this.observationBase(panel, daysAgo, { category: 'vital-signs' }),
      component: [component('8480-6', systolic), component('8462-4', diastolic)],
    });
  }

  smoking(status: Smoking, daysAgo: number): this {
    return this.add({
      ...this.observationBase('72166-2', daysAgo, { category: 'social-history' }),
      valueCodeableConcept: { coding: [{ system: SYSTEM.snomed, ...SMOKING[status] }] },
    });
  }

  height(cm: number, daysAgo: number): this {
    return this.lab('8302-2', cm, 'cm', daysAgo, { category: 'vital-signs' });
  }

  weight(kg: number, daysAgo: number): this {
    return this.lab('29463-7', kg, 'kg', daysAgo, { category: 'vital-signs' });
  }

  condition(o: ConditionOptions): this {
    return this.add(conditionResource(this, o));
  }

  medication(o: MedicationOptions): this {
    return this.add(...medicationResources(this, o));
  }

  /** Genotype results (Genomics Reporting IG or legacy shapes) and the report grouping them. */
  genomics(results: readonly GenotypeOptions[], daysAgo: number): this {
    return this.add(...genomicResources(this, results, daysAgo));
  }

  resources(): FhirResource[] {
    return [...this.items];
  }

  observationBase(code: string, daysAgo: number, o: LabOptions = {}): Observation {
    const category = o.category ?? 'laboratory';
    return {
      resourceType: 'Observation',
      id: this.nextId(`obs-${code.replace(/[^0-9A-Za-z]/g, '')}`, o.id),
      status: o.status ?? 'final',
      category: [{ coding: [{ system: SYSTEM.obsCategory, code: category }] }],
      code: { coding: [loincCoding(code)] },
      subject: this.subject,
      effectiveDateTime: this.clock.ago(daysAgo, o.time),
      ...(category === 'laboratory'
        ? { issued: `${this.clock.ago(daysAgo, '15:00:00').slice(0, 19)}.000Z` }
        : {}),
    };
  }
}

function patientResource(clock: Clock, p: PatientOptions): Patient {
  const [given, family] = p.name;
  const extension: NonNullable<Patient['extension']> = [];
  if (p.race !== undefined && p.race.length > 0) {
    extension.push({
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [
        ...p.race.map((r) => ({ url: 'ombCategory', valueCoding: { system: SYSTEM.cdcRace, ...RACE[r] } })),
        { url: 'text', valueString: p.race.map((r) => RACE[r].display).join(', ') },
      ],
    });
  }
  const ethnicity = ETHNICITY[p.ethnicity ?? 'not-hispanic'];
  extension.push({
    url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
    extension: [
      { url: 'ombCategory', valueCoding: { system: SYSTEM.cdcRace, ...ethnicity } },
      { url: 'text', valueString: ethnicity.display },
    ],
  });
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: {
      tag: [{ system: 'urn:augur:synthetic', code: 'panel', display: 'Augur synthetic patient panel' }],
    },
    extension,
    identifier: [{ system: 'urn:augur:synthetic-panel', value: p.id }],
    active: true,
    name: [{ use: 'official', family, given: [given] }],
    gender: p.gender,
    birthDate: clock.birthDate(p.age),
  };
}

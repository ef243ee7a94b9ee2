/**
 * How a panel patient is written: its chart (built against the as-of clock) and its expectations.
 * Services a spec does not name expect no card, with a default reason per service.
 */
import type { FhirResource } from 'fhir/r4.js';
import { Chart, type PatientOptions } from './chart.js';
import type { Clock } from './clock.js';
import type {
  DraftOrder,
  ExpectedCard,
  Expectation,
  MessyNote,
  PatientViewService,
  PanelPatient,
} from './types.js';
import { PATIENT_VIEW_SERVICES } from './types.js';

export interface PatientSpec {
  patient: Omit<PatientOptions, 'id'> & { id: string };
  title: string;
  covers: string[];
  chart: (c: Chart) => void;
  expect?: Partial<Record<PatientViewService, Expectation>>;
  /** Default reasons for services not in `expect` (e.g. "no atrial fibrillation on file"). */
  noCard?: Partial<Record<PatientViewService, string>>;
  orders?: DraftOrder[];
  messy?: MessyNote;
}

const DEFAULT_REASON: Record<PatientViewService, string> = {
  'augur-cardiovascular-risk': 'outside the primary-prevention population or nothing to act on',
  'augur-atrial-fibrillation': 'no atrial fibrillation on file (outside the population)',
  'augur-kidney-risk': 'no chronic kidney disease with eGFR < 60 on file (outside the population)',
  'augur-pgx-patient-view': 'no active medication with an actionable CPIC finding',
};

export const card = (c: ExpectedCard): ExpectedCard => c;
export const cards = (reason: string, ...list: ExpectedCard[]): Expectation => ({ cards: list, reason });
export const none = (reason: string): Expectation => ({ cards: [], reason });

/** Patient id prefix: keeps the panel apart from other data on a tester's FHIR server. */
export const PREFIX = 'augur-';

export interface BuiltPatient {
  entry: PanelPatient;
  resources: FhirResource[];
}

export function build(spec: PatientSpec, clock: Clock): BuiltPatient {
  const chart = new Chart(clock, spec.patient);
  spec.chart(chart);
  const expect = Object.fromEntries(
    PATIENT_VIEW_SERVICES.map((s) => [s, spec.expect?.[s] ?? none(spec.noCard?.[s] ?? DEFAULT_REASON[s])]),
  ) as Record<PatientViewService, Expectation>;
  const entry: PanelPatient = {
    id: spec.patient.id,
    file: `${spec.patient.id}.json`,
    title: spec.title,
    covers: spec.covers,
    expect,
    ...(spec.orders === undefined ? {} : { orders: spec.orders }),
    ...(spec.messy === undefined ? {} : { messy: spec.messy }),
  };
  return { entry, resources: chart.resources() };
}

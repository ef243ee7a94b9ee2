/**
 * The panel's index (examples/patients/index.json): for each patient, what Augur should show per
 * service and hook — cards by card id with indicator, band or finding and the key suggestion — or no
 * card with the reason. The regression suite (test/panel/) asserts exactly these fields, never wording.
 */

/** The patient-view services every patient goes through. */
export const PATIENT_VIEW_SERVICES = [
  'augur-cardiovascular-risk',
  'augur-atrial-fibrillation',
  'augur-kidney-risk',
  'augur-pgx-patient-view',
] as const;
export type PatientViewService = (typeof PATIENT_VIEW_SERVICES)[number];

export type Indicator = 'info' | 'warning' | 'critical';

export interface ExpectedCard {
  /** The card id (README "Services"): cv-risk, cv-statin-suggestion, af-anticoagulation, pgx-clopidogrel, pgx… */
  card: string;
  indicator: Indicator;
  /** The band stored with the card: PCE band, CHA₂DS₂-VASc band, KFRE tier, CKD stage (urine ACR card). */
  band?: string;
  /** PGx: the gene findings the card is about, as in its key (`CYP2C19=poor`, `TPMT=intermediate,NUDT15=intermediate`). */
  finding?: string;
  /**
   * Suggestions the card must offer (the key one first), each `<action> <resourceType>[ <system>:<code>]`,
   * e.g. `create MedicationRequest rxnorm:617310`, `update MedicationRequest rxnorm:1116635`,
   * `delete MedicationRequest`; `[]`: the card must carry no suggestion. Omitted: not checked.
   */
  suggestions?: string[];
  /** Why (for readers of the index). */
  why?: string;
}

export interface Expectation {
  cards: ExpectedCard[];
  /** Why no card (or why exactly these cards). */
  reason: string;
}

/** A draft order the suite sends at order-select (alone) and order-sign (all drafts together). */
export interface DraftOrder {
  /** MedicationRequest id in draftOrders. */
  id: string;
  drug: string;
  rxnorm: string;
  display: string;
  /** A dose in mg on the draft (dose-reduction suggestions need one). */
  doseMg?: number;
  expect: Expectation;
}

/** A messy-chart patient: what is messy, what Augur does with it today (found by running it). */
export interface MessyNote {
  what: string;
  augurToday: string;
  /**
   * Set when Augur mishandles it today: the expectation above is the clinically correct one, and the
   * suite marks these services' tests as known defects (they fail until Augur is fixed).
   */
  knownDefect?: { services: string[]; description: string };
}

export interface PanelPatient {
  id: string;
  /** The transaction Bundle's file name in examples/patients/. */
  file: string;
  title: string;
  /** Which branches this patient covers, e.g. "PCE intermediate band", "HLA-B*57:01 positive". */
  covers: string[];
  expect: Record<PatientViewService, Expectation>;
  orders?: DraftOrder[];
  messy?: MessyNote;
}

export interface PanelIndex {
  /** The as-of date the files' dates are relative to (`augur patients load` shifts it to today). */
  asOf: string;
  description: string;
  /** How suggestions are written in `suggestion`, and other conventions. */
  conventions: Record<string, string>;
  patients: PanelPatient[];
}

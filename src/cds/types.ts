/**
 * CDS Hooks 2.0.1 wire types (https://cds-hooks.hl7.org/2.0/). Request types describe what Augur accepts
 * after validation; response types describe what it emits. Optional fields are omitted, never empty.
 */
import type { Bundle, FhirResource, OperationOutcome } from 'fhir/r4.js';

export type HookName = 'patient-view' | 'order-select' | 'order-sign';
export const HOOKS: readonly HookName[] = ['patient-view', 'order-select', 'order-sign'];

/**
 * The version of each hook definition Augur implements (HL7 CDS Hooks Library 1.0.1: each hook's own
 * version), advertised per service as `hookVersion` for CDS Hooks 3.0 clients.
 */
export const HOOK_VERSIONS: Readonly<Record<HookName, string>> = {
  'patient-view': '1.0',
  'order-select': '1.0',
  'order-sign': '1.0',
};

export interface FhirAuthorization {
  access_token: string;
  token_type: 'Bearer';
  /** Often omitted by EHRs; tolerated (Augur uses the token only within one request's deadline). */
  expires_in?: number;
  scope: string;
  subject: string;
  patient?: string;
}

export interface PatientViewContext {
  userId: string;
  patientId: string;
  encounterId?: string;
}

export interface OrderSelectContext extends PatientViewContext {
  selections: string[];
  draftOrders: Bundle;
}

export interface OrderSignContext extends PatientViewContext {
  draftOrders: Bundle;
}

export type HookContext = PatientViewContext | OrderSelectContext | OrderSignContext;

/** A prefetch value as it may arrive: absent keys are simply not in the record. */
export type PrefetchValue = FhirResource | OperationOutcome | null;

export interface CdsRequest<C extends HookContext = HookContext> {
  hook: HookName;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: FhirAuthorization;
  context: C;
  prefetch?: Record<string, PrefetchValue>;
}

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}

export interface CardSource {
  label: string;
  url?: string;
  icon?: string;
  topic?: Coding;
}

export type ActionType = 'create' | 'update' | 'delete';

export interface Action {
  type: ActionType;
  description: string;
  resource?: FhirResource;
  resourceId?: string;
}

export interface Suggestion {
  label: string;
  uuid: string;
  isRecommended?: boolean;
  actions?: Action[];
}

export interface Link {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
  autolaunchable?: boolean;
}

export type Indicator = 'info' | 'warning' | 'critical';

export interface Card {
  uuid: string;
  summary: string;
  detail?: string;
  indicator: Indicator;
  source: CardSource;
  suggestions?: Suggestion[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: Coding[];
  links?: Link[];
}

export type SystemAction = Action;

export interface CdsResponse {
  cards: Card[];
  systemActions?: SystemAction[];
  /** CDS Hooks extension point; Augur sends only `augur-trace`, to clients enabled for it (src/trace). */
  extension?: Record<string, unknown>;
}

export interface FeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: Coding; userComment?: string };
  outcomeTimestamp: string;
}

export interface FeedbackRequest {
  feedback: FeedbackItem[];
}

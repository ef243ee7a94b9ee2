/**
 * What a CDS service is to Augur: a definition (data, served by discovery) plus a handler (pure over
 * the resolved prefetch, with I/O only through the capabilities it is handed).
 */
import type { FhirResource } from 'fhir/r4.js';
import type { Logger } from 'pino';
import type { Card, CdsRequest, HookName, SystemAction } from './types.js';
import type { Store } from '../store/types.js';
import type { Unreadable } from '../fhir-read/index.js';
import type { TraceRecorder } from '../trace/recorder.js';

/**
 * What happens when a prefetch key cannot be obtained (absent and not fetchable, an OperationOutcome,
 * a failed fetch): `fail` answers 412; `omit` runs the service without it.
 */
export type OnMissing = 'fail' | 'omit';

export interface PrefetchDeclaration {
  /** A CDS Hooks 2.0 prefetch template, e.g. `Patient/{{context.patientId}}`. */
  query: string;
  required: boolean;
  onMissing: OnMissing;
  /** For searchset results: follow `next` links to gather every page (same host only). */
  allPages?: boolean;
}

export interface ServiceDefinition {
  id: string;
  hook: HookName;
  title: string;
  description: string;
  prefetch: Record<string, PrefetchDeclaration>;
  usageRequirements?: string;
}

/** A prefetch key after resolution: the one shape services see, however the data arrived. */
export type ResolvedPrefetch =
  | { state: 'resource'; resource: FhirResource; origin: 'prefetch' | 'fetched' }
  | {
      state: 'bundle';
      resources: FhirResource[];
      /** False when pages remain unread or an entry was unreadable. */
      complete: boolean;
      origin: 'prefetch' | 'fetched';
      /** Entries the FHIR boundary reader refused (src/fhir-read), each with why. */
      unreadable?: Unreadable[];
    }
  | { state: 'no-data'; origin: 'prefetch' | 'fetched' }
  | { state: 'unavailable'; reason: string; unreadable?: Unreadable[] };

export interface ServiceContext {
  request: CdsRequest;
  prefetch: Readonly<Record<string, ResolvedPrefetch>>;
  /** Identifiers of the authenticated caller; never a token. */
  caller: { iss: string; tenant?: string; sub?: string };
  store: Store;
  log: Logger;
  now: Date;
  /** Aborted when the whole-request deadline passes. */
  signal: AbortSignal;
  /**
   * Present only when the caller asked for a trace (src/trace): the service tells it what it decided.
   * Recording never changes a decision.
   */
  trace?: TraceRecorder;
}

/**
 * A card as a service produces it: the wire card plus what Augur remembers about it (card history,
 * used to suppress repeats and to join feedback to the models behind the card). Only `card` is sent.
 */
export interface ProducedCard {
  card: Card;
  /** Stable key of what the card says, e.g. `ascvd-risk:band=intermediate`. */
  key: string;
  /** Draft orders the card is about, `Type/id`. */
  orderRefs?: string[];
  /** `modelId@version` of every model behind the card. */
  models?: string[];
  /** Opaque id of the stored result behind the card. */
  resultId?: string;
}

export interface ServiceResult {
  cards: ProducedCard[];
  systemActions?: SystemAction[];
}

export interface CdsService {
  definition: ServiceDefinition;
  /**
   * False: the service is off unless the site switches it on (`services.<id>.enabled: true`), e.g. a
   * research model. Absent or true: on unless switched off.
   */
  defaultEnabled?: boolean;
  handle(ctx: ServiceContext): Promise<ServiceResult>;
}

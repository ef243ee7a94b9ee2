/**
 * What the app works with: the SMART session (part of the launch module's AugurSession that the app
 * uses), the models' public cards, and a model's live or stored run (the same ModelRun the cards use).
 */
import type { ModelRun } from '../../../src/cards/run-model.js';
import type { ModelManifest } from '../../../src/models/manifest.js';
import type { ResolvedSourceAttributes } from '../../../src/transparency/resolve.js';

export type { ModelRun };
export type OkRun = Extract<ModelRun, { status: 'ok' }>;

export interface AppSession {
  patientId: string;
  /** The opaque result id from the card's appContext, when launched from a card. */
  resultId?: string | undefined;
  /** A FHIR read/search with the app's own token; `flat` returns the resources of every page. */
  fhir(url: string, options?: { pageLimit?: number; flat?: boolean }): Promise<unknown>;
  /** Augur's base URL (for /api/models, /api/results). */
  augurBase: string;
}

/** GET /api/models returns manifests (model cards) plus their evaluate link. */
export type ModelCard = ModelManifest & {
  links?: { evaluate: string };
  /** HTI-1 source attributes (src/transparency), listing any the developer has not stated. */
  sourceAttributes?: ResolvedSourceAttributes;
};

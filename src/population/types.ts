/**
 * What population scoring produces for one patient: plain JSON (no class instances, no Dates), so a
 * worker thread or a BullMQ worker can send it back as is. Holds identifiers and results only — no
 * names, birth dates or FHIR bodies other than Augur's own RiskAssessments.
 */
import type { RiskAssessment } from 'fhir/r4.js';

/** One model run as a service made it for this patient. */
export interface ModelOutcome {
  serviceId: string;
  /** `id@version`. */
  model: string;
  status: 'ok' | 'not-applicable' | 'insufficient-data';
  /** The band (PCE band, CHA₂DS₂-VASc band, KFRE tier) when the service settled one. */
  band?: string;
  outputs?: Record<string, number>;
  /** Why no number (out of population, missing input). */
  reason?: string;
  /** Inputs flagged missing (and, for insufficient data, the inputs the model could not run without). */
  missing: string[];
  /** Inputs whose value was older than the model's window allows (flag `stale`). */
  stale: string[];
}

/** A card the service would have shown (no uuid or links: nothing is shown). */
export interface CardOutcome {
  serviceId: string;
  /** Card id as in `cards/*.json` (`cv-risk`, `af-anticoagulation`, `kfre-risk`, `pgx`…). */
  card: string;
  key: string;
  band?: string;
  indicator: string;
  summary: string;
}

/** One worklist row: one patient, one care gap (src/population/gaps.ts). */
export interface CareGap {
  patientId: string;
  /** Gap id, e.g. `cv-no-statin`. */
  gap: string;
  label: string;
  serviceId: string;
  card: string;
  band?: string;
  indicator: string;
  /** `id@version` of the model the number comes from (none for pharmacogenomics). */
  model?: string;
  /** Output name of `value`, e.g. `risk_10y`, `score`, `risk_5y`. */
  measure?: string;
  value?: number;
  /** Inputs that drove the number most (largest contributions, signed), or the gene–drug findings. */
  drivers: string[];
  missing: string[];
  stale: string[];
  summary: string;
  computedAt: string;
}

/** A service that answered with no card, with its reasons (out of population, below threshold…). */
export interface NoCardReason {
  serviceId: string;
  reasons: string[];
}

export type PatientScore =
  | {
      status: 'scored';
      patientId: string;
      computedAt: string;
      models: ModelOutcome[];
      cards: CardOutcome[];
      gaps: CareGap[];
      noCard: NoCardReason[];
      riskAssessments: RiskAssessment[];
      /** Resources the FHIR boundary reader refused (`Observation/x: …`), each with why. */
      unreadable: { reference: string; problem: string }[];
    }
  | {
      status: 'not-scored';
      patientId: string;
      /** Why, in words (never PHI): e.g. "no Patient resource in the input". */
      reason: string;
    };

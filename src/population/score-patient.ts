/**
 * Scores one patient's resources through the same code path as a patient-view hook call: for every
 * enabled patient-view service, the prefetch an EHR would send (ehr-prefetch.ts) → the services' own
 * prefetch resolution (src/cds/prefetch/resolve.ts: normalising, the FHIR boundary reader, the patient
 * binding) → the service's own handler (population check, model runs, card decisions). What the
 * service stored behind its cards, and the runs it reported, become the RiskAssessments (one mapping:
 * src/fhir-results resultToFhir), the care gaps (gaps.ts) and the reasons for no card.
 *
 * Pure apart from the model sessions: no network, no store, no clock (the caller passes `now`).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RiskAssessment } from 'fhir/r4.js';
import type { CdsService } from '../cds/service.js';
import type { CdsRequest } from '../cds/types.js';
import { resolvePrefetch } from '../cds/prefetch/resolve.js';
import { patientIdOf } from '../cds/prefetch/patient-binding.js';
import { unreadableIn } from '../cards/resources.js';
import { RESULT_PAYLOAD_VERSION, withoutBirthDate, type ResultPayload } from '../cards/result.js';
import type { ModelRun } from '../cards/run-model.js';
import type { Limits } from '../config/schema.js';
import type { FhirResource } from '../features/types.js';
import { asResultPayload, resultToFhir } from '../fhir-results/bundle.js';
import { HttpError } from '../http/errors.js';
import type { ModelManifest } from '../models/manifest.js';
import type { StoredResult } from '../store/types.js';
import { captureStore, RunCapture } from './capture.js';
import { ehrPrefetch } from './ehr-prefetch.js';
import { flaggedInputs, gapsOf, uniqueGaps } from './gaps.js';
import { cardIdOf } from '../cards/card-id.js';
import type { CardOutcome, CareGap, ModelOutcome, NoCardReason, PatientScore } from './types.js';

export interface ScoreDeps {
  /** The enabled patient-view services, in discovery order. */
  services: readonly CdsService[];
  limits: Pick<Limits, 'prefetchBundleEntries' | 'fhirMaxPages'>;
  /** For the RiskAssessments' model Device and card (the loaded manifests). */
  manifestOf(id: string, version: string): ModelManifest | undefined;
  /** Augur's public base URL (model card links in the FHIR mapping). */
  baseUrl: string;
  log: Logger;
}

/** The caller named in the services' context: population scoring, not an EHR user. */
const CALLER = { iss: 'urn:augur:population-scoring' };
const USER = 'Practitioner/augur-population-scoring';

/** Deterministic FHIR-safe ids per patient (resume and re-runs give the same RiskAssessment ids). */
const idStem = (patientId: string): string =>
  createHash('sha256').update(patientId).digest('hex').slice(0, 20);

export async function scorePatient(
  deps: ScoreDeps,
  resources: readonly FhirResource[],
  now: Date,
): Promise<PatientScore> {
  const patients = [
    ...new Set(resources.flatMap((r) => (r.resourceType === 'Patient' ? [String(r.id)] : []))),
  ];
  const [patientId] = patients;
  if (patientId === undefined || patients.length > 1) {
    return {
      status: 'not-scored',
      patientId: resources.map(patientIdOf).find((s) => s !== undefined) ?? '(unknown)',
      reason:
        patientId === undefined
          ? 'no Patient resource in the input'
          : `resources of ${String(patients.length)} patients were grouped together`,
    };
  }
  const stem = idStem(patientId);
  const computedAt = now.toISOString();
  const models: ModelOutcome[] = [];
  const cards: CardOutcome[] = [];
  const gaps: CareGap[] = [];
  const noCard: NoCardReason[] = [];
  const riskAssessments: RiskAssessment[] = [];
  const unreadable = new Map<string, { reference: string; problem: string }>();
  const assessed = new Set<string>();
  const mapping = {
    manifestOf: (id: string, version: string) => deps.manifestOf(id, version),
    baseUrl: deps.baseUrl,
  };

  const toFhir = (id: string, payload: ResultPayload): void => {
    const fresh = payload.runs.filter((r) => r.status === 'ok' && !assessed.has(r.model.id));
    if (fresh.length === 0) return;
    fresh.forEach((r) => assessed.add(r.model.id));
    // The card's run first (it carries the card's summary and band), then the other new runs.
    const bundle = resultToFhir(
      { id, patientRef: `Patient/${patientId}`, payload: { ...payload, runs: fresh } },
      mapping,
    );
    for (const e of bundle.entry ?? [])
      if (e.resource?.resourceType === 'RiskAssessment') riskAssessments.push(e.resource as RiskAssessment);
  };

  for (const [si, service] of deps.services.entries()) {
    const def = service.definition;
    const request: CdsRequest = {
      hook: def.hook,
      hookInstance: randomUUID(),
      context: { patientId, userId: USER },
      prefetch: ehrPrefetch(def.prefetch, patientId, resources, now) as NonNullable<CdsRequest['prefetch']>,
    };
    const stored: StoredResult[] = [];
    const capture = new RunCapture(def.id, def.hook);
    let answer;
    try {
      const prefetch = await resolvePrefetch({
        request,
        declarations: def.prefetch,
        refetchNull: false,
        limits: deps.limits,
        now,
        log: deps.log,
      });
      for (const u of unreadableIn(prefetch)) unreadable.set(`${u.reference} ${u.problem}`, u);
      answer = await service.handle({
        request,
        prefetch,
        caller: CALLER,
        store: captureStore(stored),
        log: deps.log,
        now,
        signal: new AbortController().signal,
        trace: capture,
      });
    } catch (err) {
      // What a hook call would answer with an error status (e.g. 412, 413): no card, with why.
      if (!(err instanceof HttpError)) throw err;
      noCard.push({
        serviceId: def.id,
        reasons: [`the service refused the data (${String(err.status)}): ${err.message}`],
      });
      continue;
    }
    const payloads = new Map<string, ResultPayload>();
    for (const r of stored) {
      const p = asResultPayload(r.payload);
      if (p !== undefined) payloads.set(r.id, p);
    }
    for (const c of answer.cards) {
      const p = c.resultId === undefined ? undefined : payloads.get(c.resultId);
      const band = p?.card?.band;
      cards.push({
        serviceId: def.id,
        card: cardIdOf(c.key, p?.findings),
        key: c.key,
        ...(band === undefined ? {} : { band }),
        indicator: c.card.indicator,
        summary: c.card.summary,
      });
    }
    [...payloads.values()].forEach((p, i) => {
      toFhir(`${stem}-${String(si)}-${String(i)}`, p);
      gaps.push(...gapsOf(patientId, p));
    });
    const runs = [...capture.runs.values()];
    toFhir(`${stem}-${String(si)}-r`, {
      version: RESULT_PAYLOAD_VERSION,
      serviceId: def.id,
      computedAt,
      runs: runs.map(({ run }) => withoutBirthDate(run)),
    });
    for (const { run, band } of runs) models.push(modelOutcome(def.id, run, band));
    if (answer.cards.length === 0) {
      const reasons = capture
        .toJSON()
        .cards.filter((c) => c.decision !== 'shown')
        .map((c) => c.reason ?? c.decision);
      noCard.push({ serviceId: def.id, reasons });
    }
  }
  return {
    status: 'scored',
    patientId,
    computedAt,
    models,
    cards,
    gaps: uniqueGaps(gaps),
    noCard,
    riskAssessments,
    unreadable: [...unreadable.values()],
  };
}

function modelOutcome(serviceId: string, run: ModelRun, band: string | undefined): ModelOutcome {
  const base = {
    serviceId,
    model: `${run.model.id}@${run.model.version}`,
    status: run.status,
    ...(band === undefined ? {} : { band }),
    missing: flaggedInputs([run], 'missing'),
    stale: flaggedInputs([run], 'stale'),
  };
  if (run.status === 'ok') return { ...base, outputs: run.outputs };
  return { ...base, reason: run.reason };
}

/**
 * scorePatient for a run: an unexpected failure (a bug, a model error) marks this patient not scored,
 * with the error's name and first line, instead of stopping the population.
 */
export async function scorePatientOrReason(
  deps: ScoreDeps,
  resources: readonly FhirResource[],
  now: Date,
): Promise<PatientScore> {
  try {
    return await scorePatient(deps, resources, now);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return {
      status: 'not-scored',
      patientId: resources.map(patientIdOf).find((s) => s !== undefined) ?? '(unknown)',
      reason: `scoring failed: ${e.name}: ${(e.message.split('\n')[0] ?? '').slice(0, 200)}`,
    };
  }
}

/** A batch of patients (a worker task), one after the other, each with scorePatientOrReason. */
export async function scorePatients(
  deps: ScoreDeps,
  patients: readonly (readonly FhirResource[])[],
  now: Date,
): Promise<PatientScore[]> {
  const out: PatientScore[] = [];
  for (const resources of patients) out.push(await scorePatientOrReason(deps, resources, now));
  return out;
}

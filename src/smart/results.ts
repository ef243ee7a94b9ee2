/**
 * The card → side app path: `GET /api/results/:id?patient=<launch patient id>` returns the stored
 * ResultPayload behind a card; `GET /api/results/:id/fhir?patient=…` the same result as FHIR R4 (a
 * Bundle: RiskAssessment, AI Device, model card, AI Provenance — src/fhir-results).
 *
 * Authentication: the id is a capability — 128 random bits, only ever carried in the card's
 * `appContext`, expiring after `cards.resultTtlHours`. The app must also name its launch patient; an
 * unknown or expired id and a patient that does not match answer the same 404. Reads are rate-limited
 * per client IP (before any store work) and each is audited (`result-read`). Augur never sees the app's
 * SMART token: tokens go only to the FHIR server they were issued for.
 */
import { Router, type Request, type Response } from 'express';
import type { RateLimiter } from '../auth/rate-limit.js';
import { throttled } from '../auth/rate-limit.js';
import { writeAudit } from '../audit/audit.js';
import { asResultPayload, resultToFhir } from '../fhir-results/bundle.js';
import { HttpError, badRequest, notFound } from '../http/errors.js';
import type { RegistrySource } from '../models/startup.js';
import { manifestLookup } from '../fhir-results/system-actions.js';
import type { AuditRecord, Store, StoredResult } from '../store/types.js';
import { RESULT_ID_PATTERN } from './app-config.js';

/** FHIR id (R4 `id` datatype). */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export interface ResultsRouterOptions {
  store: Store;
  limiter: RateLimiter;
  perIpPerMinute: number;
  now: () => Date;
  /** For the FHIR form: the loaded models (Device and model card) and Augur's public base URL. */
  fhir?: { models: RegistrySource; publicBaseUrl: string };
}

/** The capability check shared by both forms: rate limit, patient match, audit. */
async function readResult(o: ResultsRouterOptions, req: Request, res: Response): Promise<StoredResult> {
  const decision = await o.limiter.hit(`results:${req.ip ?? 'unknown'}`, o.perIpPerMinute);
  if (!decision.allowed) throw throttled(decision.retryAfterSeconds);
  const patient = req.query['patient'];
  if (typeof patient !== 'string' || !FHIR_ID.test(patient))
    throw badRequest('patient (the launch patient id) is required', 'patient');

  const id = String(req.params['id']);
  const found = RESULT_ID_PATTERN.test(id) ? await o.store.getResult(id, o.now()) : undefined;
  const matches = found?.patientRef === `Patient/${patient}`;
  const audit: Omit<AuditRecord, 'recorded'> = {
    type: 'result-read',
    action: 'R',
    outcome: matches ? '0' : '4',
    requestId: String(res.locals['requestId']),
    status: matches ? 200 : 404,
    // A valid id with another patient is recorded against the result's patient; an unknown id against none.
    ...(found === undefined ? {} : { patientRef: found.patientRef, serviceId: found.serviceId }),
  };
  await writeAudit(o.store, [audit], o.now);
  if (found === undefined || !matches)
    throw notFound('No result with this id for this patient (it may have expired).');
  res.setHeader('Cache-Control', 'no-store');
  return found;
}

export function resultsRouter(o: ResultsRouterOptions): Router {
  const router = Router();
  router.get('/api/results/:id', async (req, res) => {
    res.json((await readResult(o, req, res)).payload);
  });
  const fhir = o.fhir;
  if (fhir !== undefined) {
    router.get('/api/results/:id/fhir', async (req, res) => {
      const found = await readResult(o, req, res);
      const payload = asResultPayload(found.payload);
      if (payload === undefined)
        throw new HttpError(500, {
          code: 'exception',
          diagnostics: 'the stored result has an unknown payload version',
        });
      const bundle = resultToFhir(
        { ...found, payload },
        { manifestOf: manifestLookup(fhir.models), baseUrl: fhir.publicBaseUrl },
      );
      res.type('application/fhir+json').send(JSON.stringify(bundle));
    });
  }
  return router;
}

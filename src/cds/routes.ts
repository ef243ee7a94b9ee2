/**
 * The CDS Hooks routes: discovery, service invocation and feedback. Each authenticated call writes
 * its audit events when it ends, success or failure; an authentication failure writes one event with
 * no patient.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { VerifiedCaller } from '../auth/types.js';
import { HttpError } from '../http/errors.js';
import { readJsonBody } from '../http/json-body.js';
import { auditRecords, writeAudit } from '../audit/audit.js';
import { CallAudit } from '../audit/call-audit.js';
import type { FeedbackRecord } from '../store/types.js';
import { authenticate, type AuthDeps } from './authenticate.js';
import { discoveryEntry, safeServiceId, type ServiceRegistry } from './registry.js';
import { invokeService, type InvokeDeps } from './invoke.js';
import { validateFeedback } from './feedback-schema.js';
import { checkFeedback } from './feedback-check.js';
import type { FeedbackItem } from './types.js';
import { countFeedback, hookCalls, hookDuration } from '../monitoring/metrics.js';

export interface CdsRouteDeps extends InvokeDeps, AuthDeps {
  services: ServiceRegistry;
}

type IdRequest = Request<{ id: string }>;
const requestLog = (res: Response): Logger => res.locals['log'] as Logger;
const requestId = (res: Response): string => res.locals['requestId'] as string;

/** Authenticates, then runs the call and writes its audit trail whatever the outcome. */
async function auditedCall<T>(
  deps: CdsRouteDeps,
  req: IdRequest,
  res: Response,
  type: CallAudit['type'],
  work: (caller: VerifiedCaller, audit: CallAudit) => Promise<T>,
): Promise<T> {
  const caller = await authenticate(deps, req, res);
  // The id is caller-supplied (an unknown service is audited too): store only service-id characters.
  const audit = new CallAudit(type, requestId(res), safeServiceId(req.params.id), caller);
  let status = 500;
  try {
    const result = await work(caller, audit);
    status = 200;
    return result;
  } catch (err) {
    if (err instanceof HttpError) status = err.status;
    throw err;
  } finally {
    await finishCall(deps, audit, status);
  }
}

/**
 * Writes a call's audit records and, when it succeeded, the cards it showed and their results — one
 * atomic write, committed before the answer leaves. If that write fails the call fails, and its audit
 * is written again alone with status 500: every call is audited, whatever its outcome.
 */
async function finishCall(deps: CdsRouteDeps, audit: CallAudit, status: number): Promise<void> {
  const { cards, results } = status === 200 ? audit.cardsShown : { cards: [], results: [] };
  if (cards.length === 0 && results.length === 0) {
    await writeAudit(deps.store, audit.records(status), deps.now);
    return;
  }
  try {
    await deps.store.recordCall({ cards, results, audits: auditRecords(audit.records(status), deps.now) });
  } catch (err) {
    await writeAudit(deps.store, audit.records(500), deps.now);
    throw err;
  }
}

function toFeedbackRecord(f: FeedbackItem, serviceId: string, caller: VerifiedCaller): FeedbackRecord {
  const reason = f.overrideReason;
  const coding = reason?.reason;
  return {
    serviceId,
    cardUuid: f.card,
    outcome: f.outcome,
    acceptedSuggestions: (f.acceptedSuggestions ?? []).map((s) => s.id),
    ...(reason === undefined
      ? {}
      : {
          overrideReason: {
            ...(coding?.system === undefined ? {} : { system: coding.system }),
            ...(coding?.code === undefined ? {} : { code: coding.code }),
            ...(coding?.display === undefined ? {} : { display: coding.display }),
            ...(reason.userComment === undefined ? {} : { userComment: reason.userComment }),
          },
        }),
    outcomeTimestamp: new Date(f.outcomeTimestamp),
    iss: caller.iss,
    ...(caller.tenant === undefined ? {} : { tenant: caller.tenant }),
  };
}

/** Times every call to a known service (unknown ids share one label: ids come from the caller). */
function timeHookCall(deps: CdsRouteDeps): RequestHandler {
  return (req, res, next) => {
    const id = String(req.params['id']);
    const service = deps.services.definitions().some((d) => d.id === id) ? id : 'unknown';
    const end = hookDuration.startTimer({ service });
    res.on('finish', () => {
      end();
      hookCalls.inc({ service, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * The trace is PHI: only for a trusted client whose config says `trace: true` AND whose request asks
 * for it with `Augur-Trace: 1`. Never in the loopback-only unauthenticated mode.
 */
function traceWanted(req: Request, caller: VerifiedCaller): boolean {
  return caller.unauthenticated !== true && caller.client.trace && req.get('augur-trace') === '1';
}

export function cdsRouter(deps: CdsRouteDeps): Router {
  const router = Router();
  const limits = deps.config.limits;

  // Discovery is public: service definitions hold no PHI, and some EHRs fetch it unauthenticated.
  router.get('/cds-services', (_req, res) => {
    res.json({ services: deps.services.definitions().map(discoveryEntry) });
  });

  router.post('/cds-services/:id', timeHookCall(deps), deps.throttle.guard, async (req: IdRequest, res) => {
    const response = await auditedCall(deps, req, res, 'hook-call', async (caller, audit) => {
      const body = await readJsonBody(req, limits);
      const service = deps.services.get(req.params.id);
      const log = requestLog(res).child({ serviceId: service.definition.id });
      return invokeService(deps, service, body, caller, audit, log, { trace: traceWanted(req, caller) });
    });
    res.json(response);
  });

  router.post('/cds-services/:id/feedback', deps.throttle.guard, async (req: IdRequest, res) => {
    await auditedCall(deps, req, res, 'feedback', async (caller) => {
      const body = await readJsonBody(req, limits);
      const service = deps.services.get(req.params.id);
      const items = validateFeedback(body);
      const cards = await checkFeedback(deps.store, service.definition.id, items, caller, requestLog(res));
      for (const [i, f] of items.entries()) {
        await deps.store.recordFeedback(toFeedbackRecord(f, service.definition.id, caller));
        countFeedback(service.definition.id, f, cards[i]?.cardKey);
      }
    });
    res.json({});
  });

  return router;
}

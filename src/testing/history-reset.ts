/**
 * `DELETE /api/testing/card-history?patient=<id>[&service=<service id>]` — a tester's reset of one
 * patient's card history (cards shown and the feedback on them), so a re-run shows the cards again:
 * an accepted card never returns, an overridden one is silent for 30 days, and order-sign does not
 * repeat order-select. Off for everyone unless the caller's trusted-client entry says
 * `"allowHistoryReset": true`; never for the unauthenticated loopback mode. Every attempt by an
 * authenticated caller is audited (`history-reset`, action D, identifiers only).
 *
 * Authentication: a CDS Hooks-style JWT whose `aud` is `{publicBaseUrl}/api/testing/card-history`
 * (the path, no query string). Answers: 200 `{"patient", "service"?, "deleted": {"cards", "feedback"}}`;
 * 400 bad `patient`; 401 authentication; 403 client not allowed; 404 unknown `service`.
 */
import { Router } from 'express';
import type { Logger } from 'pino';
import { authenticate, type AuthDeps } from '../cds/authenticate.js';
import type { ServiceRegistry } from '../cds/registry.js';
import { writeAudit } from '../audit/audit.js';
import { badRequest, HttpError } from '../http/errors.js';
import type { AuditRecord } from '../store/types.js';

export const HISTORY_RESET_PATH = '/api/testing/card-history';

/** FHIR id (R4 `id` datatype). */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

export interface HistoryResetDeps extends AuthDeps {
  services: ServiceRegistry;
}

function queryParam(value: unknown, name: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !FHIR_ID.test(value))
    throw badRequest(
      `${name}: ${required ? 'required, ' : ''}a FHIR id ([A-Za-z0-9-.], 1–64 characters)`,
      name,
    );
  return value;
}

export function historyResetRouter(deps: HistoryResetDeps): Router {
  const router = Router();
  router.delete(HISTORY_RESET_PATH, deps.throttle.guard, async (req, res) => {
    const caller = await authenticate(deps, req, res);
    const log = res.locals['log'] as Logger;
    const base: Omit<AuditRecord, 'recorded' | 'outcome' | 'status'> = {
      type: 'history-reset',
      action: 'D',
      requestId: String(res.locals['requestId']),
      iss: caller.iss,
      jti: caller.jti,
      ...(caller.tenant === undefined ? {} : { tenant: caller.tenant }),
    };
    let status = 500;
    let subject: Pick<AuditRecord, 'patientRef' | 'serviceId'> = {};
    try {
      if (caller.client.allowHistoryReset !== true || caller.unauthenticated === true) {
        throw new HttpError(403, {
          code: 'forbidden',
          diagnostics:
            'card-history reset is a testing tool: this client is not allowed to use it (set "allowHistoryReset": true on its entry in AUGUR_CONFIG, never for a production EHR)',
        });
      }
      const patient = queryParam(req.query['patient'], 'patient', true) as string;
      const service = queryParam(req.query['service'], 'service', false);
      subject = { patientRef: `Patient/${patient}` };
      if (service !== undefined)
        subject = { ...subject, serviceId: deps.services.get(service).definition.id };
      const deleted = await deps.store.resetCardHistory({
        patientRef: `Patient/${patient}`,
        ...(service === undefined ? {} : { serviceId: service }),
        ...(caller.tenant === undefined ? {} : { tenant: caller.tenant }),
      });
      status = 200;
      log.info({ iss: caller.iss, count: deleted.cards }, 'card history reset (testing)');
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        patient: `Patient/${patient}`,
        ...(service === undefined ? {} : { service }),
        deleted,
      });
    } catch (err) {
      if (err instanceof HttpError) status = err.status;
      throw err;
    } finally {
      await writeAudit(
        deps.store,
        [{ ...base, ...subject, outcome: status < 400 ? '0' : status < 500 ? '4' : '8', status }],
        deps.now,
      );
    }
  });
  return router;
}

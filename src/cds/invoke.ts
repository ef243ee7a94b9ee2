/**
 * One hook call, end to end: validate → check the FHIR server → resolve prefetch (one path for
 * prefetched and fetched data, under the whole-request deadline) → run the service → check the
 * response → remember the cards shown. HTTP-free: the route adapts it and writes the audit.
 */
import type { Logger } from 'pino';
import type { VerifiedCaller } from '../auth/types.js';
import type { Config } from '../config/schema.js';
import type { CardShownRecord, Store, StoredResult } from '../store/types.js';
import { createFhirClient } from '../fhir/client.js';
import { countCards } from '../monitoring/metrics.js';
import { resolvePrefetch } from './prefetch/resolve.js';
import { validateHookRequest } from './request-schema.js';
import { checkFhirServer } from './fhir-server-policy.js';
import { assertResponse } from './card-invariants.js';
import { patientRef } from '../audit/audit.js';
import type { CallAudit } from '../audit/call-audit.js';
import type { CdsService, ServiceResult } from './service.js';
import type { CdsRequest, CdsResponse, SystemAction } from './types.js';
import { TraceRecorder } from '../trace/recorder.js';

export interface InvokeDeps {
  config: Config;
  store: Store;
  now: () => Date;
  /** Extra systemActions from the results a call stored (the `fhirResults.systemActions` site switch). */
  systemActions?: (results: readonly StoredResult[]) => SystemAction[];
}

/**
 * Runs one hook call. With `options.trace` (the route decides: a trusted client with `trace: true` that
 * sent `Augur-Trace: 1`) the service records its decisions and the response carries them in
 * `extension["augur-trace"]`; without it nothing is recorded.
 */
export async function invokeService(
  deps: InvokeDeps,
  service: CdsService,
  body: unknown,
  caller: VerifiedCaller,
  audit: CallAudit,
  log: Logger,
  options: { trace?: boolean } = {},
): Promise<CdsResponse> {
  const { config } = deps;
  const def = service.definition;
  const now = deps.now();
  const request = validateHookRequest(body, def.hook);
  audit.subject({
    userRef: request.context.userId,
    patientRef: patientRef(request.context.patientId),
    hookInstance: request.hookInstance,
  });
  if (request.fhirServer !== undefined)
    checkFhirServer(request.fhirServer, caller, config.allowInsecureFhirServers);

  const deadline = AbortSignal.timeout(config.limits.fhirDeadlineMs);
  const token = request.fhirAuthorization?.access_token;
  const client =
    request.fhirServer === undefined
      ? undefined
      : createFhirClient({
          baseUrl: request.fhirServer,
          ...(token === undefined ? {} : { accessToken: token }),
          deadline,
          limits: config.limits,
          onRequest: audit.fhirRequest,
          log,
        });
  if (client !== undefined) audit.fhirServer(client.baseUrl);
  const prefetch = await resolvePrefetch({
    request,
    declarations: def.prefetch,
    ...(client === undefined ? {} : { client }),
    refetchNull: caller.client.refetchNullPrefetch,
    limits: config.limits,
    now,
    log,
    onForeignPatient: audit.patientMismatch,
  });
  const trace = options.trace === true ? new TraceRecorder(def.id, def.hook) : undefined;
  trace?.prefetch(prefetch, new Set(Object.keys(request.prefetch ?? {})));
  // Results the service stores are written with the card history, in one transaction, after it answers.
  const results: StoredResult[] = [];
  const store: Store = {
    ...deps.store,
    putResult: (r) => {
      results.push(r);
      return Promise.resolve();
    },
  };
  const result = await service.handle({
    request,
    prefetch,
    caller: {
      iss: caller.iss,
      ...(caller.tenant === undefined ? {} : { tenant: caller.tenant }),
      ...(caller.sub === undefined ? {} : { sub: caller.sub }),
    },
    store,
    log,
    now,
    signal: deadline,
    ...(trace === undefined ? {} : { trace }),
  });
  const extra = deps.systemActions?.(results) ?? [];
  const response = toWire(
    extra.length === 0 ? result : { ...result, systemActions: [...(result.systemActions ?? []), ...extra] },
  );
  if (config.assertResponses) assertResponse(response);
  countCards(def.id, result.cards);
  // Written by the route with this call's audit records, in one atomic write, before it answers.
  audit.shown(cardHistory(result, request, def.id, caller, now), results);
  audit.models([...new Set(result.cards.flatMap((c) => c.models ?? []))]);
  return trace === undefined ? response : { ...response, extension: { 'augur-trace': trace.toJSON() } };
}

function toWire(result: ServiceResult): CdsResponse {
  const actions = result.systemActions;
  return {
    cards: result.cards.map((c) => c.card),
    ...(actions === undefined || actions.length === 0 ? {} : { systemActions: actions }),
  };
}

function cardHistory(
  result: ServiceResult,
  request: CdsRequest,
  serviceId: string,
  caller: VerifiedCaller,
  now: Date,
): CardShownRecord[] {
  const encounterId = request.context.encounterId;
  return result.cards.map((c) => ({
    cardUuid: c.card.uuid,
    serviceId,
    hookInstance: request.hookInstance,
    patientRef: patientRef(request.context.patientId),
    cardKey: c.key,
    orderRefs: c.orderRefs ?? [],
    models: c.models ?? [],
    ...(c.resultId === undefined ? {} : { resultId: c.resultId }),
    ...(encounterId === undefined ? {} : { encounterRef: `Encounter/${encounterId}` }),
    overrideReasons: (c.card.overrideReasons ?? []).map((r) => ({
      ...(r.system === undefined ? {} : { system: r.system }),
      code: r.code,
    })),
    shownAt: now,
    iss: caller.iss,
    ...(caller.tenant === undefined ? {} : { tenant: caller.tenant }),
  }));
}

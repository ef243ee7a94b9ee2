/**
 * The trace tests' world: a real FHIR server (token required) holding a few panel patients, loaded with
 * `loadPanel` as written, and a real Augur app with every clinical service whose test client may be
 * enabled for the trace. Calls go over HTTP (supertest) with signed JWTs.
 */
import request from 'supertest';
import { loadPanel } from '../../cli/patients/load.js';
import type { TrustedClient } from '../../src/config/schema.js';
import type { CdsResponse } from '../../src/cds/types.js';
import { clinicalServices } from '../../src/services/index.js';
import type { Trace } from '../../src/trace/types.js';
import { readIndex, PANEL_DIR } from '../panel/harness.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { fillPrefetch } from '../support/prefetch-fill.js';
import { startServiceApp, type ServiceApp } from '../support/services.js';

export const TOKEN = 'trace-test-token';
export const index = readIndex();
export const NOW = new Date(`${index.asOf}T12:00:00Z`);

export async function startTraceFhir(patients: string[]): Promise<FhirServer> {
  const fhir = await startFhirServer({ requireToken: TOKEN });
  await loadPanel({ fhir: fhir.baseUrl, token: TOKEN, dir: PANEL_DIR, asOf: NOW, patients });
  return fhir;
}

export async function startTraceApp(
  fhir: FhirServer,
  o: { client?: Partial<TrustedClient>; file?: Record<string, unknown>; now?: () => Date } = {},
): Promise<ServiceApp> {
  return startServiceApp((deps) => clinicalServices(deps), {
    now: o.now ?? (() => NOW),
    client: { fhirServers: [fhir.baseUrl], ...o.client },
    ...(o.file === undefined ? {} : { file: o.file }),
  });
}

export async function templatesOf(t: ServiceApp, serviceId: string): Promise<Record<string, string>> {
  const res = await request(t.app)
    .get('/cds-services')
    .set('Authorization', `Bearer ${await t.token('/cds-services')}`)
    .expect(200);
  const services = (res.body as { services: { id: string; prefetch?: Record<string, string> }[] }).services;
  return services.find((s) => s.id === serviceId)?.prefetch ?? {};
}

export interface Call {
  status: number;
  body: CdsResponse;
  trace?: Trace;
}

/**
 * One patient-view call. `keys`: the prefetch keys the "EHR" fills (default every key); the others are
 * left to Augur, which fetches them with the token. `header`: send `Augur-Trace: 1`.
 */
export async function callPatientView(
  t: ServiceApp,
  fhir: FhirServer,
  serviceId: string,
  patientId: string,
  o: { keys?: string[]; header?: boolean } = {},
): Promise<Call> {
  const templates = await templatesOf(t, serviceId);
  const chosen = Object.fromEntries(
    Object.entries(templates).filter(([k]) => o.keys === undefined || o.keys.includes(k)),
  );
  const prefetch = await fillPrefetch(chosen, { fhirBase: fhir.baseUrl, patientId, token: TOKEN });
  const path = `/cds-services/${serviceId}`;
  let req = request(t.app)
    .post(path)
    .set('Authorization', `Bearer ${await t.token(path)}`);
  if (o.header !== false) req = req.set('Augur-Trace', '1');
  const res = await req.send(
    aPatientViewRequest({ patientId, fhirServer: fhir.baseUrl, accessToken: TOKEN, prefetch }),
  );
  const body = res.body as CdsResponse;
  const trace = body.extension?.['augur-trace'] as Trace | undefined;
  return { status: res.status, body, ...(trace === undefined ? {} : { trace }) };
}

/**
 * The panel regression suite's world: one real FHIR server (token required) holding the whole panel,
 * loaded once with `loadPanel` as written (no date shift), and one Augur app with every clinical service,
 * its clock at the panel's as-of date. Calls go through HTTP with signed JWTs, with prefetch filled from
 * the discovery templates (as an EHR fills it) or without (Augur fetches from the FHIR server).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MedicationRequest } from 'fhir/r4.js';
import request from 'supertest';
import { loadPanel } from '../../cli/patients/load.js';
import type { Card } from '../../src/cds/types.js';
import { repoRoot } from '../../src/config/paths.js';
import { clinicalServices } from '../../src/services/index.js';
import type { DraftOrder, PanelIndex } from '../../tools/panel/types.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { aPatientViewRequest, anOrderRequest } from '../support/hook-requests.js';
import { fillPrefetch } from '../support/prefetch-fill.js';
import { startServiceApp, type ServiceApp } from '../support/services.js';
import { observe, type SeenCard } from './observe.js';

export const PANEL_DIR = join(repoRoot(), 'examples', 'patients');
export const TOKEN = 'panel-regression-token';

export const readIndex = (dir = PANEL_DIR): PanelIndex =>
  JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as PanelIndex;

export type Mode = 'prefetch' | 'fetch';

export interface PanelWorld {
  fhir: FhirServer;
  t: ServiceApp;
  /** The clock stored results are read back at. */
  now: Date;
  templates: Map<string, Record<string, string>>;
  /** Filled prefetch by templates + patient: the PGx order services share theirs across drafts. */
  prefetched: Map<string, Promise<Record<string, unknown>>>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /**
   * `as-of` (default): the panel loaded as written and Augur's clock at its as-of date, 12:00 UTC —
   * deterministic. `today`: the panel made current by `loadPanel` and Augur on the real clock, as a
   * tester's FHIR server holds it.
   */
  clock?: 'as-of' | 'today';
  patients?: string[];
}

export async function startPanelWorld(index: PanelIndex, o: WorldOptions = {}): Promise<PanelWorld> {
  const real = o.clock === 'today';
  const now = real ? new Date() : new Date(`${index.asOf}T12:00:00Z`);
  const fhir = await startFhirServer({ requireToken: TOKEN });
  await loadPanel({
    fhir: fhir.baseUrl,
    token: TOKEN,
    dir: PANEL_DIR,
    asOf: now,
    ...(o.patients === undefined ? {} : { patients: o.patients }),
  });
  const t = await startServiceApp((deps) => clinicalServices(deps), {
    now: () => (real ? new Date() : now),
    client: { fhirServers: [fhir.baseUrl] },
    // The suite sends every patient through every service twice: well over the default 600 calls a minute
    // per issuer on a fast machine (a CI run was throttled, 429). Throttling has its own tests.
    file: { limits: { perIssuerPerMinute: 100_000 } },
  });
  const res = await request(t.app)
    .get('/cds-services')
    .set('Authorization', `Bearer ${await t.token('/cds-services')}`)
    .expect(200);
  const services = (res.body as { services: { id: string; prefetch?: Record<string, string> }[] }).services;
  const templates = new Map(services.map((s) => [s.id, s.prefetch ?? {}]));
  return {
    fhir,
    t,
    now,
    templates,
    prefetched: new Map(),
    async close() {
      await t.close();
      await fhir.stop();
    },
  };
}

async function post(w: PanelWorld, serviceId: string, body: Record<string, unknown>): Promise<SeenCard[]> {
  const path = `/cds-services/${serviceId}`;
  const res = await request(w.t.app)
    .post(path)
    .set('Authorization', `Bearer ${await w.t.token(path)}`)
    .send(body);
  if (res.status !== 200)
    throw new Error(`${serviceId} answered ${String(res.status)}: ${JSON.stringify(res.body)}`);
  return observe(w.t.store, (res.body as { cards: Card[] }).cards, w.now);
}

/** How the hook request reaches the patient's data in each mode. */
async function dataFor(w: PanelWorld, serviceId: string, patientId: string, mode: Mode) {
  if (mode === 'fetch') return { patientId, fhirServer: w.fhir.baseUrl, accessToken: TOKEN };
  const templates = w.templates.get(serviceId) ?? {};
  const key = `${JSON.stringify(templates)}|${patientId}`;
  let filled = w.prefetched.get(key);
  if (filled === undefined) {
    filled = fillPrefetch(templates, { fhirBase: w.fhir.baseUrl, patientId, token: TOKEN });
    w.prefetched.set(key, filled);
  }
  // Each request gets its own copy: Augur must not see another call's objects.
  return { patientId, prefetch: structuredClone(await filled) };
}

export async function patientView(
  w: PanelWorld,
  serviceId: string,
  patientId: string,
  mode: Mode,
): Promise<SeenCard[]> {
  return post(w, serviceId, aPatientViewRequest(await dataFor(w, serviceId, patientId, mode)));
}

export function draftOf(order: DraftOrder, patientId: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: order.id,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: {
      coding: [
        { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: order.rxnorm, display: order.display },
      ],
      text: order.display,
    },
    ...(order.doseMg === undefined
      ? {}
      : {
          dosageInstruction: [
            {
              text: `${String(order.doseMg)} mg`,
              doseAndRate: [
                {
                  doseQuantity: {
                    value: order.doseMg,
                    unit: 'mg',
                    system: 'http://unitsofmeasure.org',
                    code: 'mg',
                  },
                },
              ],
            },
          ],
        }),
  };
}

let encounter = 0;

/** order-select with one draft selected, or order-sign with all of them; each call in its own encounter. */
export async function orderHook(
  w: PanelWorld,
  hook: 'order-select' | 'order-sign',
  patientId: string,
  orders: readonly DraftOrder[],
  mode: Mode,
): Promise<SeenCard[]> {
  const serviceId = hook === 'order-select' ? 'augur-pgx-order-select' : 'augur-pgx-order-sign';
  const drafts = orders.map((o) => draftOf(o, patientId));
  const selections =
    hook === 'order-select' ? drafts.map((d) => `MedicationRequest/${d.id ?? ''}`) : undefined;
  const body = anOrderRequest(hook, drafts, selections, {
    ...(await dataFor(w, serviceId, patientId, mode)),
    context: { encounterId: `panel-${String(++encounter)}` },
  });
  return post(w, serviceId, body);
}

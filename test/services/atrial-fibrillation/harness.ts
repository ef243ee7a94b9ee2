/**
 * End-to-end harness for the patient-view clinical services: the real app (signed JWTs, PGlite store,
 * built-in models, the services' card data), a real FHIR server (Medplum) and a movable clock. A
 * scenario is one synthetic patient's resources; it is sent either as complete prefetch or not at all
 * (the app fetches it from the FHIR server with the EHR's token), and both must give the same cards.
 */
import type { Bundle, FhirResource } from 'fhir/r4.js';
import request from 'supertest';
import type { CdsService } from '../../../src/cds/service.js';
import type { Card } from '../../../src/cds/types.js';
import type { ServiceDeps } from '../../../src/services/deps.js';
import { startFhirServer, type FhirServer } from '../../support/fhir-server.js';
import { aPatientViewRequest } from '../../support/hook-requests.js';
import { startServiceApp, type ServiceApp } from '../../support/services.js';

export const MODES = ['prefetch', 'fhir-server'] as const;
export type Mode = (typeof MODES)[number];

const TOKEN = 'ehr-access-token-for-the-test-fhir-server';

export interface Scenario {
  patientId: string;
  resources: FhirResource[];
}

/** Which prefetch key a resource belongs to, and whether the key's query would return it. */
const KEYS: Readonly<Record<string, { key: string; keep: (r: FhirResource) => boolean }>> = {
  Patient: { key: 'patient', keep: () => true },
  Condition: {
    key: 'conditions',
    keep: (r) => r.resourceType === 'Condition',
  },
  Observation: { key: 'observations', keep: () => true },
  MedicationRequest: {
    key: 'medicationRequests',
    keep: (r) => r.resourceType === 'MedicationRequest' && ['active', 'on-hold'].includes(r.status),
  },
  MedicationStatement: {
    key: 'medicationStatements',
    keep: (r) => r.resourceType === 'MedicationStatement' && ['active', 'on-hold'].includes(r.status),
  },
  ServiceRequest: {
    key: 'serviceRequests',
    keep: (r) => r.resourceType === 'ServiceRequest' && ['active', 'on-hold', 'draft'].includes(r.status),
  },
};

/** The complete prefetch for the service's keys: the Patient, and a searchset Bundle per search key. */
export function prefetchFor(service: CdsService, s: Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(service.definition.prefetch)) {
    if (decl.query.startsWith('Patient/')) {
      out[key] = s.resources.find((r) => r.resourceType === 'Patient') ?? null;
      continue;
    }
    const entries = s.resources.filter((r) => {
      const k = KEYS[r.resourceType];
      return k?.key === key && k.keep(r);
    });
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: entries.length,
      entry: entries.map((resource) => ({ resource })),
    };
    out[key] = bundle;
  }
  return out;
}

export interface Harness {
  app: ServiceApp;
  fhir: FhirServer;
  clock: { now: Date };
  service: CdsService;
  /** Invokes the service for the scenario; `prefetch` entries override or replace the built prefetch. */
  cards(s: Scenario, mode: Mode, prefetch?: Record<string, unknown>): Promise<Card[]>;
  feedback(items: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  build: (deps: ServiceDeps) => CdsService,
  options: { file?: Record<string, unknown>; now?: Date } = {},
): Promise<Harness> {
  const clock = { now: options.now ?? new Date('2026-11-22T12:00:00Z') };
  let service: CdsService | undefined;
  const fhir = await startFhirServer({ requireToken: TOKEN });
  const app = await startServiceApp(
    (deps) => {
      service = build(deps);
      return [service];
    },
    {
      now: () => clock.now,
      client: { fhirServers: [fhir.baseUrl] },
      ...(options.file === undefined ? {} : { file: options.file }),
    },
  );
  if (service === undefined) throw new Error('service not built');
  const svc = service;
  const path = `/cds-services/${svc.definition.id}`;
  return {
    app,
    fhir,
    clock,
    service: svc,
    async cards(s, mode, prefetch) {
      let body: Record<string, unknown>;
      if (mode === 'prefetch') {
        body = aPatientViewRequest({
          patientId: s.patientId,
          prefetch: { ...prefetchFor(svc, s), ...prefetch },
        });
      } else {
        await fhir.seed(s.resources);
        body = aPatientViewRequest({
          patientId: s.patientId,
          fhirServer: fhir.baseUrl,
          accessToken: TOKEN,
          ...(prefetch === undefined ? {} : { prefetch }),
        });
      }
      const res = await request(app.app)
        .post(path)
        .set('Authorization', `Bearer ${await app.token(path)}`)
        .send(body);
      if (res.status !== 200) throw new Error(`${String(res.status)}: ${JSON.stringify(res.body)}`);
      return (res.body as { cards: Card[] }).cards;
    },
    async feedback(items) {
      const fb = `${path}/feedback`;
      await request(app.app)
        .post(fb)
        .set('Authorization', `Bearer ${await app.token(fb)}`)
        .send({ feedback: items })
        .expect(200);
    },
    async close() {
      await fhir.stop();
      await app.close();
    },
  };
}

export const DAY_MS = 86_400_000;

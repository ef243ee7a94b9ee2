/**
 * Scale-out, proven on real processes: 3 Augur replicas (the real entry point, production mode) on one
 * PostgreSQL and one Redis, behind a real haproxy. What one replica learns, every replica honours:
 * replayed JWTs, per-issuer rate limits, overrides, stored results. Replicas started together migrate an
 * empty database once; a replica killed under load loses no acknowledged write and leaves the pool; with
 * Redis gone, JWTs are refused (the replay cache fails closed), never accepted unchecked.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cds/types.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { benchPatient, RISK_SERVICES } from '../../bench/patient.js';
import { fillPrefetch } from '../../cli/invoke/prefetch-fill.js';
import { startEhr, type Ehr } from '../support/ehr-signer.js';
import { startFhirServer, type FhirServer } from '../support/fhir-server.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { startCluster, stopProc, waitFor, type Cluster, type Replica } from './cluster.js';

/** Low enough to reach in a few calls; every scenario but the rate-limit one uses its own tenant. */
const PER_ISSUER_PER_MINUTE = 12;

let ehr: Ehr;
let fhir: FhirServer;
let cluster: Cluster;
/** Each risk service's prefetch for the bench patient, filled from the real discovery templates. */
const prefetch = new Map<string, Record<string, unknown>>();
/** A risk service that shows this patient a card. */
let serviceId = '';

interface Call {
  status: number;
  cards: Card[];
  body: unknown;
}

async function hook(base: string, service: string, o: { tenant: string; token?: string }): Promise<Call> {
  const token =
    o.token ??
    (await ehr.sign({ aud: `${cluster.url}/cds-services/${service}`, tenant: o.tenant, jti: randomUUID() }));
  const res = await fetch(`${base}/cds-services/${service}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(aPatientViewRequest({ prefetch: prefetch.get(service) ?? {} })),
  });
  const body: unknown = await res.json().catch(() => undefined);
  const cards = res.status === 200 ? (body as { cards: Card[] }).cards : [];
  return { status: res.status, cards, body };
}

async function feedback(
  base: string,
  service: string,
  tenant: string,
  item: Record<string, unknown>,
): Promise<number> {
  const path = `/cds-services/${service}/feedback`;
  const token = await ehr.sign({ aud: `${cluster.url}${path}`, tenant, jti: randomUUID() });
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ feedback: [{ outcomeTimestamp: new Date().toISOString(), ...item }] }),
  });
  await res.text();
  return res.status;
}

const resultIdOf = (card: Card): string | undefined =>
  card.links?.find((l) => l.type === 'smart')?.appContext;

const replica = (i: number): Replica => {
  const r = cluster.replicas[i];
  if (r === undefined) throw new Error(`no replica ${String(i)}`);
  return r;
};

beforeAll(async () => {
  ehr = await startEhr({ iss: 'https://replicas-ehr.test' });
  fhir = await startFhirServer();
  await fhir.seed(benchPatient(new Date()));
  cluster = await startCluster({
    replicas: 3,
    config: (publicBaseUrl) => ({
      publicBaseUrl,
      clients: [ehr.trustedClient()],
      // haproxy here checks every 300 ms and drops a replica after 2 failures: drain for longer.
      limits: { perIssuerPerMinute: PER_ISSUER_PER_MINUTE, drainDelayMs: 1_500 },
    }),
  });
  const discovery = (await (await fetch(`${cluster.url}/cds-services`)).json()) as {
    services: { id: string; prefetch?: Record<string, string> }[];
  };
  for (const s of discovery.services)
    if (RISK_SERVICES.includes(s.id))
      prefetch.set(
        s.id,
        await fillPrefetch(s.prefetch ?? {}, {
          fhirBase: fhir.baseUrl,
          patientId: 'p1',
          userId: 'Practitioner/dr1',
        }),
      );
  for (const s of RISK_SERVICES) {
    const call = await hook(cluster.url, s, { tenant: `probe-${randomUUID()}` });
    if (call.cards.some((c) => (c.overrideReasons?.length ?? 0) > 0)) {
      serviceId = s;
      break;
    }
  }
  if (serviceId === '')
    throw new Error('no risk service shows the bench patient a card with override reasons');
}, 300_000);

afterAll(async () => {
  // Each is unset if beforeAll failed before starting it.
  await (cluster as Cluster | undefined)?.close();
  await (fhir as FhirServer | undefined)?.stop();
  await (ehr as Ehr | undefined)?.stop();
}, 60_000);

describe('3 replicas behind haproxy, one PostgreSQL, one Redis', () => {
  it('replicas started together on an empty database migrate it once', async () => {
    const rows = await cluster.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    const migrated = cluster.replicas.filter((r) => r.output().includes('database schema migrated'));
    expect(migrated.map((r) => r.name)).toHaveLength(1);
  });

  it('the balancer spreads calls over every replica', async () => {
    const before = cluster.replicas.map((r) => r.output().length);
    for (let i = 0; i < 6; i++)
      expect((await hook(cluster.url, serviceId, { tenant: `spread-${randomUUID()}` })).status).toBe(200);
    const servedHookCalls = (r: Replica, i: number): number =>
      r.output().slice(before[i]).split('"route":"/cds-services/:id"').length - 1;
    await waitFor(
      'each replica logs the hook calls it served',
      () => Promise.resolve(cluster.replicas.every((r, i) => servedHookCalls(r, i) === 2)),
      5_000,
    );
  });

  it('a JWT accepted by one replica is refused by another (replay cache in Redis)', async () => {
    const token = await ehr.sign({
      aud: `${cluster.url}/cds-services/${serviceId}`,
      tenant: `replay-${randomUUID()}`,
      jti: randomUUID(),
    });
    expect((await hook(replica(0).url, serviceId, { tenant: '', token })).status).toBe(200);
    const replayed = await hook(replica(1).url, serviceId, { tenant: '', token });
    expect(replayed.status).toBe(401);
    expect((await hook(replica(2).url, serviceId, { tenant: '', token })).status).toBe(401);
  });

  it('the per-issuer rate limit holds across replicas (counted in Redis)', async () => {
    // A fixed one-minute window: start well inside one so the count is not reset half-way.
    const second = new Date().getUTCSeconds();
    if (second > 40) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const tenant = `rate-${randomUUID()}`;
    const calls = PER_ISSUER_PER_MINUTE + 6;
    const statuses: number[] = [];
    // Round robin over the replicas directly: each sees 6 calls, under the limit on its own.
    for (let i = 0; i < calls; i++)
      statuses.push((await hook(replica(i % 3).url, serviceId, { tenant })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(PER_ISSUER_PER_MINUTE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  }, 90_000);

  it('an override recorded through one replica silences the card on another', async () => {
    const tenant = `override-${randomUUID()}`;
    const first = await hook(replica(0).url, serviceId, { tenant });
    const card = first.cards.find((c) => (c.overrideReasons?.length ?? 0) > 0);
    expect(card).toBeDefined();
    const status = await feedback(replica(1).url, serviceId, tenant, {
      card: card?.uuid,
      outcome: 'overridden',
      overrideReason: { reason: card?.overrideReasons?.[0] },
    });
    expect(status).toBe(200);
    const again = await hook(replica(2).url, serviceId, { tenant });
    expect(again.status).toBe(200);
    expect(again.cards.map((c) => c.summary)).not.toContain(card?.summary);
  });

  it('a result stored by one replica is read from another', async () => {
    const call = await hook(replica(0).url, serviceId, { tenant: `result-${randomUUID()}` });
    const id = call.cards.map(resultIdOf).find((x) => x !== undefined);
    expect(id).toBeDefined();
    const res = await fetch(`${replica(1).url}/api/results/${String(id)}?patient=p1`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { serviceId?: string }).serviceId).toBe(serviceId);
  });

  it('a replica killed under load loses no acknowledged write, and the balancer drops it', async () => {
    const acknowledged: { cards: string[]; results: string[] }[] = [];
    const failures: number[] = [];
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const call = await hook(cluster.url, serviceId, { tenant: `load-${randomUUID()}` });
          if (call.status === 200)
            acknowledged.push({
              cards: call.cards.map((c) => c.uuid),
              results: call.cards.map(resultIdOf).filter((x): x is string => x !== undefined),
            });
          else failures.push(call.status);
        } catch {
          failures.push(0);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, worker));
    await new Promise((r) => setTimeout(r, 2_000));
    const victim = replica(1);
    victim.child.kill('SIGKILL');
    await victim.exited;
    await waitFor(
      'haproxy marks the killed replica DOWN',
      async () => (await cluster.serverStatus())['r2'] === 'DOWN',
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    stop = true;
    await load;

    expect(acknowledged.length).toBeGreaterThan(20);
    // Calls in flight on the killed replica may fail (502); nothing else may.
    expect(failures.every((s) => s === 502 || s === 503 || s === 0)).toBe(true);
    expect(failures.length).toBeLessThanOrEqual(6);
    // Every acknowledged card and result is in the shared database.
    const cardIds = acknowledged.flatMap((a) => a.cards);
    const resultIds = acknowledged.flatMap((a) => a.results);
    const storedCards = await cluster.query<{ n: string }>(
      'SELECT count(*) AS n FROM card_shown WHERE card_uuid = ANY($1)',
      [cardIds],
    );
    expect(Number(storedCards[0]?.n)).toBe(cardIds.length);
    const storedResults = await cluster.query<{ n: string }>(
      'SELECT count(*) AS n FROM result WHERE id = ANY($1)',
      [resultIds],
    );
    expect(Number(storedResults[0]?.n)).toBe(new Set(resultIds).size);
    // With the replica gone, every call through the balancer succeeds.
    for (let i = 0; i < 9; i++)
      expect((await hook(cluster.url, serviceId, { tenant: `after-${randomUUID()}` })).status).toBe(200);
  }, 60_000);

  it('a replica told to stop (SIGTERM) drains: it leaves the pool and no call through the balancer fails', async () => {
    const victim = replica(2);
    const statuses: number[] = [];
    const calls = (async () => {
      for (let i = 0; i < 15; i++)
        statuses.push((await hook(cluster.url, serviceId, { tenant: `drain-${randomUUID()}` })).status);
    })();
    await stopProc(victim, 'SIGTERM');
    expect(victim.child.exitCode).toBe(0);
    await calls;
    await waitFor(
      'haproxy marks the stopped replica DOWN',
      async () => (await cluster.serverStatus())['r3'] === 'DOWN',
      10_000,
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
  }, 60_000);

  it('with Redis down, JWTs are refused (fail closed, logged), never accepted unchecked', async () => {
    const survivor = replica(0);
    const before = survivor.output().length;
    await stopProc(cluster.redis, 'SIGKILL');
    const call = await hook(survivor.url, serviceId, { tenant: `redis-${randomUUID()}` });
    expect([401, 429, 503]).toContain(call.status);
    expect(call.body).toMatchObject({ resourceType: 'OperationOutcome' });
    await waitFor(
      'the replica logs that Redis is unavailable',
      () => Promise.resolve(survivor.output().slice(before).includes('Redis unavailable')),
      5_000,
    );
    expect(survivor.output()).not.toContain('Unhandled error event');
  }, 30_000);
});

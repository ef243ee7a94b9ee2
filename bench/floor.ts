/**
 * `npm run bench:floor`: what every patient-view call must spend, whatever Augur's code does, against the
 * budget issue 12's throughput target leaves — all measured in this run on this machine.
 *
 * The target is (b)/(a) ≥ 0.25 in `npm run bench`: Augur answering at least a quarter of the requests a
 * bare node:http server answers. Both are CPU-bound there, so Augur may spend at most 4 × the bare
 * server's CPU per request. Measured here:
 *   (a) the bare server's CPU per request under the same load as `npm run bench`;
 *   (1) JSON.parse of the same request body (the bare server pays this too);
 *   (2) verifying the request's ES384 JWT (CDS Hooks requires a signed JWT on every call; jose, as Augur);
 *   (3) the one durable store write of a call — its result, card shown and audit record, one statement
 *       (`Store.recordCall`), on the embedded store, with the rows a real call stores (taken from a real
 *       Augur that answered the same requests first). Alone (1 connection) and in groups of 8.
 * The clinical work (reading ≈ 90 resources, features, three models with exact explanations, the card)
 * is not counted: the floor is what remains if it cost nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { freePort } from '../sandbox/free-port.js';
import { openPgliteDb } from '../src/store/pglite.js';
import {
  toAuditRecord,
  toCardShown,
  toStoredResult,
  type AuditRow,
  type CardRow,
  type ResultRow,
} from '../src/store/rows.js';
import { createSqlStore } from '../src/store/sql-store.js';
import type { AuditRecord, CardShownRecord, StoredResult } from '../src/store/types.js';
import { startFhirServer } from '../test/support/fhir-server.js';
import { benchEhr, load, riskRequests, ROOT, spawnNode, startAugur, stop } from './harness.js';
import { benchPatient } from './patient.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');

/** CPU milliseconds (this process, all threads) per repetition of `fn`, after a warm-up. */
async function cpuPer(n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

async function main(): Promise<void> {
  const fhir = await startFhirServer();
  const work = mkdtempSync(join(tmpdir(), 'augur-floor-'));
  try {
    await fhir.seed(benchPatient(new Date()));
    const ehr = benchEhr();
    const run = { connections: 10, seconds: SECONDS };

    // (a) The bare server, as in `npm run bench`.
    const barePort = await freePort();
    const bare = spawnNode([join(ROOT, 'bench/bare-server.mjs')], { PORT: String(barePort) });
    // A real Augur answers the same requests, so that (3) writes the rows real calls write.
    const augurPort = await freePort();
    const augur = await startAugur(ROOT, augurPort, ehr.client, join(work, 'augur'));
    const requests = await riskRequests(`http://127.0.0.1:${String(augurPort)}`, fhir.baseUrl, ehr);
    let a;
    try {
      const bareRequests = requests.map((r) => ({ path: r.path, body: r.body }));
      await load('warm-up bare', barePort, bareRequests, run);
      a = await load('bare node:http', barePort, bareRequests, { ...run, pid: bare.pid });
      await load('augur (rows for the store write)', augurPort, requests, { connections: 4, seconds: 3 });
    } finally {
      await stop(bare);
      await stop(augur);
    }
    if (a.cpuMs === undefined) throw new Error('the CPU time of a process is read from /proc: Linux only');

    // (1) JSON.parse of the same bodies.
    const bodies = requests.map((r) => r.body);
    const parse = await cpuPer(3000, (i) => JSON.parse(bodies[i % bodies.length] ?? '{}'));

    // (2) ES384 verification of distinct tokens, as Augur verifies them.
    const keys = createLocalJWKSet(ehr.client.jwks);
    const aud = `http://127.0.0.1:${String(augurPort)}/cds-services/x`;
    const tokens = Array.from({ length: 1200 }, () => ehr.jwt(aud));
    const verify = await cpuPer(1000, (i) =>
      jwtVerify(tokens[i] ?? '', keys, { algorithms: ['ES384'], audience: aud }),
    );

    // (3) One call's durable write, with real rows, on a copy of that Augur's embedded store.
    const db = await openPgliteDb(join(work, 'augur', 'data', 'pglite'));
    let writeAlone: number;
    let writeGrouped: number;
    let payloadBytes: number;
    try {
      const results = (await db.query<ResultRow>('SELECT * FROM result LIMIT 30')).map(toStoredResult);
      const cards = (await db.query<CardRow>('SELECT * FROM card_shown LIMIT 30')).map(toCardShown);
      const audits = (await db.query<AuditRow>('SELECT * FROM audit_event LIMIT 30')).map(toAuditRecord);
      if (results.length === 0 || cards.length === 0 || audits.length === 0)
        throw new Error('the Augur run stored no rows to copy');
      payloadBytes = results.reduce((sum, r) => sum + JSON.stringify(r.payload).length, 0) / results.length;
      const store = createSqlStore(db);
      let n = 0;
      const call = (): { results: StoredResult[]; cards: CardShownRecord[]; audits: AuditRecord[] } => {
        n++;
        const id = `floor-${String(n)}`;
        const r = results[n % results.length] as StoredResult;
        const c = cards[n % cards.length] as CardShownRecord;
        const au = audits[n % audits.length] as AuditRecord;
        return {
          results: [{ ...r, id }],
          cards: [{ ...c, cardUuid: `${id}-card`, resultId: id }],
          audits: [{ ...au, requestId: id }],
        };
      };
      writeAlone = await cpuPer(400, () => store.recordCall(call()));
      writeGrouped =
        (await cpuPer(100, () => Promise.all(Array.from({ length: 8 }, () => store.recordCall(call()))))) / 8;
    } finally {
      await db.close();
    }

    const budget = a.cpuMs / 0.25;
    const floorAlone = verify + writeAlone;
    const floorGrouped = verify + writeGrouped;
    const row = (what: string, ms: number): string => `${what.padEnd(64)} ${ms.toFixed(3).padStart(7)} ms`;
    console.log(`\nCPU per call on this machine (${String(SECONDS)} s load for (a))`);
    console.log(row('(a) bare node:http server, per request, 10 connections', a.cpuMs));
    console.log(row('    budget for (b)/(a) = 0.25: 4 × (a)', budget));
    console.log(row('(1) JSON.parse of the request body (the bare server pays it too)', parse));
    console.log(row('(2) ES384 JWT verification (jose)', verify));
    console.log(
      row(
        `(3) one call's durable write, alone (payload ≈ ${String(Math.round(payloadBytes / 1024))} KiB)`,
        writeAlone,
      ),
    );
    console.log(row('    the same, in groups of 8 concurrent calls', writeGrouped));
    console.log(row('floor (2) + (3), 1 connection', floorAlone));
    console.log(row('floor (2) + (3), grouped', floorGrouped));
    console.log(
      `\nfloor ÷ budget: ${(floorGrouped / budget).toFixed(2)} grouped, ${(floorAlone / budget).toFixed(2)} alone — ` +
        `before reading a resource or running a model, the best (b)/(a) these two steps allow is ` +
        `${(a.cpuMs / floorGrouped).toFixed(3)} (${(a.cpuMs / (floorGrouped + parse)).toFixed(3)} with the body parse)`,
    );
  } finally {
    await fhir.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

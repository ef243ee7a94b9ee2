/**
 * `npm run soak`: Augur under steady load for SOAK_MINUTES (default 10) at 70 % of the maximum
 * throughput measured at the start (SOAK_FRACTION), the same patient-view calls as `npm run bench`.
 * Prints errors, p99 of the first vs the last minute, RSS after the first (warm-up) minute vs the end,
 * and the active handles (process.getActiveResourcesInfo()) then and at the end, read inside the Augur
 * process by a preloaded probe (bench/soak-probe.mjs). Exits 1 when a criterion fails: any error or
 * non-2xx answer; RSS growth ≥ 10 %; more active handles at the end than after warm-up (+2 for timers
 * that come and go); last-minute p99 more than twice the first minute's (a shared machine's noise is
 * below that; a leak or a growing table is not).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../sandbox/free-port.js';
import { startFhirServer } from '../test/support/fhir-server.js';
import { benchPatient } from './patient.js';
import { benchEhr, load, riskRequests, ROOT, startAugur, stop, type Run } from './harness.js';

const MINUTES = Number(process.env['SOAK_MINUTES'] ?? '10');
const FRACTION = Number(process.env['SOAK_FRACTION'] ?? '0.7');
const CONNECTIONS = Number(process.env['SOAK_CONNECTIONS'] ?? '10');
const MAX_SECONDS = 15;

interface Probe {
  rss: number;
  resources: string[];
}

async function probe(pid: number, file: string): Promise<Probe> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Probe;
    } catch {
      // not written yet
    }
  }
  throw new Error('the soak probe did not answer');
}

/** After a run: let the server close the load generator's sockets before counting handles. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 2_000));

const counts = (resources: readonly string[]): string => {
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(r, (byType.get(r) ?? 0) + 1);
  return [...byType.entries()].map(([k, n]) => `${k} ${String(n)}`).join(', ');
};

async function main(): Promise<void> {
  const fhir = await startFhirServer();
  const work = mkdtempSync(join(tmpdir(), 'augur-soak-'));
  const probeFile = join(work, 'probe.json');
  const ehr = benchEhr();
  const port = await freePort();
  const base = `http://127.0.0.1:${String(port)}`;
  process.env['SOAK_PROBE_FILE'] = probeFile;
  const augur = await startAugur(ROOT, port, ehr.client, join(work, 'augur'), [
    '--import',
    join(ROOT, 'bench', 'soak-probe.mjs'),
  ]);
  let failed: string[] = [];
  try {
    await fhir.seed(benchPatient(new Date()));
    const requests = await riskRequests(base, fhir.baseUrl, ehr);
    const pid = augur.pid;
    if (pid === undefined) throw new Error('Augur has no pid');

    await load('warm-up', port, requests, { connections: CONNECTIONS, seconds: 10 });
    const max = await load('maximum', port, requests, {
      connections: CONNECTIONS,
      seconds: MAX_SECONDS,
      pid,
    });
    const rate = Math.max(1, Math.round(max.rps * FRACTION));
    console.log(
      `maximum ${max.rps.toFixed(0)} req/s (p99 ${String(max.p99)} ms); soak at ${String(rate)} req/s (${String(Math.round(FRACTION * 100))} %) for ${String(MINUTES)} min, ${String(CONNECTIONS)} connections`,
    );

    const minutes: Run[] = [];
    let warm: Probe | undefined;
    for (let m = 1; m <= MINUTES; m++) {
      const r = await load(`minute ${String(m)}`, port, requests, {
        connections: CONNECTIONS,
        seconds: 60,
        overallRate: rate,
        pid,
      });
      minutes.push(r);
      console.log(
        `minute ${String(m).padStart(2)}: ${r.rps.toFixed(0)} req/s   p50 ${String(r.p50)} ms   p99 ${String(r.p99)} ms   CPU ${r.cpuMs?.toFixed(2) ?? '?'} ms/req   errors ${String(r.errors)}   non-2xx ${String(r.non2xx)}`,
      );
      if (m === 1) {
        await settle();
        warm = await probe(pid, probeFile);
      }
    }
    await settle();
    const end = await probe(pid, probeFile);
    const first = minutes[0]!;
    const last = minutes.at(-1)!;
    const errors = minutes.reduce((n, r) => n + r.errors + r.non2xx, max.errors + max.non2xx);
    const growth = warm === undefined ? 0 : (100 * (end.rss - warm.rss)) / warm.rss;
    const mib = (b: number): string => `${(b / 1_048_576).toFixed(1)} MiB`;
    console.log(`\nerrors (incl. timeouts and non-2xx): ${String(errors)}`);
    console.log(`p99 first minute ${String(first.p99)} ms, last minute ${String(last.p99)} ms`);
    if (warm !== undefined) {
      console.log(
        `RSS after warm-up (minute 1) ${mib(warm.rss)}, at the end ${mib(end.rss)}: growth ${growth.toFixed(1)} %`,
      );
      console.log(
        `active handles after warm-up ${String(warm.resources.length)} (${counts(warm.resources)})`,
      );
    }
    console.log(`active handles at the end ${String(end.resources.length)} (${counts(end.resources)})`);

    failed = [
      ...(errors > 0 ? [`${String(errors)} errors`] : []),
      ...(growth >= 10 ? [`RSS grew ${growth.toFixed(1)} % (limit 10 %)`] : []),
      ...(warm !== undefined && end.resources.length > warm.resources.length + 2
        ? [`active handles grew from ${String(warm.resources.length)} to ${String(end.resources.length)}`]
        : []),
      ...(MINUTES > 1 && last.p99 > 2 * first.p99
        ? [`p99 rose from ${String(first.p99)} ms to ${String(last.p99)} ms`]
        : []),
    ];
  } finally {
    await stop(augur);
    await fhir.stop();
    rmSync(work, { recursive: true, force: true });
  }
  if (failed.length > 0) {
    console.error(`soak FAILED: ${failed.join('; ')}`);
    process.exitCode = 1;
  } else console.log('soak passed');
}

await main();

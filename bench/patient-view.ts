/**
 * `npm run bench`: patient-view under load, against a baseline measured in the same run.
 *
 *   (a) a bare node:http server that parses the same request body and returns one fixed card;
 *   (b) Augur (the built `dist/src/main.js`, NODE_ENV=production) answering patient-view with complete
 *       prefetch for a realistic patient (≈ 90 Observations), a distinct signed ES384 JWT per request,
 *       requests spread over all three risk services, explanations on.
 *
 * Prints requests/s, p50 and p99 for each and the ratios (b)/(a). Both servers run as child processes;
 * autocannon runs here. The prefetch is what the real FHIR server answers for each discovered template.
 * Options: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10), BENCH_PROFILE=1 (writes a V8
 * CPU profile of Augur under load to bench/profiles/ and prints the top self-time functions),
 * BENCH_BASELINE=<checkout> (also measures (c): that checkout's built dist/src/main.js — e.g. a worktree
 * of main before a change — on the same requests, so a change's before/after is one run).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort } from '../sandbox/free-port.js';
import { startFhirServer } from '../test/support/fhir-server.js';
import { benchPatient } from './patient.js';
import { benchEhr, load, riskRequests, ROOT, spawnNode, startAugur, stop, type Run } from './harness.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? '10');
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const BASELINE = process.env['BENCH_BASELINE'];

function topSelfTime(file: string, n = 15): string[] {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byId.get(id)?.callFrame;
    if (f === undefined) continue;
    const where = f.url.replace(/^file:\/\//, '').replace(ROOT, '.');
    const key = `${f.functionName || '(anonymous)'} ${where}:${String(f.lineNumber + 1)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const byArea = new Map<string, number>();
  for (const id of profile.samples) {
    const url = byId.get(id)?.callFrame.url ?? '';
    const area =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      /\/(src\/[^/]+)/.exec(url)?.[1] ??
      (url.startsWith('node:')
        ? 'node'
        : url === ''
          ? (byId.get(id)?.callFrame.functionName ?? '')
          : url.startsWith('wasm')
            ? 'wasm'
            : 'other');
    byArea.set(area, (byArea.get(area) ?? 0) + 1);
  }
  const areas = [...byArea.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, c]) => `${((100 * c) / total).toFixed(1).padStart(5)} %  [${k}]`);
  return [
    ...areas,
    '',
    ...[...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, c]) => `${((100 * c) / total).toFixed(1).padStart(5)} %  ${k}`),
  ];
}

async function main(): Promise<void> {
  const run = { connections: CONNECTIONS, seconds: SECONDS };
  const fhir = await startFhirServer();
  const work = mkdtempSync(join(tmpdir(), 'augur-bench-'));
  const children: ChildProcess[] = [];
  try {
    await fhir.seed(benchPatient(new Date()));
    const ehr = benchEhr();

    const barePort = await freePort();
    const bare = spawnNode([join(ROOT, 'bench/bare-server.mjs')], { PORT: String(barePort) });
    children.push(bare);

    const profileDir = join(ROOT, 'bench', 'profiles');
    if (PROFILE) mkdirSync(profileDir, { recursive: true });
    const augurPort = await freePort();
    const base = `http://127.0.0.1:${String(augurPort)}`;
    const augur = await startAugur(
      ROOT,
      augurPort,
      ehr.client,
      join(work, 'augur'),
      PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    );
    children.push(augur);
    const baselinePort = await freePort();
    const baseline =
      BASELINE === undefined
        ? undefined
        : await startAugur(BASELINE, baselinePort, ehr.client, join(work, 'baseline'));
    if (baseline !== undefined) children.push(baseline);

    const augurRequests = await riskRequests(base, fhir.baseUrl, ehr);
    const bareRequests = augurRequests.map((r) => ({ path: r.path, body: r.body }));

    await load('warm-up bare', barePort, bareRequests, run);
    await load('warm-up augur', augurPort, augurRequests, run);
    const a = await load('bare node:http', barePort, bareRequests, { ...run, pid: bare.pid });
    const b = await load('augur patient-view', augurPort, augurRequests, { ...run, pid: augur.pid });
    const baselineRequests = augurRequests.map((r) => ({
      ...r,
      auth: (path: string) => ehr.jwt(`http://127.0.0.1:${String(baselinePort)}${path}`),
    }));
    if (BASELINE !== undefined) await load('warm-up baseline', baselinePort, baselineRequests, run);
    const c =
      baseline === undefined
        ? undefined
        : await load('baseline', baselinePort, baselineRequests, { ...run, pid: baseline.pid });

    const cpu = (r: Run): string => (r.cpuMs === undefined ? '' : `   CPU ${r.cpuMs.toFixed(2)} ms/req`);
    const row = (name: string, r: Run): string =>
      `${name.padEnd(28)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms${cpu(r)}   (${String(r.requests)} requests, ${String(r.errors)} errors, ${String(r.non2xx)} non-2xx)`;
    const cpuRatio = (x: Run, y: Run): string =>
      x.cpuMs === undefined || y.cpuMs === undefined ? '' : `   CPU/req ${(x.cpuMs / y.cpuMs).toFixed(2)}×`;
    console.log(
      `\n${String(CONNECTIONS)} connections, ${String(SECONDS)} s each, body ≈ ${String(Math.round(augurRequests[0]!.body.length / 1024))} KiB`,
    );
    console.log(row('(a) bare node:http', a));
    console.log(row('(b) augur patient-view', b));
    console.log(
      `ratio (b)/(a): throughput ${(b.rps / a.rps).toFixed(3)}   p50 ${(b.p50 / Math.max(a.p50, 1)).toFixed(1)}×   p99 ${(b.p99 / Math.max(a.p99, 1)).toFixed(1)}×${cpuRatio(b, a)}`,
    );
    if (c !== undefined) {
      console.log(row('(c) baseline patient-view', c));
      console.log(
        `ratio (b)/(c) (this build vs ${BASELINE ?? ''}): throughput ${(b.rps / c.rps).toFixed(2)}   p50 ${(b.p50 / Math.max(c.p50, 1)).toFixed(2)}×   p99 ${(b.p99 / Math.max(c.p99, 1)).toFixed(2)}×${cpuRatio(b, c)}   ((c)/(a) throughput ${(c.rps / a.rps).toFixed(3)})`,
      );
    }
    if (b.errors + b.non2xx > 0 || (c !== undefined && c.errors + c.non2xx > 0)) {
      process.exitCode = 1;
      console.error('augur answered errors or non-2xx under load: the figures above are not valid');
    }
  } finally {
    for (const c of children) await stop(c);
    await fhir.stop();
    rmSync(work, { recursive: true, force: true });
  }
  if (PROFILE) {
    const dir = join(ROOT, 'bench', 'profiles');
    const latest = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()
      .at(-1);
    if (latest !== undefined) {
      console.log(`\nCPU profile bench/profiles/${latest} — top self time (whole run, incl. start-up):`);
      for (const line of topSelfTime(join(dir, latest))) console.log(line);
    }
  }
}

await main();

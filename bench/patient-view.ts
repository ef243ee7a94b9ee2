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
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../sandbox/free-port.js';
import { repoRoot } from '../src/config/paths.js';
import { startFhirServer } from '../test/support/fhir-server.js';
import { benchPatient, RISK_SERVICES } from './patient.js';
import { fillPrefetch } from '../cli/invoke/prefetch-fill.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? '10');
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const BASELINE = process.env['BENCH_BASELINE'];
const ROOT = repoRoot();
const ISS = 'https://bench-ehr.test';

const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${String(child.exitCode)}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${String(timeoutMs)} ms`);
}

/** An EHR signing key; `jwt(aud)` signs synchronously (autocannon's setupRequest is synchronous). */
function benchEhr() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const kid = 'bench-es384';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' };
  const header = b64url(JSON.stringify({ alg: 'ES384', typ: 'JWT', kid }));
  return {
    client: { iss: ISS, jwks: { keys: [jwk] }, algorithms: ['ES384'] },
    jwt(aud: string): string {
      const iat = Math.floor(Date.now() / 1000);
      const payload = b64url(
        JSON.stringify({ iss: ISS, sub: 'bench', aud, iat, exp: iat + 300, jti: randomUUID() }),
      );
      const sig = sign('sha384', Buffer.from(`${header}.${payload}`), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${header}.${payload}.${b64url(sig)}`;
    },
  };
}

interface Discovery {
  services: { id: string; hook: string; prefetch?: Record<string, string> }[];
}

interface Run {
  /** CPU time (user + system) the server process spent per answered request, when known (Linux). */
  cpuMs?: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

/**
 * CPU seconds (user + system) a process has used, from /proc (Linux; undefined elsewhere). Unlike
 * requests/s, CPU time per request hardly moves when other processes compete for the cores.
 */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function load(
  title: string,
  port: number,
  requests: { path: string; body: string; auth?: (path: string) => string }[],
  pid?: number,
): Promise<Run> {
  const cpuBefore = cpuSeconds(pid);
  let i = 0;
  const result = await autocannon({
    title,
    url: `http://127.0.0.1:${String(port)}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = requests[i++ % requests.length]!;
          return {
            ...req,
            path: r.path,
            body: r.body,
            headers: {
              'content-type': 'application/json',
              ...(r.auth === undefined ? {} : { authorization: `Bearer ${r.auth(r.path)}` }),
            },
          };
        },
      },
    ],
  });
  const cpuAfter = cpuSeconds(pid);
  const answered = result.requests.total;
  return {
    ...(cpuBefore === undefined || cpuAfter === undefined || answered === 0
      ? {}
      : { cpuMs: (1000 * (cpuAfter - cpuBefore)) / answered }),
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

function spawnNode(args: string[], env: Record<string, string>, cwd = ROOT): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

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

/** Starts `root`'s built Augur (production mode, embedded store in `work`) and waits for /readyz. */
async function startAugur(
  root: string,
  port: number,
  client: unknown,
  work: string,
  profileDir?: string,
): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${String(port)}`;
  mkdirSync(work, { recursive: true });
  const configFile = join(work, 'augur.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      publicBaseUrl: base,
      clients: [client],
      // The bench is one issuer sending thousands of calls a second; a real site sizes this per EHR.
      limits: { perIssuerPerMinute: 100_000_000 },
    }),
  );
  const child = spawnNode(
    [
      ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
      join(root, 'dist/src/main.js'),
    ],
    {
      HOST: '127.0.0.1',
      PORT: String(port),
      AUGUR_CONFIG: configFile,
      AUGUR_DATA_DIR: join(work, 'data'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    root,
  );
  await waitFor(`${base}/readyz`, child);
  return child;
}

async function main(): Promise<void> {
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
      PROFILE ? profileDir : undefined,
    );
    children.push(augur);
    const baselinePort = await freePort();
    const baseline =
      BASELINE === undefined
        ? undefined
        : await startAugur(BASELINE, baselinePort, ehr.client, join(work, 'baseline'));
    if (baseline !== undefined) children.push(baseline);

    const discovery = (await (
      await fetch(`${base}/cds-services`, {
        headers: { authorization: `Bearer ${ehr.jwt(`${base}/cds-services`)}` },
      })
    ).json()) as Discovery;
    const services = discovery.services.filter((s) => RISK_SERVICES.includes(s.id));
    const absent = RISK_SERVICES.filter((id) => !services.some((s) => s.id === id));
    if (absent.length > 0) throw new Error(`risk services not in discovery: ${absent.join(', ')}`);

    const augurRequests = await Promise.all(
      services.map(async (s) => {
        const prefetch = await fillPrefetch(s.prefetch ?? {}, {
          fhirBase: fhir.baseUrl,
          patientId: 'p1',
          userId: 'Practitioner/dr1',
        });
        return {
          path: `/cds-services/${s.id}`,
          body: JSON.stringify({
            hook: 'patient-view',
            hookInstance: randomUUID(),
            context: { userId: 'Practitioner/dr1', patientId: 'p1' },
            prefetch,
          }),
          auth: (path: string) => ehr.jwt(`${base}${path}`),
        };
      }),
    );
    // Check before measuring: every service answers 200 with at least one card for this patient.
    for (const r of augurRequests) {
      const res = await fetch(`${base}${r.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${r.auth(r.path)}` },
        body: r.body,
      });
      const json = (await res.json()) as { cards?: { summary: string }[] };
      if (res.status !== 200) throw new Error(`${r.path}: ${String(res.status)} ${JSON.stringify(json)}`);
      console.log(
        `${r.path}: ${String(json.cards?.length ?? 0)} card(s) — ${(json.cards ?? []).map((c) => c.summary).join(' | ')}`,
      );
    }
    const bareRequests = augurRequests.map((r) => ({ path: r.path, body: r.body }));

    await load('warm-up bare', barePort, bareRequests);
    await load('warm-up augur', augurPort, augurRequests);
    const a = await load('bare node:http', barePort, bareRequests, bare.pid);
    const b = await load('augur patient-view', augurPort, augurRequests, augur.pid);
    const baselineRequests = augurRequests.map((r) => ({
      ...r,
      auth: (path: string) => ehr.jwt(`http://127.0.0.1:${String(baselinePort)}${path}`),
    }));
    if (BASELINE !== undefined) await load('warm-up baseline', baselinePort, baselineRequests);
    const c =
      baseline === undefined ? undefined : await load('baseline', baselinePort, baselineRequests, baseline.pid);

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

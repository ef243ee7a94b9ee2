/**
 * What the benchmarks share: the Augur under test as a child process (the built `dist/src/main.js`,
 * production mode, embedded store), an EHR that signs a distinct ES384 JWT per request, the
 * patient-view requests for the three risk services with complete prefetch (filled from the real test
 * FHIR server as `augur invoke` fills it), and autocannon runs that also report the server's CPU time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { repoRoot } from '../src/config/paths.js';
import { fillPrefetch } from '../cli/invoke/prefetch-fill.js';
import { RISK_SERVICES } from './patient.js';

export const ROOT = repoRoot();
const ISS = 'https://bench-ehr.test';

const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

export interface BenchRequest {
  path: string;
  body: string;
  auth?: (path: string) => string;
}

export async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
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

export type BenchEhr = ReturnType<typeof benchEhr>;

export /** An EHR signing key; `jwt(aud)` signs synchronously (autocannon's setupRequest is synchronous). */
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

export interface Run {
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

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Requests per second over all connections (default: as fast as the server answers). */
  overallRate?: number;
  /** The server's process id, to report its CPU time per request. */
  pid?: number | undefined;
}

export async function load(
  title: string,
  port: number,
  requests: readonly BenchRequest[],
  options: LoadOptions,
): Promise<Run> {
  const cpuBefore = cpuSeconds(options.pid);
  let i = 0;
  const result = await autocannon({
    title,
    url: `http://127.0.0.1:${String(port)}`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
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
  const cpuAfter = cpuSeconds(options.pid);
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

export function spawnNode(args: string[], env: Record<string, string>, cwd = ROOT): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export /** Starts `root`'s built Augur (production mode, embedded store in `work`) and waits for /readyz. */
async function startAugur(
  root: string,
  port: number,
  client: unknown,
  work: string,
  /** Extra node options, e.g. `--cpu-prof` or a preloaded probe. */
  nodeArgs: readonly string[] = [],
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
    [...nodeArgs, join(root, 'dist/src/main.js')],
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

/** The patient-view request of each risk service, from discovery, with its prefetch filled. */
export async function riskRequests(base: string, fhirBase: string, ehr: BenchEhr): Promise<BenchRequest[]> {
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
        fhirBase,
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
  return augurRequests;
}

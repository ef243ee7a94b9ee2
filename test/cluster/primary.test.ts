/**
 * Every core: the real entry point with AUGUR_WORKERS=2 on PostgreSQL and a private Redis. Both workers
 * serve the one port; a JWT used on one worker is refused on the other; `GET /metrics` on either worker
 * counts every worker's calls; a killed worker is replaced; SIGTERM stops them all and exits 0.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEhr, type Ehr } from '../support/ehr-signer.js';
import { aPatientViewRequest } from '../support/hook-requests.js';
import { createSchema, dropSchema, uniqueSchema, urlWithSchema } from '../store/engines.js';
import { freePort, startProc, stopProc, waitFor, type Proc } from '../replicas/cluster.js';

const SERVICE = 'augur-kidney-risk';
const METRICS_TOKEN = 'm'.repeat(40);
let ehr: Ehr;
let redis: Proc;
let augur: Proc;
let base = '';
const schema = uniqueSchema();
const dir = mkdtempSync(join(tmpdir(), 'augur-workers-'));

/** The worker that logged the request with this id. */
function servedBy(requestId: string): number | undefined {
  const line = augur
    .output()
    .split('\n')
    .find((l) => l.includes(`"reqId":"${requestId}"`) && l.includes('"msg":"request"'));
  return line === undefined ? undefined : (JSON.parse(line) as { worker?: number }).worker;
}

async function call(token?: string): Promise<{ status: number; requestId: string }> {
  const t = token ?? (await ehr.sign({ aud: `${base}/cds-services/${SERVICE}`, jti: randomUUID() }));
  // A fresh connection per call: the cluster's round robin hands out connections, not requests.
  const res = await fetch(`${base}/cds-services/${SERVICE}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t}`, connection: 'close' },
    body: JSON.stringify(aPatientViewRequest({ prefetch: {} })),
  });
  await res.text();
  return { status: res.status, requestId: res.headers.get('x-request-id') ?? '' };
}

beforeAll(async () => {
  ehr = await startEhr({ iss: 'https://workers-ehr.test' });
  await createSchema(schema);
  const redisPort = await freePort();
  redis = startProc(
    'redis',
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    process.env,
  );
  const port = await freePort();
  base = `http://127.0.0.1:${String(port)}`;
  const config = join(dir, 'augur.json');
  writeFileSync(config, JSON.stringify({ publicBaseUrl: base, clients: [ehr.trustedClient()] }));
  augur = startProc('augur', process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    ...process.env,
    NODE_ENV: 'production',
    AUGUR_WORKERS: '2',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    AUGUR_CONFIG: config,
    AUGUR_DATA_DIR: join(dir, 'data'),
    AUGUR_METRICS_TOKEN: METRICS_TOKEN,
    DATABASE_URL: urlWithSchema(schema),
    REDIS_URL: `redis://127.0.0.1:${String(redisPort)}`,
  });
  // Ready = both workers have loaded their models (each answers /readyz for itself).
  await waitFor(
    'both workers ready',
    () => Promise.resolve((augur.output().match(/"msg":"models loaded"/g) ?? []).length >= 2),
    240_000,
    augur,
  );
}, 300_000);

afterAll(async () => {
  await stopProc(augur);
  await stopProc(redis);
  await dropSchema(schema);
  await ehr.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('AUGUR_WORKERS=2', () => {
  it('both workers serve the one port', async () => {
    const served = new Set<number | undefined>();
    for (let i = 0; i < 6; i++) {
      const { status, requestId } = await call();
      expect(status).toBe(412); // authenticated; this request names no patient data (prefetch {})
      await waitFor('the request logged', () => Promise.resolve(servedBy(requestId) !== undefined), 5_000);
      served.add(servedBy(requestId));
    }
    expect([...served].sort()).toEqual([1, 2]);
  });

  it('a JWT accepted by one worker is refused by the other', async () => {
    // Find a pair of consecutive calls that land on different workers (round robin makes it the first).
    for (let attempt = 0; attempt < 5; attempt++) {
      const token = await ehr.sign({ aud: `${base}/cds-services/${SERVICE}`, jti: randomUUID() });
      const first = await call(token);
      const second = await call(token);
      expect(first.status).toBe(412); // authenticated
      expect(second.status).toBe(401);
      await waitFor('logged', () => Promise.resolve(servedBy(second.requestId) !== undefined), 5_000);
      if (servedBy(first.requestId) !== servedBy(second.requestId)) return;
    }
    throw new Error('never reached two different workers');
  });

  it('GET /metrics on either worker counts every worker', async () => {
    const total = async (): Promise<number> => {
      const res = await fetch(`${base}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}`, connection: 'close' },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      return [...text.matchAll(/^augur_hook_calls_total\{[^}]*service="augur-kidney-risk"[^}]*\} (\d+)/gm)]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    };
    const before = await total();
    for (let i = 0; i < 4; i++) await call();
    // Asked twice: on a fresh connection each, so from both workers; each reports the cluster's sum.
    expect(await total()).toBe(before + 4);
    expect(await total()).toBe(before + 4);
  });

  it('a worker that dies is replaced', async () => {
    const { requestId } = await call();
    await waitFor('logged', () => Promise.resolve(servedBy(requestId) !== undefined), 5_000);
    const pids = workerProcessIds();
    expect(pids.length).toBe(2);
    process.kill(pids[0] ?? 0, 'SIGKILL');
    await waitFor(
      'a replacement worker',
      () => Promise.resolve(augur.output().includes('a worker died: starting a replacement')),
      10_000,
    );
    await waitFor(
      'the replacement ready',
      () => Promise.resolve((augur.output().match(/"msg":"models loaded"/g) ?? []).length >= 3),
      240_000,
      augur,
    );
    for (let i = 0; i < 4; i++) expect((await call()).status).toBe(412);
  }, 300_000);

  it('SIGTERM stops every worker and the primary exits 0', async () => {
    const pids = workerProcessIds();
    augur.child.kill('SIGTERM');
    expect(await augur.exited).toBe(0);
    for (const pid of pids) expect(alive(pid), String(pid)).toBe(false);
  }, 60_000);
});

/** `state` and `ppid` of a process from /proc, or undefined when it is gone. */
function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const [state = '', ppid = ''] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Running (a zombie waiting to be reaped has exited). */
const alive = (pid: number): boolean => {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z';
};

/** The primary's worker processes (its children running src/main.ts; tsx also starts esbuild). */
function workerProcessIds(): number[] {
  const primary = augur.child.pid ?? 0;
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => stat(pid)?.ppid === primary && alive(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes('src/main.ts');
      } catch {
        return false;
      }
    });
}

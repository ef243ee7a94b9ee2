/**
 * A real scale-out deployment on this machine: N Augur processes (the real entry point, production
 * mode) sharing one PostgreSQL schema and one Redis, behind Debian's haproxy with an HTTP health check
 * on `/readyz`. The Redis is a private `redis-server` started for the suite (so it can be stopped
 * without touching the machine's shared one); PostgreSQL is the machine's, in a fresh schema.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../sandbox/free-port.js';
import { repoRoot } from '../../src/config/paths.js';
import { createSchema, dropSchema, uniqueSchema, urlWithSchema } from '../store/engines.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** haproxy must be installed (`.ci/run` installs it); say so plainly rather than skip. */
export function requireHaproxy(): string {
  const found = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '')
    throw new Error('test/replicas needs haproxy on PATH: apt-get install haproxy (.ci/run installs it)');
  return path;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
}

export function startProc(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(command, args, { cwd: repoRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { name, child, output: () => out, exited };
}

async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await p.exited;
  clearTimeout(timer);
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  proc?: Proc,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc !== undefined && proc.child.exitCode !== null)
      throw new Error(`${what}: ${proc.name} exited ${String(proc.child.exitCode)}\n${proc.output()}`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await sleep(150);
  }
  throw new Error(
    `${what}: not within ${String(timeoutMs)} ms${proc === undefined ? '' : `\n${proc.output()}`}`,
  );
}

export interface Replica extends Proc {
  port: number;
  url: string;
}

export interface Cluster {
  /** The balancer: the only URL an EHR is given (and so the JWT `aud`). */
  url: string;
  replicas: Replica[];
  databaseUrl: string;
  redis: Proc & { port: number };
  haproxy: Proc;
  /** haproxy's view of each server: `UP`, `DOWN`, … (from its CSV stats). */
  serverStatus(): Promise<Record<string, string>>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  replicas: number;
  /** AUGUR_CONFIG's content, given the balancer's URL. */
  config: (publicBaseUrl: string) => Record<string, unknown>;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const haproxyBin = requireHaproxy();
  const dir = mkdtempSync(join(tmpdir(), 'augur-replicas-'));
  const schema = uniqueSchema();
  await createSchema(schema);
  const databaseUrl = urlWithSchema(schema);
  const started: Proc[] = [];
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });

  const close = async (): Promise<void> => {
    await Promise.all(started.map((p) => stopProc(p)));
    await db.end();
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const redisPort = await freePort();
    const redis = Object.assign(
      startProc(
        'redis',
        'redis-server',
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        process.env,
      ),
      { port: redisPort },
    );
    started.push(redis);
    await waitFor(
      'redis',
      () =>
        Promise.resolve(
          spawnSync('redis-cli', ['-p', String(redisPort), 'ping'])
            .stdout.toString()
            .trim() === 'PONG',
        ),
      10_000,
      redis,
    );

    const lbPort = await freePort();
    const statsPort = await freePort();
    const url = `http://127.0.0.1:${String(lbPort)}`;
    const configFile = join(dir, 'augur.json');
    writeFileSync(configFile, JSON.stringify(o.config(url)));

    // All replicas are spawned in the same tick against the empty schema: they migrate concurrently.
    const replicas: Replica[] = [];
    for (let i = 1; i <= o.replicas; i++) {
      const port = await freePort();
      const proc = startProc(`replica-${String(i)}`, process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        ...process.env,
        NODE_ENV: 'production',
        // One process per replica here (production with PostgreSQL and Redis would fork one per core).
        AUGUR_WORKERS: '1',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        AUGUR_CONFIG: configFile,
        AUGUR_DATA_DIR: join(dir, `data-${String(i)}`),
        DATABASE_URL: databaseUrl,
        REDIS_URL: `redis://127.0.0.1:${String(redisPort)}`,
      });
      replicas.push(Object.assign(proc, { port, url: `http://127.0.0.1:${String(port)}` }));
    }
    started.push(...replicas);
    await Promise.all(
      replicas.map((r) =>
        waitFor(r.name, async () => (await fetch(`${r.url}/readyz`)).status === 200, 180_000, r),
      ),
    );

    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(lbPort, statsPort, replicas));
    const check = spawnSync(haproxyBin, ['-c', '-f', cfg], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy rejected its config:\n${check.stdout}${check.stderr}`);
    const haproxy = startProc('haproxy', haproxyBin, ['-db', '-f', cfg], process.env);
    started.push(haproxy);

    const serverStatus = async (): Promise<Record<string, string>> => {
      const csv = await (await fetch(`http://127.0.0.1:${String(statsPort)}/stats;csv`)).text();
      const [header = '', ...rows] = csv.replace(/^# /, '').trim().split('\n');
      const cols = header.split(',');
      const px = cols.indexOf('pxname');
      const sv = cols.indexOf('svname');
      const st = cols.indexOf('status');
      const out: Record<string, string> = {};
      for (const row of rows) {
        const f = row.split(',');
        if (f[px] === 'replicas' && f[sv] !== 'BACKEND' && f[sv] !== 'FRONTEND')
          out[f[sv] ?? ''] = f[st] ?? '';
      }
      return out;
    };
    await waitFor(
      'haproxy: every replica UP',
      async () => Object.values(await serverStatus()).filter((s) => s === 'UP').length === replicas.length,
      20_000,
      haproxy,
    );

    return {
      url,
      replicas,
      databaseUrl,
      redis,
      haproxy,
      serverStatus,
      query: async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
        (await db.query<T>(sql, params)).rows,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The balancer as a site would run it (deploy/haproxy.cfg is the same with fixed addresses): round
 * robin; a replica leaves the pool after two failed `/readyz` checks (so a draining replica, which
 * answers 503 at once, stops getting new calls) and returns after two good ones; a request whose
 * connection could not even be opened is retried on another replica — never one that may have reached
 * a replica, since a hook call is not idempotent.
 */
export function haproxyConfig(lbPort: number, statsPort: number, replicas: { port: number }[]): string {
  return [
    'global',
    '  maxconn 1000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 2',
    '  retry-on conn-failure',
    '  option redispatch',
    'frontend augur',
    `  bind 127.0.0.1:${String(lbPort)}`,
    '  default_backend replicas',
    'backend replicas',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    '  default-server inter 300ms fall 2 rise 2',
    ...replicas.map((r, i) => `  server r${String(i + 1)} 127.0.0.1:${String(r.port)} check`),
    'listen stats',
    `  bind 127.0.0.1:${String(statsPort)}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

export { freePort, stopProc };

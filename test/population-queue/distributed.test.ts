/**
 * Population scoring on BullMQ with three real worker processes (`augur score-worker`, from sources) over
 * the real Redis (DB 12, a key prefix per test): the population is scored exactly once (count and
 * checksum), a worker killed with SIGKILL mid-run loses no patient and stores none twice (BullMQ's
 * stalled-job recovery, short lock for the test), and the output files equal a one-machine run's
 * (line for line once sorted: batches finish in any order; summary.json equal but for its `run` timing
 * and the order of keys in its count maps).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueuePool } from '../../src/population-queue/pool.js';
import { connectionOf, QUEUE_NAME, resultsKey, writesKey } from '../../src/population-queue/queue.js';
import { OUTPUT_FILES, runPopulation } from '../../src/population/run.js';
import { run as cli } from '../../cli/main.js';
import { PANEL_NOW, population, writeNdjsonFolder } from '../support/panel-population.js';

const REDIS = `${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'}/12`;
const ROOT = join(import.meta.dirname, '..', '..');
const POPULATION = population(4);

interface WorkerProc {
  child: ChildProcess;
  batches: number;
  ready: Promise<void>;
}

function startWorker(prefix: string): WorkerProc {
  const env = { ...process.env };
  delete env['AUGUR_CONFIG'];
  delete env['AUGUR_MODELS_DIR'];
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'cli', 'entry.ts'),
      'score-worker',
      '--queue',
      REDIS,
      '--prefix',
      prefix,
      '--lock-duration-ms',
      '2000',
      '--stalled-interval-ms',
      '1000',
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const w: WorkerProc = { child, batches: 0, ready: Promise.resolve() };
  w.ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('score-worker ready')) resolve();
      w.batches = (out.match(/^batch /gm) ?? []).length;
    });
    child.once('exit', (code) => {
      reject(new Error(`worker exited early (${String(code)})`));
    });
  });
  return w;
}

/** Every output file's lines, sorted (the canonical order), and summary.json without its run timings. */
function outputs(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of [OUTPUT_FILES.riskAssessments, OUTPUT_FILES.worklistCsv, OUTPUT_FILES.worklistNdjson])
    out[name] = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .sort();
  const summary = JSON.parse(readFileSync(join(dir, OUTPUT_FILES.summary), 'utf8')) as Record<
    string,
    unknown
  >;
  delete summary['run'];
  out[OUTPUT_FILES.summary] = [canonical(summary)];
  return out;
}

/** JSON with object keys sorted: the summary's count maps fill in the order patients finish. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
const checksum = (o: Record<string, string[]>): string =>
  createHash('sha256').update(JSON.stringify(o)).digest('hex');

const tmp: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'augur-queue-'));
  tmp.push(d);
  return d;
};
let input: string;
let oneMachine: Record<string, string[]>;

beforeAll(async () => {
  input = dir();
  writeNdjsonFolder(input, POPULATION);
  const out = dir();
  const r = await runPopulation({ input, out, workers: 0, now: PANEL_NOW });
  expect(r.status).toBe('complete');
  oneMachine = outputs(out);
}, 180_000);

describe('augur score-worker × 3 on BullMQ', () => {
  const workers: WorkerProc[] = [];
  const prefixes: string[] = [];
  const redis = new Redis(connectionOf(REDIS) as RedisOptions);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    for (const p of prefixes) {
      const keys = await redis.keys(`${p}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
    for (const d of tmp) rmSync(d, { recursive: true, force: true });
  });

  it('scores the population exactly once and writes what one machine writes, though a worker is killed mid-run', async () => {
    const prefix = `augur-test-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    for (let i = 0; i < 3; i++) workers.push(startWorker(prefix));
    await Promise.all(workers.map((w) => w.ready));

    const events = new QueueEvents(QUEUE_NAME, { connection: connectionOf(REDIS), prefix });
    await events.waitUntilReady();
    let stalled = 0;
    events.on('stalled', () => {
      stalled += 1;
    });

    let killed = false;
    const run = randomUUID();
    const out = dir();
    const result = await runPopulation({
      input,
      out,
      workers: 3,
      batch: 4,
      now: PANEL_NOW,
      pool: () => openQueuePool({ url: REDIS, prefix }, run),
      onProgress: (p) => {
        // A quarter of the way in, the first worker dies holding a batch (it has finished one already).
        const victim = workers[0];
        if (!killed && victim !== undefined && victim.batches >= 1 && p.done >= POPULATION.length / 4) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      },
    });
    await events.close();

    expect(result.status).toBe('complete');
    expect(killed).toBe(true);
    expect(stalled).toBeGreaterThanOrEqual(1);
    // Every patient stored once: the HSETNX that wrote equal the population, and so do the results.
    expect(Number(await redis.get(writesKey(prefix, run)))).toBe(POPULATION.length);
    expect(await redis.hlen(resultsKey(prefix, run))).toBe(POPULATION.length);
    const got = outputs(out);
    expect(got[OUTPUT_FILES.riskAssessments]?.length).toBeGreaterThan(POPULATION.length);
    for (const name of Object.keys(oneMachine)) expect(got[name], name).toEqual(oneMachine[name]);
    expect(checksum(got)).toBe(checksum(oneMachine));
  }, 240_000);

  it('augur score --queue: the command scores on the workers and writes the same files', async () => {
    const prefix = prefixes[0] ?? '';
    expect(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)).toHaveLength(2);
    const before = workers.reduce((n, w) => n + w.batches, 0);
    const out = dir();
    const code = await cli([
      'score',
      '--input',
      input,
      '--out',
      out,
      '--queue',
      REDIS,
      '--queue-prefix',
      prefix,
      '--workers',
      '2',
      '--as-of',
      PANEL_NOW.toISOString().slice(0, 10),
    ]);
    expect(code).toBe(0);
    // The batches went to the worker processes, not to local threads.
    expect(workers.reduce((n, w) => n + w.batches, 0)).toBeGreaterThan(before);
    expect(outputs(out)).toEqual(oneMachine);
  }, 240_000);
});

/**
 * Population scoring on BullMQ with three real worker processes (`augur score-worker`, from sources) over
 * the real Redis (DB 12, a key prefix per test): the population is scored exactly once (count and
 * checksum), a worker killed with SIGKILL mid-run loses no patient and stores none twice (BullMQ's
 * stalled-job recovery, short lock for the test), and the gathered results equal a one-machine run's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreOnQueue } from '../../src/population-queue/distribute.js';
import { connectionOf, QUEUE_NAME } from '../../src/population-queue/queue.js';
import { scorePatient } from '../../src/population/score-patient.js';
import { openScorer } from '../../src/population/scorer.js';
import type { PatientScore } from '../../src/population/types.js';
import { PANEL_NOW, population } from '../support/panel-population.js';

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

const lines = (scores: PatientScore[]): string[] => scores.map((s) => JSON.stringify(s));
const checksum = (l: string[]): string => createHash('sha256').update(l.join('\n')).digest('hex');

let oneMachine: string[];

beforeAll(async () => {
  // The one-machine run: the same scorer, patient by patient, in the canonical order (patient id).
  const scorer = await openScorer({});
  const scores: PatientScore[] = [];
  for (const group of POPULATION) scores.push(await scorePatient(scorer.deps, group, PANEL_NOW));
  await scorer.close();
  scores.sort((a, b) => (a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0));
  oneMachine = lines(scores);
}, 120_000);

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
  });

  async function* patients(): AsyncGenerator<(typeof POPULATION)[number]> {
    for (const g of POPULATION) yield await Promise.resolve(g);
  }

  it('scores the population exactly once and gathers what one machine computes, though a worker is killed mid-run', async () => {
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
    const run = await scoreOnQueue({
      url: REDIS,
      prefix,
      patients: patients(),
      batchSize: 4,
      now: PANEL_NOW,
      onProgress: (e) => {
        // A quarter of the way in, the first worker dies holding a batch (it has taken one already).
        const victim = workers[0];
        if (!killed && victim !== undefined && victim.batches >= 1 && e.scored >= POPULATION.length / 4) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      },
    });
    await events.close();

    expect(killed).toBe(true);
    expect(stalled).toBeGreaterThanOrEqual(1);
    expect(run.patients).toBe(POPULATION.length);
    // Every patient stored once: the HSETNX that wrote equal the population.
    expect(run.writes).toBe(POPULATION.length);
    const gathered: PatientScore[] = [];
    for await (const s of run.results()) gathered.push(s);
    const got = lines(gathered);
    expect(got).toHaveLength(POPULATION.length);
    expect(new Set(gathered.map((s) => s.patientId)).size).toBe(POPULATION.length);
    expect(checksum(got)).toBe(checksum(oneMachine));
    expect(got).toEqual(oneMachine);
    await run.close();
  }, 240_000);
});

/**
 * The coordinator of `augur score --queue <redis URL>`: enqueues the population in batches of patients
 * (each patient with every resource of theirs, from the one grouping reader), waits for the workers, and
 * gathers the results in the canonical order — sorted by patient id — so the outputs are the same files a
 * one-machine run writes (same content; the one-machine run writes in the same order).
 *
 * Memory: the coordinator holds one batch at a time and, while gathering, the sorted patient ids (not the
 * results): results are read back from Redis `GATHER_CHUNK` at a time, in order. Enqueueing pauses while
 * more than `maxQueuedBatches` batches wait, so Redis holds a bounded share of the population too.
 */
import { randomUUID } from 'node:crypto';
import type { FhirResource } from 'fhir/r4.js';
import { Queue, QueueEvents } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { PatientScore } from '../population/types.js';
import {
  connectionOf,
  DEFAULT_PREFIX,
  QUEUE_NAME,
  resultsKey,
  writesKey,
  type BatchJob,
  type QueueTarget,
} from './queue.js';

const GATHER_CHUNK = 500;

export interface DistributeOptions extends QueueTarget {
  /** Each patient's resources, one group per patient (the population reader's output). */
  patients: AsyncIterable<readonly FhirResource[]>;
  /** Patients per job (default 50). */
  batchSize?: number;
  /** Pause enqueueing while this many batches wait (default 200). */
  maxQueuedBatches?: number;
  /** The scoring instant (default now). */
  now?: Date;
  /** Run id (default a new UUID); the results hash and job ids carry it. */
  run?: string;
  onProgress?: (e: { enqueued: number; scored: number }) => void;
  signal?: AbortSignal;
}

export interface DistributedRun {
  run: string;
  /** Patients enqueued. */
  patients: number;
  /** Results stored by the workers (HSETNX that wrote): equals `patients` when each was scored once. */
  writes: number;
  /** Every patient's result in patient-id order, read from Redis in chunks. */
  results(): AsyncGenerator<PatientScore>;
  /** Deletes the run's results from Redis and disconnects. */
  close(): Promise<void>;
}

export async function scoreOnQueue(o: DistributeOptions): Promise<DistributedRun> {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const connection = connectionOf(o.url);
  const run = o.run ?? randomUUID();
  const now = (o.now ?? new Date()).toISOString();
  const queue = new Queue<BatchJob>(QUEUE_NAME, { connection, prefix });
  const events = new QueueEvents(QUEUE_NAME, { connection, prefix });
  const redis = new Redis(connection as RedisOptions);
  const pending = new Set<string>();
  const failures: string[] = [];
  let resolveDone: (() => void) | undefined;
  const settle = (id: string): void => {
    pending.delete(id);
    if (pending.size === 0) resolveDone?.();
  };
  events.on('completed', ({ jobId }) => {
    if (jobId.startsWith(`${run}-b`)) settle(jobId);
  });
  events.on('failed', ({ jobId, failedReason }) => {
    if (!jobId.startsWith(`${run}-b`)) return;
    failures.push(`${jobId}: ${failedReason}`);
    settle(jobId);
  });
  const cleanup = async (): Promise<void> => {
    await events.close();
    await queue.close();
  };
  try {
    await events.waitUntilReady();
    let batch: FhirResource[][] = [];
    let n = 0;
    let patients = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      while ((await queue.getWaitingCount()) > (o.maxQueuedBatches ?? 200)) await sleep(200);
      n += 1;
      const id = `${run}-b${String(n)}`;
      pending.add(id);
      await queue.add(
        'batch',
        { run, now, patients: batch },
        { jobId: id, removeOnComplete: true, removeOnFail: 100 },
      );
      batch = [];
      o.onProgress?.({ enqueued: patients, scored: await redis.hlen(resultsKey(prefix, run)) });
    };
    for await (const group of o.patients) {
      if (o.signal?.aborted === true) throw new Error('scoring cancelled');
      batch.push([...group]);
      patients += 1;
      if (batch.length >= (o.batchSize ?? 50)) await flush();
    }
    await flush();
    await waitAll(
      () => pending.size,
      (r) => (resolveDone = r),
      async () => {
        // Events can be missed across reconnects: a job gone from the queue is done.
        for (const id of [...pending]) {
          const state = id === '' ? 'unknown' : await queue.getJobState(id);
          if (state === 'unknown' || state === 'completed') settle(id);
          if (state === 'failed') {
            failures.push(`${id}: failed`);
            settle(id);
          }
        }
        o.onProgress?.({ enqueued: patients, scored: await redis.hlen(resultsKey(prefix, run)) });
      },
      o.signal,
    );
    if (failures.length > 0) throw new Error(`batches failed on the workers: ${failures.join('; ')}`);
    const writes = Number((await redis.get(writesKey(prefix, run))) ?? '0');
    await cleanup();
    return {
      run,
      patients,
      writes,
      results: () => gather(redis, resultsKey(prefix, run)),
      close: async () => {
        await redis.del(resultsKey(prefix, run), writesKey(prefix, run));
        redis.disconnect();
      },
    };
  } catch (err) {
    await cleanup();
    redis.disconnect();
    throw err;
  }
}

async function waitAll(
  remaining: () => number,
  onDone: (resolve: () => void) => void,
  check: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const done = new Promise<void>((resolve) => {
    onDone(resolve);
  });
  while (remaining() > 0) {
    if (signal?.aborted === true) throw new Error('scoring cancelled');
    await Promise.race([done, sleep(1000)]);
    if (remaining() > 0) await check();
  }
}

/** The canonical order: patient ids sorted (code-unit order), results read in chunks. */
async function* gather(redis: Redis, key: string): AsyncGenerator<PatientScore> {
  const ids: string[] = [];
  let cursor = '0';
  do {
    const [next, fields] = await redis.hscan(key, cursor, 'COUNT', 1000);
    cursor = next;
    for (let i = 0; i < fields.length; i += 2) ids.push(fields[i] ?? '');
  } while (cursor !== '0');
  const unique = [...new Set(ids)].sort();
  for (let i = 0; i < unique.length; i += GATHER_CHUNK) {
    const chunk = unique.slice(i, i + GATHER_CHUNK);
    const values = await redis.hmget(key, ...chunk);
    for (const v of values) if (v !== null) yield JSON.parse(v) as PatientScore;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A `ScorePool` (src/population/pool.ts) whose batches are scored by `augur score-worker` processes over
 * BullMQ instead of local threads: `runPopulation` partitions, groups, keeps part files, resumes and
 * writes the outputs exactly as on one machine; only where a batch is scored changes.
 *
 * `score(batch)` enqueues one job and waits for it to finish (QueueEvents), then reads each patient's
 * result from the run's Redis hash — the one the first worker to finish that patient stored (HSETNX), so
 * a batch scored again after its worker died answers the same results.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { ScorePool } from '../population/pool.js';
import type { PatientScore } from '../population/types.js';
import {
  connectionOf,
  DEFAULT_PREFIX,
  patientKey,
  QUEUE_NAME,
  resultsKey,
  writesKey,
  type BatchJob,
  type QueueTarget,
} from './queue.js';

export interface QueuePool extends ScorePool {
  readonly run: string;
  /** Results stored by the workers so far (HSETNX that wrote): each patient once. */
  writes(): Promise<number>;
}

export async function openQueuePool(target: QueueTarget, run = randomUUID()): Promise<QueuePool> {
  const prefix = target.prefix ?? DEFAULT_PREFIX;
  const connection = connectionOf(target.url);
  const queue = new Queue<BatchJob>(QUEUE_NAME, { connection, prefix });
  const events = new QueueEvents(QUEUE_NAME, { connection, prefix });
  const redis = new Redis(connection as RedisOptions);
  await events.waitUntilReady();
  let n = 0;
  return {
    run,
    async score(patients, now) {
      n += 1;
      const job = await queue.add(
        'batch',
        { run, now: now.toISOString(), patients },
        { jobId: `${run}-b${String(n)}`, removeOnComplete: 1000, removeOnFail: 1000 },
      );
      try {
        await job.waitUntilFinished(events);
      } catch (err) {
        throw new Error(
          `a batch failed on the workers (${err instanceof Error ? err.message : 'unknown reason'})`,
        );
      }
      const keys = patients.map((p) => patientKey(p) ?? '');
      const values = await redis.hmget(resultsKey(prefix, run), ...keys);
      return values.map((v, i) => {
        if (v === null) throw new Error(`batch ${String(n)}: no stored result for patient ${String(i + 1)}`);
        return JSON.parse(v) as PatientScore;
      });
    },
    writes: async () => Number((await redis.get(writesKey(prefix, run))) ?? '0'),
    async close() {
      // The run's outputs are written from these by now; kept a day for inspection, then gone.
      await redis.expire(resultsKey(prefix, run), 86_400);
      await redis.expire(writesKey(prefix, run), 86_400);
      redis.disconnect();
      await events.close();
      await queue.close();
    },
  };
}

/**
 * `augur score-worker`: a BullMQ worker that scores batches of patients with the one population scorer (`scorePatientOrReason`, as a one-machine run)
 * (src/population: the services' own code path) and stores each patient's result once (HSETNX).
 * Start as many as wanted, anywhere that reaches Redis; each loads the models once.
 */
import type { FhirResource } from '../features/types.js';
import { Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { scorePatientOrReason } from '../population/score-patient.js';
import { openScorer, type ScorerOptions } from '../population/scorer.js';
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

/** HSETNX and the write count in one atomic step (a worker killed between them cannot skew the count). */
const STORE_ONCE = `if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('INCR', KEYS[2])
  return 1
end
return 0`;

export interface ScoreWorkerOptions extends QueueTarget {
  scorer?: ScorerOptions;
  /** Batches processed at once by this process (default 1: scoring is CPU-bound). */
  concurrency?: number;
  /** BullMQ lock and stalled-check timing (defaults 30 s / 30 s); tests shorten them. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Called after each batch (patients newly stored, patients already stored). */
  onBatch?: (e: { job: string; stored: number; skipped: number }) => void;
}

export interface ScoreWorker {
  /** Finishes the batch in hand, then stops. */
  close(): Promise<void>;
}

export async function startScoreWorker(o: ScoreWorkerOptions): Promise<ScoreWorker> {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const connection = connectionOf(o.url);
  const scorer = await openScorer(o.scorer ?? {});
  const redis = new Redis(connection as RedisOptions);

  const scoreBatch = async (job: Job<BatchJob>): Promise<{ stored: number; skipped: number }> => {
    const { run, now, patients } = job.data;
    const results = resultsKey(prefix, run);
    let stored = 0;
    let skipped = 0;
    for (const raw of patients) {
      const resources = raw as FhirResource[];
      const id = patientKey(resources);
      // Scored before this batch was interrupted (the worker holding it died): not scored again.
      if (id !== undefined && (await redis.hexists(results, id)) === 1) {
        skipped += 1;
        continue;
      }
      const score = await scorePatientOrReason(scorer.deps, resources, new Date(now));
      const set = await redis.eval(
        STORE_ONCE,
        2,
        results,
        writesKey(prefix, run),
        score.patientId,
        JSON.stringify(score),
      );
      if (set === 1) stored += 1;
      else skipped += 1;
    }
    return { stored, skipped };
  };

  const worker = new Worker<BatchJob, { stored: number; skipped: number }>(QUEUE_NAME, scoreBatch, {
    connection,
    prefix,
    concurrency: o.concurrency ?? 1,
    lockDuration: o.lockDurationMs ?? 30_000,
    stalledInterval: o.stalledIntervalMs ?? 30_000,
    // A batch whose worker died is retried on another (twice), then reported failed to the coordinator.
    maxStalledCount: 2,
  });
  worker.on('completed', (job, r) => {
    o.onBatch?.({ job: job.id ?? '?', stored: r.stored, skipped: r.skipped });
  });
  await worker.waitUntilReady();
  return {
    close: async () => {
      await worker.close();
      await scorer.close();
      redis.disconnect();
    },
  };
}

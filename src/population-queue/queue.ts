/**
 * Population scoring over many machines on BullMQ (Redis): the names and Redis keys both sides agree on.
 *
 * - One BullMQ queue, `population-score`, under a key prefix (default `augur`; tests use one per test).
 * - A job is one batch of patients (each patient: every resource of that patient), id `<run>-b<n>`.
 * - Results: one Redis hash per run, `<prefix>:population:<run>:results`, field = patient id, value = the
 *   `PatientScore` JSON (every model's result for that patient). Written with HSETNX, so a batch scored
 *   again after a worker died (BullMQ's stalled-job recovery) writes nothing twice; a patient already in
 *   the hash is not scored again.
 * - `<prefix>:population:<run>:writes` counts the HSETNX that stored something: it equals the population
 *   when every patient was scored exactly once.
 */
import type { ConnectionOptions } from 'bullmq';
import { patientIdOf } from '../cds/prefetch/patient-binding.js';
import type { FhirResource } from '../features/types.js';

export const QUEUE_NAME = 'population-score';
export const DEFAULT_PREFIX = 'augur';

export interface QueueTarget {
  /** `redis://[:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** BullMQ key prefix (default `augur`). */
  prefix?: string;
}

/** A batch of patients, as enqueued. */
export interface BatchJob {
  run: string;
  /** The scoring instant of the whole run (ISO): every worker scores "as of" the same time. */
  now: string;
  patients: unknown[][];
}

export function connectionOf(url: string): ConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new Error('--queue must be a redis:// or rediss:// URL');
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error('the Redis database in --queue must be a number');
  return {
    host: u.hostname,
    port: u.port === '' ? 6379 : Number(u.port),
    db: db === '' ? 0 : Number(db),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ requires this for blocking connections (workers).
    maxRetriesPerRequest: null,
  };
}

export const resultsKey = (prefix: string, run: string): string => `${prefix}:population:${run}:results`;
export const writesKey = (prefix: string, run: string): string => `${prefix}:population:${run}:writes`;

/** The key a patient's result is stored under: the id of the Patient its resources name. */
export function patientKey(resources: readonly FhirResource[]): string | undefined {
  return resources.map(patientIdOf).find((s) => s !== undefined);
}

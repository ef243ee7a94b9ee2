/**
 * Group commit: the per-call writes of concurrent hook calls (results, card history, audit) share one
 * transaction. A call's promise resolves only after the transaction holding its writes has committed, so
 * nothing is acknowledged before it is durable; if that transaction fails, every call in it is rejected
 * (none of its writes remain). No timer: the first write starts a transaction at once, and the writes
 * that arrive while it runs form the next one, so one call alone pays no extra latency while a burst of
 * N calls pays for ~2 commits instead of N (each commit is a WAL flush on PostgreSQL, file writes on PGlite).
 */
import type { Queryable, SqlDb } from './sql-db.js';

/** One call's writes, run inside the group's transaction. */
export type GroupWrite = (tx: Queryable) => Promise<void>;

interface Job {
  write: GroupWrite;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitter {
  /** Runs `write` in the next group transaction; resolves after that transaction commits. */
  run(write: GroupWrite): Promise<void>;
  /** Resolves once every write queued so far has been committed or rejected. */
  drain(): Promise<void>;
}

/** Largest number of calls in one transaction (bounds a transaction's size and lock time). */
export const MAX_GROUP = 256;

export function groupCommitter(db: Pick<SqlDb, 'transaction'>): GroupCommitter {
  let pending: Job[] = [];
  let flushing: Promise<void> | undefined;

  async function commit(batch: Job[]): Promise<void> {
    try {
      await db.transaction(async (tx) => {
        for (const job of batch) await job.write(tx);
      });
    } catch (e) {
      for (const job of batch) job.reject(e);
      return;
    }
    for (const job of batch) job.resolve();
  }

  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_GROUP);
      pending = pending.slice(batch.length);
      await commit(batch);
    }
    flushing = undefined;
  }

  return {
    run(write) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ write, resolve, reject });
        flushing ??= flush();
      });
    },
    drain: () => flushing ?? Promise.resolve(),
  };
}

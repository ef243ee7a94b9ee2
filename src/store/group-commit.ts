/**
 * Group commit: the per-call writes of concurrent hook calls (results, card history, audit) share one
 * atomic write (one statement, or one transaction). A call's promise resolves only after the transaction holding its writes has committed, so
 * nothing is acknowledged before it is durable; if that write fails, every call in it is rejected
 * (none of its writes remain). No timer: the first write starts a transaction at once, and the writes
 * that arrive while it runs form the next one, so one call alone pays no extra latency while a burst of
 * N calls pays for ~2 commits instead of N (each commit is a WAL flush on PostgreSQL, file writes on PGlite).
 */
import type { SqlDb } from './sql-db.js';

/**
 * Writes a whole group's items atomically: all of them or none (one statement, or a transaction when
 * one statement cannot hold them). Given every item at once, it can write each table's rows with one
 * multi-row statement instead of one statement per call (PGlite's per-statement cost is most of a small
 * insert's cost).
 */
export type GroupWrite<W> = (db: Pick<SqlDb, 'query' | 'transaction'>, items: readonly W[]) => Promise<void>;

interface Job<W> {
  item: W;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitter<W> {
  /** Writes `item` in the next group transaction; resolves after that transaction commits. */
  run(item: W): Promise<void>;
  /** Resolves once every write queued so far has been committed or rejected. */
  drain(): Promise<void>;
}

/** Largest number of calls in one transaction (bounds a transaction's size and lock time). */
export const MAX_GROUP = 256;

export function groupCommitter<W>(
  db: Pick<SqlDb, 'query' | 'transaction'>,
  write: GroupWrite<W>,
): GroupCommitter<W> {
  let pending: Job<W>[] = [];
  let flushing: Promise<void> | undefined;

  async function commit(batch: Job<W>[]): Promise<void> {
    try {
      await write(
        db,
        batch.map((job) => job.item),
      );
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
    run(item) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        flushing ??= flush();
      });
    },
    drain: () => flushing ?? Promise.resolve(),
  };
}

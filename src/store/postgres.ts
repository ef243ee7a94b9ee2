import pg from 'pg';
import type { Queryable, SqlDb } from './sql-db.js';
import { createSqlStore } from './sql-store.js';
import type { Store } from './types.js';

type PgQueryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

function queryable(target: PgQueryable): Queryable {
  return {
    query: async <R>(sql: string, params: readonly unknown[] = []) =>
      (await target.query(sql, [...params])).rows as R[],
  };
}

async function inTransaction<T>(pool: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(queryable(client));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      // A connection that cannot roll back must not go back to the pool mid-transaction.
      broken = rollbackErr instanceof Error ? rollbackErr : new Error('rollback failed');
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Opens a pool on a PostgreSQL server. `databaseUrl` may carry `?options=-c search_path=…` to place the
 * schema somewhere other than `public`.
 */
export function openPostgresDb(databaseUrl: string): SqlDb {
  // A dead server should fail readiness in seconds rather than hang the probe.
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, that would kill the
  // process. The pool discards the client, and the next query or ping reports the failure instead.
  pool.on('error', () => undefined);
  return {
    ...queryable(pool),
    transaction: (fn) => inTransaction(pool, fn),
    close: () => pool.end(),
  };
}

/** The {@link Store} on a PostgreSQL server. Call `migrate()` before use. */
export function openPostgresStore(databaseUrl: string): Promise<Store> {
  return Promise.resolve(createSqlStore(openPostgresDb(databaseUrl)));
}

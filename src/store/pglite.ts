import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Queryable, SqlDb } from './sql-db.js';
import { withFeedbackIndex } from './feedback-index.js';
import { createSqlStore } from './sql-store.js';
import type { Store } from './types.js';

type PgliteQueryable = Pick<PGlite, 'query'>;

function queryable(pg: PgliteQueryable): Queryable {
  return {
    query: async <R>(sql: string, params: readonly unknown[] = []) =>
      (await pg.query<R>(sql, [...params])).rows,
  };
}

/**
 * Opens (creating on first use) an embedded PostgreSQL in `dataDir`: WASM, no server, no native build.
 * A statement is acknowledged only after its writes reached files in `dataDir` (PGlite's default,
 * non-relaxed durability), so it survives the process being killed (tested with SIGKILL). It does not
 * survive an OS crash or power loss for certain: PGlite runs with fsync off and its WASM runtime turns
 * fdatasync into a no-op, so recent commits may sit in the OS page cache. Use PostgreSQL where that
 * matters. Only one process may open a directory at a time.
 */
export async function openPgliteDb(dataDir: string): Promise<SqlDb> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const pg = await PGlite.create(dir);
  return {
    ...queryable(pg),
    // PGlite runs one transaction at a time and queues other queries behind it, so no pool is needed.
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx))),
    close: () => pg.close(),
  };
}

/** The {@link Store} over an open PGlite handle (the only process using it), with its feedback index. */
export function pgliteStore(db: SqlDb): Store {
  return withFeedbackIndex(createSqlStore(db), db);
}

/** The {@link Store} on an embedded PGlite database persisted in `dataDir`. Call `migrate()` before use. */
export async function openPgliteStore(dataDir: string): Promise<Store> {
  return pgliteStore(await openPgliteDb(dataDir));
}

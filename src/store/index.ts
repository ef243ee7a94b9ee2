import { join } from 'node:path';
import { openPgliteStore } from './pglite.js';
import { openPostgresStore } from './postgres.js';
import type { Store } from './types.js';

export type * from './types.js';
export { openPgliteStore } from './pglite.js';
export { openPostgresStore } from './postgres.js';

export interface OpenStoreOptions {
  /** Augur's data directory; the embedded database lives in its `pglite/` subdirectory. */
  dataDir: string;
  /** When set, PostgreSQL at this URL is used instead of the embedded database. */
  databaseUrl?: string | undefined;
  /**
   * Told which migrations this process applied (not called when the schema was already current). With
   * several replicas starting on one empty database, exactly one of them applies each version.
   */
  onMigrated?: (versions: number[]) => void;
}

/**
 * Opens the store — PostgreSQL when `databaseUrl` is set, else embedded PGlite under `dataDir` — and
 * brings its schema up to date. If migration fails, the store is closed before the error is rethrown.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store =
    options.databaseUrl === undefined
      ? await openPgliteStore(join(options.dataDir, 'pglite'))
      : await openPostgresStore(options.databaseUrl);
  try {
    const applied = await store.migrate();
    if (applied.length > 0) options.onMigrated?.(applied);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

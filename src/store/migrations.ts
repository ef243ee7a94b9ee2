import type { Queryable, SqlDb } from './sql-db.js';
import { MIGRATIONS, type Migration } from './schema.js';

/**
 * Key of the transaction-scoped advisory lock that serialises migrations: two processes starting at once
 * (rolling deploy, several replicas) would otherwise both see version N missing and both try to apply it.
 * Any fixed bigint works; this one is "augur" in ASCII.
 */
const MIGRATION_LOCK_KEY = 0x6175677572;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Brings the schema up to date: applies, in one transaction, every migration not yet recorded in
 * `schema_migrations`. Idempotent, and safe when several processes migrate the same database at once.
 * @returns the versions applied by this call (empty when already up to date).
 */
export async function migrate(db: SqlDb, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    // Taken before anything else, including CREATE TABLE IF NOT EXISTS, which itself races on the catalog.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_MIGRATIONS_TABLE);
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await apply(tx, m);
      applied.push(m.version);
    }
    return applied;
  });
}

async function apply(tx: Queryable, m: Migration): Promise<void> {
  for (const statement of m.statements) await tx.query(statement);
  await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
}

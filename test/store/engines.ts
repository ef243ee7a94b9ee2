/**
 * One harness per engine, so the same store cases run against embedded PGlite and a real PostgreSQL.
 * Each test file gets its own empty database: a temp directory (PGlite) or a uniquely named schema in the
 * shared `test` database (PostgreSQL), dropped afterwards so that database stays clean.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPgliteDb } from '../../src/store/pglite.js';
import { openPostgresDb } from '../../src/store/postgres.js';
import type { SqlDb } from '../../src/store/sql-db.js';
import { createSqlStore } from '../../src/store/sql-store.js';
import type { Store } from '../../src/store/types.js';

export const TEST_DATABASE_URL =
  process.env.AUGUR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Engine {
  readonly name: 'pglite' | 'postgres';
  /** Opens the file's database and returns every independent handle on it (PostgreSQL: several pools). */
  open(handles: number): Promise<SqlDb[]>;
  /** Closes every handle, leaving the database to another process until {@link Engine.restart}. */
  release(): Promise<void>;
  /** Closes (if open) and reopens the same database, as a process restart would. */
  restart(): Promise<void>;
  readonly db: SqlDb;
  readonly store: Store;
  dispose(): Promise<void>;
}

interface Opened {
  db: SqlDb;
  store: Store;
}

/** How an engine builds its store over a handle (default: the plain SQL store). */
type MakeStore = (db: SqlDb) => Store;

/** Builds an engine from "open one handle" and "remove the database"; the rest is shared. */
function engine(
  name: Engine['name'],
  openOne: () => Promise<SqlDb>,
  create: () => Promise<void>,
  remove: () => Promise<void>,
  makeStore: MakeStore = createSqlStore,
): Engine {
  const wrap = (db: SqlDb): Opened => ({ db, store: makeStore(db) });
  let all: SqlDb[] = [];
  let current: Opened | undefined;
  const must = (): Opened => {
    if (current === undefined) throw new Error(`${name} engine not open`);
    return current;
  };
  return {
    name,
    async open(handles) {
      await create();
      // PGlite allows one handle per directory, so its "several handles" are the same one repeated.
      const first = await openOne();
      all = [first];
      for (let i = 1; i < handles; i++) all.push(name === 'postgres' ? await openOne() : first);
      current = wrap(first);
      return all;
    },
    async release() {
      await Promise.all([...new Set(all)].map((db) => db.close()));
      all = [];
    },
    async restart() {
      await this.release();
      current = wrap(await openOne());
      all = [current.db];
    },
    get db() {
      return must().db;
    },
    get store() {
      return must().store;
    },
    async dispose() {
      await Promise.all([...new Set(all)].map((db) => db.close().catch(() => undefined)));
      await remove();
    },
  };
}

/**
 * PGlite in a fresh temp directory laid out as `openStore({ dataDir })` expects (`dataDir/pglite`).
 * `makeStore: pgliteStore` runs the cases on the store `openStore` gives (with its feedback index).
 */
export function pgliteEngine(makeStore?: MakeStore): Engine & { readonly dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'augur-store-'));
  const base = engine(
    'pglite',
    () => openPgliteDb(join(dataDir, 'pglite')),
    () => Promise.resolve(),
    () => {
      rmSync(dataDir, { recursive: true, force: true });
      return Promise.resolve();
    },
    makeStore,
  );
  return Object.assign(base, { dataDir });
}

/** A connection string whose sessions use `schema` instead of `public`. */
export function urlWithSchema(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A schema name no other test file uses; safe to splice into DDL (letters, digits, underscore). */
export function uniqueSchema(): string {
  return `augur_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function createSchema(schema: string): Promise<void> {
  await admin(`CREATE SCHEMA "${schema}"`);
}

export async function dropSchema(schema: string): Promise<void> {
  await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

export function postgresEngine(): Engine & { readonly url: string } {
  const schema = uniqueSchema();
  const url = urlWithSchema(schema);
  const base = engine(
    'postgres',
    () => Promise.resolve(openPostgresDb(url)),
    () => createSchema(schema),
    () => dropSchema(schema),
  );
  return Object.assign(base, { url });
}

/** Rows counted with a parameterised query on the engine's raw handle; `from` is the FROM/WHERE tail. */
export async function count(engine: Engine, from: string, params: readonly unknown[] = []): Promise<number> {
  const rows = await engine.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`, params);
  return rows[0]?.n ?? -1;
}

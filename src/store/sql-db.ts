/**
 * The one seam between the store and a database engine. Both engines (PGlite and PostgreSQL) are driven
 * through this interface with identical SQL, so a query that works in tests on one works on the other.
 */

/** A result row as the driver returns it; each query names the shape it selects. */
export type Row = Record<string, unknown>;

/** Something that runs one parameterised statement: the pool, or a connection inside a transaction. */
export interface Queryable {
  /** Runs one statement with `$n` placeholders; `params` are never interpolated into the SQL text. */
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A database handle: statements, transactions on one connection, and release of every resource. */
export interface SqlDb extends Queryable {
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

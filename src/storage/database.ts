import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

/**
 * The one storage interface the rest of Sada sees. Two engines implement it with the same SQL:
 * PGlite (embedded, in-process) and PostgreSQL (server). Typed queries go through `kysely`;
 * bulk loads and migrations use `transaction`, which also offers COPY.
 */
export interface Database {
  readonly engine: 'pglite' | 'postgres';
  readonly kysely: Kysely<Schema>;
  /**
   * Plain SQL outside a transaction; rows come back with counts as numbers on both engines.
   * `prepared` names a statement the server keeps planned per connection (PostgreSQL; PGlite
   * plans every time): for a hot statement whose planning costs as much as its execution.
   */
  query<R>(sql: string, params?: unknown[], options?: { prepared?: string }): Promise<R[]>;
  /** Runs `work` in one transaction on one connection; it rolls back if `work` throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Transaction {
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** `COPY table (columns) FROM STDIN WITH (FORMAT csv)` fed with `csv`. */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<void>;
}

/** PostgreSQL type ids whose text both engines must read the same way. */
export const PG_TYPES = { int8: 20, numeric: 1700 } as const;

export function copyStatement(table: string, columns: readonly string[], source: string): string {
  return `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM ${source} WITH (FORMAT csv)`;
}

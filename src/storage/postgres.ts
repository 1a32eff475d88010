import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { copyStatement, PG_TYPES, type Database, type Transaction } from './database.ts';
import type { Schema } from './schema.ts';

// pg returns bigint and numeric as strings (they may not fit a double); Sada's counts and sums
// do, and PGlite returns them as numbers, so both engines read them the same way.
const types = {
  getTypeParser(id: number, format?: 'text' | 'binary') {
    if (id === PG_TYPES.int8 || id === PG_TYPES.numeric) return (text: string) => Number(text);
    return pg.types.getTypeParser(id, format);
  },
};

function clientTransaction(client: pg.PoolClient): Transaction {
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return (await client.query({ text: sql, values: params, types })).rows as R[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async copyCsv(table, columns, csv) {
      await pipeline(Readable.from([csv]), client.query(copyFrom(copyStatement(table, columns, 'STDIN'))));
    },
  };
}

/** Opens a pool on a PostgreSQL server (SADA_DATABASE_URL). */
export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types });
  // Fail now with the server's own words (wrong host, no such database) rather than at first use.
  const probe = await pool.connect();
  probe.release();
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    kysely,
    query: async (sql, params, options) => (await pool.query({ name: options?.prepared, text: sql, values: params ?? [], types })).rows,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(clientTransaction(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await kysely.destroy();
    },
  };
}

import { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { copyStatement, PG_TYPES, type Database, type Transaction } from './database.ts';
import { Mutex } from './mutex.ts';
import type { Schema } from './schema.ts';

type Queryable = Pick<PGlite, 'query' | 'exec'>;

const parsers = {
  [PG_TYPES.int8]: (text: string) => Number(text),
  [PG_TYPES.numeric]: (text: string) => Number(text),
};

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: Queryable) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pg.query<R>(query.sql, query.parameters as unknown[]);
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on PGlite');
  }
}

/** Kysely driver over one PGlite instance; the mutex keeps transactions from interleaving. */
class PGliteDriver implements Driver {
  readonly #releases = new Map<DatabaseConnection, () => void>();

  constructor(
    private readonly pg: PGlite,
    private readonly mutex: Mutex,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.lock();
    const connection = new PGliteConnection(this.pg);
    this.#releases.set(connection, release);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#releases.get(connection)?.();
    this.#releases.delete(connection);
  }

  async destroy(): Promise<void> {}
}

function pgliteTransaction(pg: Queryable): Transaction {
  return {
    async query<R>(sql: string, params: unknown[] = []) {
      return (await pg.query<R>(sql, params)).rows;
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    async copyCsv(table, columns, csv) {
      await pg.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([csv]) });
    },
  };
}

/** What PostgreSQL's default max_wal_size lets the write-ahead log grow to between checkpoints. */
const MAX_WAL_BYTES = 1024 ** 3;

/**
 * PGlite runs no checkpointer process: without a CHECKPOINT its write-ahead log only grows (12 GB
 * of WAL beside 6.7 GB of data midway through loading a 10M-response demo). After each write
 * transaction, a checkpoint once the log holds more than PostgreSQL's default max_wal_size.
 */
async function checkpointWhenWalIsLarge(pg: Queryable, maxWalBytes: number): Promise<void> {
  const { rows } = await pg.query<{ bytes: number }>('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()');
  if ((rows[0]?.bytes ?? 0) > maxWalBytes) await pg.exec('CHECKPOINT');
}

/**
 * Opens the embedded database: in `dataDir` on disk, or in memory when `dataDir` is undefined
 * (tests). `loadDataDir` starts from a dumped data directory instead of running initdb.
 */
export interface EmbeddedDatabase extends Database {
  /** The data directory as a tarball, to start other instances without initdb (test templates). */
  dumpDataDir(): Promise<Blob>;
}

export async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob, options: { maxWalBytes?: number } = {}): Promise<EmbeddedDatabase> {
  const maxWalBytes = options.maxWalBytes ?? MAX_WAL_BYTES;
  const pg = await PGlite.create(dataDir, { parsers, ...(loadDataDir ? { loadDataDir } : {}) });
  const mutex = new Mutex();
  const kysely = new Kysely<Schema>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new PGliteDriver(pg, mutex),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return {
    engine: 'pglite',
    kysely,
    query: (sql, params) => mutex.run(async () => (await pg.query<never>(sql, params ?? [])).rows),
    transaction: (work) =>
      mutex.run(async () => {
        const result = await pg.transaction((tx) => work(pgliteTransaction(tx)));
        await checkpointWhenWalIsLarge(pg, maxWalBytes);
        return result;
      }),
    dumpDataDir: () => mutex.run(() => pg.dumpDataDir('none')),
    async close() {
      await mutex.run(() => pg.close());
    },
  };
}

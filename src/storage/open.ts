import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Database } from './database.ts';
import { lockDataDir, type DataDirLock } from './lock.ts';
import { migrate } from './migrate.ts';
import { openPGlite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface OpenedDatabase {
  db: Database;
  /** Present for the embedded database: the data-directory lock this process holds. */
  lock: DataDirLock | undefined;
  /** Migrations this open applied (empty when the schema was up to date). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens the configured database (PostgreSQL when SADA_DATABASE_URL is set, else the embedded one,
 * locked for this process) and brings its schema up to date.
 */
export async function openDatabase(config: Config, command: string): Promise<OpenedDatabase> {
  let lock: DataDirLock | undefined;
  let db: Database;
  if (config.databaseUrl) {
    db = await openPostgres(config.databaseUrl);
  } else {
    lock = lockDataDir(config.dataDir, command);
    try {
      db = await openPGlite(join(config.dataDir, 'pgdata'));
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  let applied: string[];
  try {
    applied = await migrate(db);
  } catch (error) {
    await db.close();
    lock?.release();
    throw error;
  }
  return {
    db,
    lock,
    applied,
    async close() {
      await db.close();
      lock?.release();
    },
  };
}

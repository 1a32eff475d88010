import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Database } from '../../src/storage/database.ts';
import { listMigrations, migrate } from '../../src/storage/migrate.ts';
import { openPGlite } from '../../src/storage/pglite.ts';
import { openPostgres } from '../../src/storage/postgres.ts';
import { ensureWorkspace, type Workspace } from '../../src/storage/workspaces.ts';

/**
 * Runs the same integration tests on every database Sada supports (one contract, two engines):
 * always on PGlite, and on PostgreSQL when SADA_TEST_DATABASE_URL is set. Tests stay independent
 * by using a fresh workspace each — the same isolation production relies on.
 */

/** A migrated PGlite data directory, dumped once per schema version so tests skip initdb. */
async function pgliteTemplate(): Promise<Blob> {
  const hash = createHash('sha256');
  for (const m of listMigrations()) hash.update(m.version).update(m.sql);
  const path = join(tmpdir(), `sada-test-template-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const db = await openPGlite(undefined);
  await migrate(db);
  const blob = await db.dumpDataDir();
  await db.close();
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
  renameSync(partial, path); // atomic: a parallel test process never reads half a template
  return blob;
}

export async function openTestPGlite(): Promise<Database> {
  return openPGlite(undefined, await pgliteTemplate());
}

export const TEST_POSTGRES_URL = process.env.SADA_TEST_DATABASE_URL;

export interface Engine {
  name: 'pglite' | 'postgres';
  open(): Promise<Database>;
}

export const ENGINES: Engine[] = [
  { name: 'pglite', open: openTestPGlite },
  ...(TEST_POSTGRES_URL
    ? [
        {
          name: 'postgres' as const,
          async open() {
            const db = await openPostgres(TEST_POSTGRES_URL, { max: 4 });
            await migrate(db);
            return db;
          },
        },
      ]
    : []),
];

export interface TestDatabase {
  /** The open database; valid inside tests. */
  readonly db: Database;
  /** A new, empty workspace for one test. */
  workspace(prefix?: string): Promise<Workspace>;
}

/** `describe` once per engine, with the database opened before and closed after. */
export function describeEachEngine(title: string, body: (t: TestDatabase) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine.name}]`, () => {
      let db: Database | undefined;
      const handle: TestDatabase = {
        get db() {
          if (!db) throw new Error('database not open yet');
          return db;
        },
        workspace: (prefix = 'test') => ensureWorkspace(handle.db, `${prefix}-${randomUUID().slice(0, 8)}`),
      };
      before(async () => {
        db = await engine.open();
      });
      after(async () => {
        await db?.close();
      });
      body(handle);
    });
  }
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECORD_KIND_NAMES, recordKind, type FieldType } from '../src/domain/record-kinds.ts';
import { migrate } from '../src/storage/migrate.ts';
import { describeEachEngine } from './support/databases.ts';

const SQL_TYPES: Record<FieldType, string> = {
  text: 'text',
  key: 'text',
  integer: 'integer',
  number: 'double precision',
  boolean: 'boolean',
  timestamp: 'timestamp with time zone',
  json: 'jsonb',
};

describeEachEngine('schema', (t) => {
  test('every record table has the columns its kind declares, with matching types and NOT NULLs', async () => {
    for (const name of RECORD_KIND_NAMES) {
      const kind = recordKind(name);
      const columns = await t.db.query<{ column_name: string; data_type: string; is_nullable: string }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1`,
        [kind.table],
      );
      const byName = new Map(columns.map((c) => [c.column_name, c]));
      for (const field of kind.fields) {
        const column = byName.get(field.name);
        assert.ok(column, `${kind.table}.${field.name} exists`);
        assert.equal(column.data_type, SQL_TYPES[field.type], `${kind.table}.${field.name} type`);
        const notNull = field.name === 'id' || field.name === 'attributes' || ('required' in field && field.required === true);
        assert.equal(column.is_nullable, notNull ? 'NO' : 'YES', `${kind.table}.${field.name} nullability`);
      }
      assert.equal(byName.get('workspace_id')?.is_nullable, 'NO');
    }
  });

  test('workspace_id leads every primary key of workspace data', async () => {
    const keys = await t.db.query<{ table_name: string; first_column: string }>(
      `SELECT tc.table_name, kcu.column_name AS first_column
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
       WHERE tc.table_schema = current_schema() AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND kcu.ordinal_position = 1`,
    );
    // Control-plane tables (migration 0011): global, reference tables under Citus.
    const global = new Set(['workspaces', 'schema_migrations', 'users', 'sessions', 'api_keys', 'audit_log']);
    const offenders = keys.filter((k) => !global.has(k.table_name) && k.first_column !== 'workspace_id');
    assert.deepEqual(offenders, []);
    assert.ok(keys.length >= 12);
  });

  test('migrating again is a no-op', async () => {
    assert.deepEqual(await migrate(t.db), []);
  });
});

import type { ColumnType, Generated } from 'kysely';
import type { FieldType, RECORD_KINDS, RecordKindName } from '../domain/record-kinds.ts';

/**
 * Row types for Kysely. The record tables are derived from the field lists in
 * domain/record-kinds.ts, so the importer, the migrations test and the queries agree on one
 * description of each table.
 */

type ValueOf<T extends FieldType> = T extends 'text' | 'key'
  ? string
  : T extends 'integer' | 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'timestamp'
        ? Date
        : Record<string, unknown>;

type FieldsOf<K extends RecordKindName> = (typeof RECORD_KINDS)[K]['fields'][number];

export type RecordRow<K extends RecordKindName> = {
  [F in FieldsOf<K> as F['name']]: F extends { name: 'id' }
    ? string
    : F extends { required: true }
      ? ValueOf<F['type']>
      : ValueOf<F['type']> | null;
} & {
  workspace_id: number;
  imported_at: Generated<Date>;
  updated_at: Date | null;
};

export interface WorkspaceTable {
  id: Generated<number>;
  name: string;
  timezone: Generated<string>;
  settings: Generated<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface CatalogTable {
  workspace_id: number;
  key: string;
  builtin: Generated<boolean>;
}

export interface ImportRunTable {
  workspace_id: number;
  id: Generated<number>;
  kind: string;
  source: string;
  status: Generated<'running' | 'done' | 'failed' | 'interrupted'>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  message: string | null;
  started_at: Generated<Date>;
  finished_at: Date | null;
}

export interface Schema {
  workspaces: WorkspaceTable;
  touchpoints: CatalogTable & { position: number | null };
  channels: CatalogTable;
  import_runs: ImportRunTable;
  schema_migrations: { version: string; applied_at: ColumnType<Date, never, never> };
  customers: RecordRow<'customers'>;
  teams: RecordRow<'teams'>;
  employees: RecordRow<'employees'>;
  responses: RecordRow<'responses'>;
  tickets: RecordRow<'tickets'> & { derived_fields: Generated<string[]> };
  messages: RecordRow<'messages'>;
  orders: RecordRow<'orders'>;
  subscriptions: RecordRow<'subscriptions'>;
  visits: RecordRow<'visits'>;
}

import type { Queryable } from './accounts.ts';
import type { Transaction } from './database.ts';
import { beginRollupBatch } from './rollups.ts';

/**
 * Customers one at a time (the customers API; imports write them in bulk). Every statement is
 * keyed by the workspace. A customer's segment is a rollup dimension: a change to it (or a
 * customer with a segment created or deleted) marks the rollups stale in the same transaction,
 * like an import of customers does, and the caller rebuilds them.
 */

export const CUSTOMER_FIELDS = ['name', 'email', 'segment', 'age_band', 'gender', 'country', 'city', 'sector', 'headcount', 'plan', 'signup_at'] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

export interface CustomerRecord {
  id: string;
  name: string | null;
  email: string | null;
  segment: string | null;
  age_band: string | null;
  gender: string | null;
  country: string | null;
  city: string | null;
  sector: string | null;
  headcount: number | null;
  plan: string | null;
  signup_at: string | null;
  attributes: Record<string, unknown>;
  updated_at: string | null;
}

export type CustomerInput = Partial<Record<Exclude<CustomerField, 'headcount'>, string | null>> & { headcount?: number | null; attributes?: Record<string, unknown> };

const COLUMNS = `id, ${CUSTOMER_FIELDS.join(', ')}, attributes, coalesce(updated_at, imported_at) AS updated_at`;
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const recordOf = (r: CustomerRecord): CustomerRecord => ({ ...r, signup_at: iso(r.signup_at), updated_at: iso(r.updated_at) });

export async function listCustomers(db: Queryable, workspaceId: number, options: { limit: number; after?: string; q?: string; segment?: string }): Promise<CustomerRecord[]> {
  const like = options.q ? `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db.query<CustomerRecord>(
    `SELECT ${COLUMNS} FROM customers WHERE workspace_id = $1 AND ($2::text IS NULL OR id > $2)
       AND ($3::text IS NULL OR id ILIKE $3 ESCAPE '\\' OR name ILIKE $3 ESCAPE '\\' OR email ILIKE $3 ESCAPE '\\')
       AND ($4::text IS NULL OR segment = $4)
     ORDER BY id LIMIT $5`,
    [workspaceId, options.after ?? null, like, options.segment ?? null, options.limit],
  );
  return rows.map(recordOf);
}

export async function findCustomer(db: Queryable, workspaceId: number, id: string): Promise<CustomerRecord | undefined> {
  const [row] = await db.query<CustomerRecord>(`SELECT ${COLUMNS} FROM customers WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row ? recordOf(row) : undefined;
}

const markStaleForSegment = (tx: Transaction, workspaceId: number) => beginRollupBatch(tx, workspaceId, 'customers', ['segment'], 'SELECT NULL::text', []);

/** Inserts the customer; undefined when the id is taken. Whether the rollups went stale. */
export async function insertCustomer(tx: Transaction, workspaceId: number, id: string, input: CustomerInput): Promise<{ customer?: CustomerRecord; stale: boolean }> {
  const fields = CUSTOMER_FIELDS.filter((f) => input[f] !== undefined);
  const params: unknown[] = [workspaceId, id, JSON.stringify(input.attributes ?? {}), ...fields.map((f) => input[f])];
  const [row] = await tx.query<CustomerRecord>(
    `INSERT INTO customers (workspace_id, id, attributes${fields.map((f) => `, ${f}`).join('')}, updated_at)
     VALUES ($1, $2, $3::jsonb${fields.map((_, i) => `, $${i + 4}`).join('')}, now())
     ON CONFLICT (workspace_id, id) DO NOTHING RETURNING ${COLUMNS}`,
    params,
  );
  if (!row) return { stale: false };
  const stale = Boolean(row.segment);
  if (stale) await markStaleForSegment(tx, workspaceId);
  return { customer: recordOf(row), stale };
}

/** Changes the fields given (attributes are merged; a null attribute removes it). */
export async function updateCustomer(tx: Transaction, workspaceId: number, id: string, input: CustomerInput): Promise<{ customer?: CustomerRecord; stale: boolean }> {
  const before = await findCustomer(tx, workspaceId, id);
  if (!before) return { stale: false };
  const fields = CUSTOMER_FIELDS.filter((f) => input[f] !== undefined);
  const params: unknown[] = [workspaceId, id, input.attributes ? JSON.stringify(input.attributes) : null, ...fields.map((f) => input[f])];
  const [row] = await tx.query<CustomerRecord>(
    `UPDATE customers SET updated_at = now(),
       attributes = CASE WHEN $3::jsonb IS NULL THEN attributes ELSE jsonb_strip_nulls(attributes || $3::jsonb) END
       ${fields.map((f, i) => `, ${f} = $${i + 4}`).join('')}
     WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  const stale = input.segment !== undefined && input.segment !== before.segment;
  if (stale) await markStaleForSegment(tx, workspaceId);
  return { customer: recordOf(row!), stale };
}

export async function deleteCustomer(tx: Transaction, workspaceId: number, id: string): Promise<{ customer?: CustomerRecord; stale: boolean }> {
  const [row] = await tx.query<CustomerRecord>(`DELETE FROM customers WHERE workspace_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [workspaceId, id]);
  if (!row) return { stale: false };
  const stale = Boolean(row.segment);
  if (stale) await markStaleForSegment(tx, workspaceId);
  return { customer: recordOf(row), stale };
}

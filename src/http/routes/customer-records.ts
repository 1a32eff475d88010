import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { writeAudit } from '../../storage/audit.ts';
import { deleteCustomer, findCustomer, insertCustomer, listCustomers, updateCustomer, type CustomerInput } from '../../storage/customer-records.ts';
import type { Database } from '../../storage/database.ts';
import { refreshRollups } from '../../storage/rollups.ts';
import { actorOf } from '../auth.ts';
import { apiOperation, parseBody, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * Customers one by one (imports bring them in bulk): GET /api/v1/customers (viewers; keyset
 * pages by id, search), GET /customers/:id, and for analysts POST, PATCH, DELETE, each audited
 * in its transaction. A changed segment rebuilds the rollups after the commit.
 */

const BODY_LIMIT = 32 * 1024;
const NOT_FOUND = 'There is no such customer in this workspace.';

const text = (name: string, max = 200) => z.string({ invalid_type_error: `${name} must be a string` }).trim().max(max, `${name} must be at most ${max} characters`).nullable().optional();
const ID = z.string({ required_error: 'id is required: the customer’s id in your systems' }).trim().min(1, 'id must not be empty').max(200, 'id must be at most 200 characters');
const fields = {
  name: text('name'),
  email: z.string().trim().max(320).email('email must be an e-mail address').nullable().optional(),
  segment: text('segment', 100),
  age_band: text('age_band', 50),
  gender: text('gender', 50),
  country: text('country', 100),
  city: text('city', 100),
  sector: text('sector', 100),
  headcount: z.number().int().min(0).max(10_000_000).nullable().optional(),
  plan: text('plan', 100),
  signup_at: z.string().datetime({ offset: true, message: 'signup_at must be an ISO 8601 time with its zone' }).nullable().optional(),
  attributes: z
    .record(z.string().max(100), z.unknown())
    .refine((v) => Object.keys(v).length <= 100, 'at most 100 attributes')
    .refine((v) => JSON.stringify(v).length <= 16_384, 'attributes take at most 16 KB')
    .optional(),
};
export const customerCreateSchema = z.object({ id: ID, ...fields }).strict();
export const customerUpdateSchema = z
  .object(fields)
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one field to change');
export const customerListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().max(200).optional().describe('The last id of the previous page'),
  q: z.string().max(200).optional().describe('Text to find in the id, name or e-mail'),
  segment: z.string().max(100).optional(),
});

const customerSchema = z.object({ id: z.string(), ...Object.fromEntries(Object.keys(fields).map((k) => [k, z.unknown()])) });
apiOperation({ method: 'get', path: '/api/v1/customers', tag: 'customers', role: 'viewer', summary: 'Customers by id, a page at a time', query: customerListQuery, responses: { 200: { description: 'A page (`next`: the after of the next page)', schema: z.object({ customers: z.array(customerSchema), next: z.string().nullable() }) }, 400: 'Not a valid query' } });
apiOperation({ method: 'post', path: '/api/v1/customers', tag: 'customers', role: 'analyst', summary: 'Add a customer', body: customerCreateSchema, responses: { 201: { description: 'Added', schema: z.object({ customer: customerSchema }) }, 400: 'Not valid', 409: 'The id is taken' } });
apiOperation({ method: 'get', path: '/api/v1/customers/{id}', tag: 'customers', role: 'viewer', summary: 'One customer', responses: { 200: { description: 'The customer', schema: z.object({ customer: customerSchema }) } } });
apiOperation({ method: 'patch', path: '/api/v1/customers/{id}', tag: 'customers', role: 'analyst', summary: 'Change a customer (attributes are merged; null removes one)', body: customerUpdateSchema, responses: { 200: { description: 'Changed', schema: z.object({ customer: customerSchema }) }, 400: 'Not valid' } });
apiOperation({ method: 'delete', path: '/api/v1/customers/{id}', tag: 'customers', role: 'analyst', summary: 'Delete a customer record (their answers, orders and tickets stay)', responses: { 204: 'Deleted' } });

const idOf = (value: string) => {
  if (value.length === 0 || value.length > 200) throw new HTTPException(404, { message: NOT_FOUND });
  return value;
};

export function customerRecordRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };
  const afterCommit = async (workspaceId: number, stale: boolean) => {
    if (stale) await refreshRollups(db, workspaceId);
  };

  routes.get('/customers', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, customerListQuery);
    const customers = await listCustomers(db, workspace.id, query);
    return c.json({ customers, next: customers.length === query.limit ? customers.at(-1)!.id : null });
  });

  routes.post('/customers', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const { id, ...input } = await parseBody(c, customerCreateSchema, BODY_LIMIT);
    const actor = actorOf(c.get('principal'));
    const result = await db.transaction(async (tx) => {
      const inserted = await insertCustomer(tx, workspace.id, id, input as CustomerInput);
      if (inserted.customer) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'customer.create', target: `customer:${id}` });
      return inserted;
    });
    if (!result.customer) throw new HTTPException(409, { message: `A customer with id "${id}" exists; change it with PATCH /api/v1/customers/${encodeURIComponent(id)}.` });
    await afterCommit(workspace.id, result.stale);
    return c.json({ customer: result.customer }, 201);
  });

  routes.get('/customers/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const customer = await findCustomer(db, workspace.id, idOf(c.req.param('id')));
    if (!customer) throw new HTTPException(404, { message: NOT_FOUND });
    return c.json({ customer });
  });

  routes.patch('/customers/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idOf(c.req.param('id'));
    const input = await parseBody(c, customerUpdateSchema, BODY_LIMIT);
    const actor = actorOf(c.get('principal'));
    const result = await db.transaction(async (tx) => {
      const updated = await updateCustomer(tx, workspace.id, id, input as CustomerInput);
      if (updated.customer) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'customer.update', target: `customer:${id}`, details: { fields: Object.keys(input) } });
      return updated;
    });
    if (!result.customer) throw new HTTPException(404, { message: NOT_FOUND });
    await afterCommit(workspace.id, result.stale);
    return c.json({ customer: result.customer });
  });

  routes.delete('/customers/:id', async (c) => {
    const workspace = await workspaceOf(c, access, 'analyst');
    const id = idOf(c.req.param('id'));
    const actor = actorOf(c.get('principal'));
    const result = await db.transaction(async (tx) => {
      const deleted = await deleteCustomer(tx, workspace.id, id);
      if (deleted.customer) await writeAudit(tx, { workspaceId: workspace.id, actor, action: 'customer.delete', target: `customer:${id}` });
      return deleted;
    });
    if (!result.customer) throw new HTTPException(404, { message: NOT_FOUND });
    await afterCommit(workspace.id, result.stale);
    return c.body(null, 204);
  });

  return routes;
}

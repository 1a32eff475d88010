import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { addMembership, createSession, createUser } from '../src/storage/accounts.ts';
import type { Database } from '../src/storage/database.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * GET /api/v1/customers/at-risk, /customers/profile and /retention on a small shop whose every
 * number is worked out by hand below (docs/metrics.md#customers-at-risk, #revenue_per_customer).
 *
 * Kept orders (cancelled ones do not count) and their gaps in days:
 *   A  1 Jan, 11 Jan, 10 Feb 2026            gaps 10, 30   usual gap 20   EUR 10 + 20 + 30 = 60
 *   B  1 Dec 2025, 1 Mar 2026                gap 90        usual gap 90   EUR 100 + 50 = 150
 *   Z  4 Mar 12:00, 14 Mar 12:00 2026        gap 10        usual gap 10   EUR 5 + 5 = 10
 *   H  1 Oct, 21 Oct 2025 (+ a cancelled order on 10 Mar 2026, EUR 1000)   gap 20   EUR 80
 *   C  1 Jun 2025 (one order)                                              GBP 7
 * All gaps 10, 10, 20, 30, 90: the p80 is the ⌈0.8 × 5⌉ = 4th smallest, 30 days.
 * As of the latest activity, Z's order on 14 Mar 2026 12:00 UTC:
 *   A  32.5 days since its last order > max(1.5 × 20, 30) = 30 → overdue 3 days, since 12 Mar
 *   B  13.5 days < max(135, 30)                               → fine
 *   Z  0 days                                                 → fine
 *   H  144.5 days > max(30, 30)                               → overdue ⌈114.5⌉ = 115 days, since 20 Nov 2025
 *   C  one order                                              → not judged
 * Answers: E NPS 3 on 1 Mar (detractor, since 1 Mar); F NPS 2 on 1 Feb then 9 on 10 Mar
 * (recovered); G CSAT 2 of 5 on 1 Nov 2025 (older than 90 days); A CSAT 5 on 2 Mar (its last score).
 */

const day = (iso: string) => new Date(iso);

async function seed(db: Database, workspace: Workspace): Promise<void> {
  const customers: Array<[string, string, string, string | null]> = [
    ['A', 'Alma Ąžuolaitė', 'consumer', 'alma@example.com'],
    ['B', 'Badr', 'consumer', null],
    ['Z', 'Zed', 'consumer', null],
    ['H', '<b>Hostile</b> Ltd', 'business', 'h@example.com'],
    ['C', 'Cleo', 'consumer', null],
    ['E', 'إيمان', 'consumer', null],
    ['F', 'Fay', 'consumer', null],
    ['G', 'Gus', 'business', null],
  ];
  for (const [id, name, segment, email] of customers) {
    await db.query('INSERT INTO customers (workspace_id, id, name, segment, email) VALUES ($1, $2, $3, $4, $5)', [workspace.id, id, name, segment, email]);
  }
  const orders: Array<[string, string, string, number, string, string | null]> = [
    ['o1', 'A', '2026-01-01T00:00:00Z', 10, 'EUR', 'delivered'],
    ['o2', 'A', '2026-01-11T00:00:00Z', 20, 'EUR', 'delivered'],
    ['o3', 'A', '2026-02-10T00:00:00Z', 30, 'EUR', 'delivered'],
    ['o4', 'B', '2025-12-01T00:00:00Z', 100, 'EUR', 'delivered'],
    ['o5', 'B', '2026-03-01T00:00:00Z', 50, 'EUR', null],
    ['o6', 'Z', '2026-03-04T12:00:00Z', 5, 'EUR', 'paid'],
    ['o7', 'Z', '2026-03-14T12:00:00Z', 5, 'EUR', 'paid'],
    ['o8', 'H', '2025-10-01T00:00:00Z', 40, 'EUR', 'delivered'],
    ['o9', 'H', '2025-10-21T00:00:00Z', 40, 'EUR', 'delivered'],
    ['o10', 'H', '2026-03-10T00:00:00Z', 1000, 'EUR', 'cancelled'],
    ['o11', 'C', '2025-06-01T00:00:00Z', 7, 'GBP', 'delivered'],
  ];
  for (const [id, customer, placed, amount, currency, status] of orders) {
    await db.query('INSERT INTO orders (workspace_id, id, customer_id, placed_at, amount, currency, status) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      workspace.id, id, customer, day(placed), amount, currency, status,
    ]);
  }
  const answers: Array<[string, string, string, number, number, number, string]> = [
    ['r1', 'E', 'nps', 3, 0, 10, '2026-03-01T00:00:00Z'],
    ['r2', 'F', 'nps', 2, 0, 10, '2026-02-01T00:00:00Z'],
    ['r3', 'F', 'nps', 9, 0, 10, '2026-03-10T00:00:00Z'],
    ['r4', 'G', 'csat', 2, 1, 5, '2025-11-01T00:00:00Z'],
    ['r5', 'A', 'csat', 5, 1, 5, '2026-03-02T00:00:00Z'],
  ];
  for (const [id, customer, kind, score, min, max, at] of answers) {
    await db.query('INSERT INTO responses (workspace_id, id, customer_id, kind, score, scale_min, scale_max, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      workspace.id, id, customer, kind, score, min, max, day(at),
    ]);
  }
}

async function member(db: Database, workspace: Workspace, role: Role): Promise<string> {
  const user = await createUser(db, { email: `u-${randomUUID().slice(0, 8)}@example.com`, passwordHash: null });
  await addMembership(db, workspace.id, user.id, role);
  const { token } = await createSession(db, user.id);
  return `sada_session=${token}`;
}

interface AtRiskJson {
  asOf: string;
  rule: { workspaceGapDays: number };
  counts: { any: number; overdue: number; detractor: number; matching: number };
  customers: Array<{
    id: string;
    name: string;
    segment: string;
    orders: number;
    lastOrderAt: string | null;
    usualGapDays: number | null;
    overdueAfterDays: number | null;
    overdueDays: number | null;
    lastScore: { kind: string; score: number; submittedAt: string } | null;
    reasons: string[];
    since: string;
  }>;
}

describeEachEngine('customers API', (t) => {
  const setup = async () => {
    const shop = await t.workspace('shop');
    const other = await t.workspace('other-shop');
    await seed(t.db, shop);
    await seed(t.db, other);
    const app = createApp({ db: t.db, version: 'test', defaultWorkspace: shop.name });
    const viewer = await member(t.db, shop, 'viewer');
    const get = (path: string, cookie = viewer) => app.request(path, { headers: { cookie } });
    return { shop, other, app, viewer, get };
  };

  test('at-risk: the hand-computed list, its order, counts and fields', async () => {
    const { shop, get } = await setup();
    const response = await get(`/api/v1/customers/at-risk?workspace=${shop.name}`);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as AtRiskJson;
    assert.equal(body.asOf, '2026-03-14T12:00:00.000Z');
    assert.equal(body.rule.workspaceGapDays, 30);
    assert.deepEqual(body.counts, { any: 3, overdue: 2, detractor: 1, matching: 3 });
    assert.deepEqual(body.customers.map((c) => c.id), ['A', 'E', 'H'], 'newest at risk first');
    const [a, e, h] = body.customers;
    assert.deepEqual(
      { reasons: a!.reasons, usual: a!.usualGapDays, after: a!.overdueAfterDays, overdue: a!.overdueDays, since: a!.since, last: a!.lastOrderAt, orders: a!.orders },
      { reasons: ['overdue'], usual: 20, after: 30, overdue: 3, since: '2026-03-12T00:00:00.000Z', last: '2026-02-10T00:00:00.000Z', orders: 3 },
    );
    assert.deepEqual({ kind: a!.lastScore?.kind, score: a!.lastScore?.score }, { kind: 'csat', score: 5 }, "A's latest answer is its last score");
    assert.deepEqual({ reasons: e!.reasons, since: e!.since, overdue: e!.overdueDays, name: e!.name }, { reasons: ['detractor'], since: '2026-03-01T00:00:00.000Z', overdue: null, name: 'إيمان' });
    assert.deepEqual({ kind: e!.lastScore?.kind, score: e!.lastScore?.score }, { kind: 'nps', score: 3 });
    assert.deepEqual(
      { reasons: h!.reasons, last: h!.lastOrderAt, overdue: h!.overdueDays, since: h!.since, orders: h!.orders, name: h!.name },
      { reasons: ['overdue'], last: '2025-10-21T00:00:00.000Z', overdue: 115, since: '2025-11-20T00:00:00.000Z', orders: 2, name: '<b>Hostile</b> Ltd' },
      'the cancelled order on 10 March is not a last order',
    );
  });

  test('at-risk: filters by reason and segment, and a limit keeps the newest', async () => {
    const { shop, get } = await setup();
    const ids = async (query: string) => {
      const response = await get(`/api/v1/customers/at-risk?workspace=${shop.name}&${query}`);
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as AtRiskJson;
      return { ids: body.customers.map((c) => c.id), counts: body.counts };
    };
    assert.deepEqual(await ids('reason=detractor'), { ids: ['E'], counts: { any: 3, overdue: 2, detractor: 1, matching: 1 } });
    assert.deepEqual((await ids('reason=overdue')).ids, ['A', 'H']);
    assert.deepEqual(await ids('segment=business'), { ids: ['H'], counts: { any: 1, overdue: 1, detractor: 0, matching: 1 } });
    assert.deepEqual((await ids('segment=business&segment=consumer')).ids, ['A', 'E', 'H']);
    assert.deepEqual(await ids('limit=1'), { ids: ['A'], counts: { any: 3, overdue: 2, detractor: 1, matching: 3 } });
  });

  test('at-risk: bad input is a 400 that says what to send', async () => {
    const { shop, get } = await setup();
    for (const [query, pattern] of [
      ['limit=0', /limit must be a whole number from 1 to 5000/],
      ['limit=abc', /limit must be/],
      ['limit=5001', /limit must be/],
      ['reason=sad', /reason must be overdue or detractor/],
    ] as const) {
      const response = await get(`/api/v1/customers/at-risk?workspace=${shop.name}&${query}`);
      assert.equal(response.status, 400, query);
      assert.match((await response.json()).message, pattern);
    }
  });

  test('another workspace is a 404, the same as none; signed out is a 401', async () => {
    const { other, app, get } = await setup();
    for (const path of ['/api/v1/customers/at-risk', '/api/v1/customers/profile', '/api/v1/retention']) {
      const foreign = await get(`${path}?workspace=${other.name}`);
      assert.equal(foreign.status, 404, path);
      assert.deepEqual(await foreign.json(), { error: 'not_found', message: `There is no workspace "${other.name}".` });
      assert.equal((await get(`${path}?workspace=no-such-shop`)).status, 404);
      assert.equal((await app.request(`${path}?workspace=${other.name}`)).status, 401);
    }
  });

  test('revenue per customer: the mean of each buyer\'s kept orders, per currency, with a t-interval', async () => {
    const { shop, get } = await setup();
    const response = await get(`/api/v1/metrics/revenue_per_customer?workspace=${shop.name}`);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { by: string[]; unit: string; groups: Array<{ key: Record<string, string>; value: number; n: number; ci: [number, number] | null; total: number }> };
    assert.deepEqual(body.by, ['currency']);
    assert.equal(body.unit, 'money');
    const eur = body.groups.find((g) => g.key.currency === 'EUR')!;
    // A 60, B 150, Z 10, H 80 (its cancelled 1000 left out): mean 300 / 4 = 75.
    assert.deepEqual({ value: eur.value, n: eur.n, total: eur.total }, { value: 75, n: 4, total: 300 });
    // s² = ((−15)² + 75² + (−65)² + 5²) / 3 = 10100 / 3; t(0.975, 3) = 3.182446.
    const half = 3.182446305284263 * Math.sqrt(10100 / 3 / 4);
    assert.ok(Math.abs(eur.ci![0] - (75 - half)) < 1e-6 && Math.abs(eur.ci![1] - (75 + half)) < 1e-6, `EUR interval ${eur.ci}`);
    const gbp = body.groups.find((g) => g.key.currency === 'GBP')!;
    assert.deepEqual({ value: gbp.value, n: gbp.n, ci: gbp.ci }, { value: 7, n: 1, ci: null });
  });

  test('profile: every measure by the attribute, revenue in the commonest currency', async () => {
    const { shop, get } = await setup();
    const response = await get(`/api/v1/customers/profile?workspace=${shop.name}&attribute=segment&months=12`);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as {
      window: { from: string; to: string; lastMonth: string };
      currency: string;
      currencies: Array<{ currency: string; customers: number }>;
      rows: Array<{ value: string | null; customers: number; measures: Record<string, { value: number | null; n: number }> }>;
    };
    assert.deepEqual(body.window, { months: 12, from: '2025-04-01', to: '2026-03-31', lastMonth: '2026-03' });
    assert.equal(body.currency, 'EUR');
    assert.deepEqual(body.currencies, [{ currency: 'EUR', customers: 4 }, { currency: 'GBP', customers: 1 }]);
    const consumer = body.rows.find((r) => r.value === 'consumer')!;
    const business = body.rows.find((r) => r.value === 'business')!;
    assert.equal(consumer.customers, 6);
    assert.equal(business.customers, 2);
    // Consumers paying EUR: A 60, B 150, Z 10 → 220 / 3.
    assert.ok(Math.abs(consumer.measures.revenue_per_customer!.value! - 220 / 3) < 1e-9);
    assert.equal(consumer.measures.revenue_per_customer!.n, 3);
    assert.deepEqual({ value: business.measures.revenue_per_customer!.value, n: business.measures.revenue_per_customer!.n }, { value: 80, n: 1 });
    // NPS of consumers: E 3, F 2, F 9 → 1 promoter, 2 detractors of 3.
    assert.ok(Math.abs(consumer.measures.nps!.value! - ((1 - 2) / 3) * 100) < 1e-9);
    assert.equal(consumer.measures.csat!.n, 1);
    const gbp = await get(`/api/v1/customers/profile?workspace=${shop.name}&currency=GBP`);
    assert.equal(((await gbp.json()) as typeof body).rows.find((r) => r.value === 'consumer')!.measures.revenue_per_customer!.value, 7);
    const bad = await get(`/api/v1/customers/profile?workspace=${shop.name}&attribute=customer.shoe_size`);
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).message, /attribute must be one of segment, customer.age_band/);
    assert.equal((await get(`/api/v1/customers/profile?workspace=${shop.name}&months=5`)).status, 400);
    assert.equal((await get(`/api/v1/customers/profile?workspace=${shop.name}&currency=JPY`)).status, 400);
  });

  test('retention: churn, retention and repeat purchases by month over the window, from the metric engine', async () => {
    const { shop, get } = await setup();
    const response = await get(`/api/v1/retention?workspace=${shop.name}&months=6`);
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { window: { from: string; to: string }; repeatPurchase: { groups: Array<{ key: { month: string }; value: number; n: number }> }; repeatPurchaseWindow: { groups: Array<{ value: number; n: number }> } };
    assert.deepEqual(body.window, { months: 6, from: '2025-10-01', to: '2026-03-31', lastMonth: '2026-03' });
    // October 2025 to March 2026: A (3 orders), B (2), Z (2) and H (2) bought at least twice; C's order is older.
    assert.deepEqual({ value: body.repeatPurchaseWindow.groups[0]!.value, n: body.repeatPurchaseWindow.groups[0]!.n }, { value: 100, n: 4 });
    const march = body.repeatPurchase.groups.find((g) => g.key.month === '2026-03')!;
    // In March: B once, Z twice (H's March order was cancelled).
    assert.deepEqual({ value: march.value, n: march.n }, { value: 50, n: 2 });
  });
});

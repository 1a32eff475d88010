import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driversTable } from '../src/cli/commands/drivers.ts';
import { runDemo } from '../src/demo/run.ts';
import { createApp } from '../src/http/app.ts';
import { keyDrivers, mulberry32, type DriverRow } from '../src/metrics/key-drivers.ts';
import { keyDriverReport } from '../src/reports/key-drivers.ts';
import type { Database } from '../src/storage/database.ts';
import { describeEachEngine } from './support/databases.ts';

interface Answer {
  id: string;
  kind: 'nps' | 'csat';
  score: number;
  at: string;
  touchpoint?: string;
  channel?: string;
  customer: string;
}

async function insert(db: Database, workspaceId: number, answers: Answer[]) {
  await db.query(
    `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, touchpoint, channel, customer_id)
     SELECT $1, a.id, a.kind, a.score, CASE WHEN a.kind = 'nps' THEN 0 ELSE 1 END, CASE WHEN a.kind = 'nps' THEN 10 ELSE 5 END, a.at, a.touchpoint, a.channel, a.customer
     FROM unnest($2::text[], $3::text[], $4::float8[], $5::timestamptz[], $6::text[], $7::text[], $8::text[]) AS a(id, kind, score, at, touchpoint, channel, customer)`,
    [workspaceId, answers.map((a) => a.id), answers.map((a) => a.kind), answers.map((a) => a.score), answers.map((a) => a.at), answers.map((a) => a.touchpoint ?? null), answers.map((a) => a.channel ?? 'email'), answers.map((a) => a.customer)],
  );
}

/**
 * A planted cause: 300 customers answer CSAT at checkout, shipping and support (each 80 % of the
 * time) early in October and NPS on 20 October; their NPS follows their shipping score (and only
 * weakly the others). Shipping is also the weakest touchpoint. Returns the rows the report must
 * build (outcome 0–10, touchpoints in % of the 1–5 scale).
 */
function plantedShipping(): { answers: Answer[]; rows: DriverRow[] } {
  const random = mulberry32(42);
  const score = (weights: number[]) => {
    let u = random() * weights.reduce((s, w) => s + w, 0);
    for (let i = 0; i < weights.length; i++) if ((u -= weights[i]!) < 0) return i + 1;
    return weights.length;
  };
  const answers: Answer[] = [];
  const rows: DriverRow[] = [];
  for (let i = 1; i <= 300; i++) {
    const customer = `C${i}`;
    const shipping = score([3, 3, 2, 2, 2]);
    const checkout = score([1, 1, 2, 4, 4]);
    const support = score([1, 1, 2, 3, 4]);
    const nps = Math.max(0, Math.min(10, Math.round(2 * shipping - 1 + 0.3 * (checkout - 3) + (random() - 0.5) * 3)));
    const row: DriverRow = { outcome: nps, predictors: {} };
    for (const [touchpoint, value, day] of [['checkout', checkout, '02'], ['shipping', shipping, '05'], ['support', support, '08']] as const) {
      if (random() < 0.2) continue;
      answers.push({ id: `${customer}-${touchpoint}`, kind: 'csat', score: value, at: `2026-10-${day}T10:00:00Z`, touchpoint, customer });
      (row.predictors as Record<string, number>)[touchpoint] = ((value - 1) / 4) * 100;
    }
    answers.push({ id: `${customer}-nps`, kind: 'nps', score: nps, at: '2026-10-20T10:00:00Z', customer, channel: i % 10 === 0 ? 'sms' : 'email' });
    rows.push(row);
  }
  // Too old to count: 111 days before the NPS answer (the window is 90 days).
  answers.push({ id: 'OLD-shipping', kind: 'csat', score: 1, at: '2026-07-01T10:00:00Z', touchpoint: 'shipping', customer: 'OLD' });
  answers.push({ id: 'OLD-nps', kind: 'nps', score: 9, at: '2026-10-20T10:00:00Z', customer: 'OLD' });
  rows.push({ outcome: 9, predictors: {} });
  // Two NPS answers: the latest counts, and pairs with the shipping answer between them.
  answers.push({ id: 'TWICE-nps-1', kind: 'nps', score: 0, at: '2026-10-03T10:00:00Z', customer: 'TWICE' });
  answers.push({ id: 'TWICE-shipping', kind: 'csat', score: 4, at: '2026-10-10T10:00:00Z', touchpoint: 'shipping', customer: 'TWICE' });
  answers.push({ id: 'TWICE-nps-2', kind: 'nps', score: 10, at: '2026-10-25T10:00:00Z', customer: 'TWICE' });
  rows.push({ outcome: 10, predictors: { shipping: 75 } });
  // After the NPS answer: does not count.
  answers.push({ id: 'TWICE-support', kind: 'csat', score: 1, at: '2026-10-28T10:00:00Z', touchpoint: 'support', customer: 'TWICE' });
  return { answers, rows };
}

describeEachEngine('key drivers', (t) => {
  test('a planted driver: shipping explains NPS, comes first and is the one to fix first', async () => {
    const ws = await t.workspace('drivers');
    const { answers, rows } = plantedShipping();
    await insert(t.db, ws.id, answers);
    const r = await keyDriverReport(t.db, ws, { outcome: 'nps', from: '2026-10', to: '2026-10' });
    assert.equal(r.from, '2026-10-01');
    assert.equal(r.to, '2026-10-31');
    assert.equal(r.respondents, 302);
    assert.equal(r.missing, 'mean');
    const expected = keyDrivers(rows, ['checkout', 'shipping', 'support'], { missing: 'mean' });
    // The pairing is the one described: the same rows give the same analysis, to the last digit.
    assert.equal(r.n, expected.n);
    assert.equal(r.n, rows.filter((row) => Object.keys(row.predictors).length > 0).length, 'OLD (and those who answered no touchpoint) left out');
    assert.equal(r.excluded, 302 - r.n);
    assert.ok(Math.abs(r.r_squared! - expected.r_squared!) < 1e-12);
    assert.deepEqual(r.drivers.map((d) => [d.name, d.n, d.quadrant]), expected.drivers.map((d) => [d.name, d.n, d.quadrant]));
    r.drivers.forEach((d, i) => {
      assert.ok(Math.abs(d.importance - expected.drivers[i]!.importance) < 1e-12, d.name);
      assert.ok(Math.abs(d.performance! - expected.drivers[i]!.performance!) < 1e-9, d.name);
    });
    const shipping = r.drivers[0]!;
    assert.equal(shipping.name, 'shipping');
    assert.equal(shipping.quadrant, 'fix_first');
    assert.ok(shipping.share! > 0.7, `share ${shipping.share}`);
    assert.ok(shipping.share_ci![0] > r.drivers[1]!.share_ci![1], 'its interval is clear of the next one');
    assert.equal(shipping.n, rows.filter((row) => row.predictors.shipping !== undefined).length);
    assert.equal(r.coverage.find((c) => c.touchpoint === 'shipping')!.respondents, shipping.n);
    assert.ok(r.warnings.some((w) => w.code === 'imputed'));
    assert.ok(!r.warnings.some((w) => w.code === 'small_n'));

    const listwise = await keyDriverReport(t.db, ws, { from: '2026-10-01', to: '2026-10-31', missing: 'listwise', touchpoints: ['shipping', 'checkout'], resamples: 50 });
    assert.equal(listwise.n, rows.filter((row) => row.predictors.shipping !== undefined && row.predictors.checkout !== undefined).length);
    assert.equal(listwise.drivers[0]!.name, 'shipping');
    const sms = await keyDriverReport(t.db, ws, { from: '2026-10', to: '2026-10', where: ['channel=sms'], touchpoints: ['shipping', 'checkout', 'support'], resamples: 20 });
    assert.equal(sms.respondents, 30);
    assert.ok(sms.warnings.some((w) => w.code === 'small_n' && /at least 50/.test(w.message)));

    const table = driversTable(r);
    assert.match(table.split('\n')[4]!, /^1\s+shipping\s+\d+(\.\d)?%/);
    assert.match(table, /fix first/);
  });

  test('GET /api/v1/key-drivers: the JSON, 400s a person can act on, and no foreign workspace', async () => {
    const token = 'a-key-drivers-test-token-long-enough';
    const ws = await t.workspace('drivers-api');
    await insert(t.db, ws.id, plantedShipping().answers);
    const app = createApp({ db: t.db, version: 'test', apiToken: token });
    const get = (query: string, workspace = ws.name) => app.request(`/api/v1/key-drivers?workspace=${workspace}&${query}`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get('outcome=nps&from=2026-10-01&to=2026-10-31&resamples=50');
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.equal(body.drivers[0].name, 'shipping');
    assert.equal(body.resamples, 50);
    assert.deepEqual(Object.keys(body.drivers[0]).sort(), ['beta', 'correlation', 'coverage', 'importance', 'importance_ci', 'n', 'name', 'performance', 'performance_ci', 'quadrant', 'rank', 'share', 'share_ci']);
    for (const key of ['r_squared', 'r_squared_ci', 'n', 'respondents', 'warnings', 'coverage', 'from', 'to']) assert.ok(key in body, key);
    const byDefault = await (await get('')).json();
    assert.equal(byDefault.to, '2026-10-31', 'default: the 6 months ending with the latest NPS answer');
    assert.equal(byDefault.from, '2026-05-01');
    for (const [query, message] of [
      ['outcome=volume', /outcome must be nps or csat/],
      ['from=October', /2026-10-05/],
      ['window_days=soon', /window_days must be a whole number/],
      ['touchpoints=nowhere', /touchpoints with answers: checkout, shipping, support/],
      ['missing=pairwise', /missing must be listwise or mean/],
      ['from=2026-10&to=2026-09', /before/],
    ] as const) {
      const bad = await get(query);
      assert.equal(bad.status, 400, query);
      assert.match((await bad.json()).message, message);
    }
    assert.equal((await get('', `nope-${ws.name}`)).status, 404);
  });

  test('the demo company: no driver as generated, and a planted one found among its real touchpoints', async () => {
    // 8 months ending 2026-10. The demo draws each customer's relationship NPS from their country,
    // plan and month (the incidents move whole groups), not from their own touchpoint answers.
    const { workspace } = await runDemo(t.db, { seed: 3, workspace: `drivers-demo-${t.db.engine}`, responses: 8000, months: 8, endMonth: '2026-10', reportDir: mkdtempSync(join(tmpdir(), 'sada-drivers-')) });
    const range = { from: '2026-03', to: '2026-10', resamples: 100, touchpoints: ['checkout', 'onboarding', 'shipping', 'support'] };
    const before = await keyDriverReport(t.db, workspace, range);
    assert.equal(before.drivers.length, 4);
    assert.ok(before.r_squared! < 0.05, `nothing explains NPS in the demo as generated: R² ${before.r_squared}`);
    assert.match(before.warnings.find((w) => w.code === 'weak_model')!.message, /explain only \d\.\d% of the variance of NPS/);
    // Plant the carrier outage's cause per customer: whoever rated their delivery badly in the 90
    // days before their NPS answer becomes a detractor (5 → 10, 4 → 8, 3 → 6, 2 → 3, 1 → 1).
    await t.db.query(
      `UPDATE responses n SET score = CASE s.score WHEN 5 THEN 10 WHEN 4 THEN 8 WHEN 3 THEN 6 WHEN 2 THEN 3 ELSE 1 END
       FROM responses s
       WHERE n.workspace_id = $1 AND s.workspace_id = $1 AND n.kind = 'nps' AND s.kind = 'csat' AND s.touchpoint = 'shipping'
         AND s.customer_id = n.customer_id AND s.submitted_at <= n.submitted_at AND s.submitted_at > n.submitted_at - interval '90 days'`,
      [workspace.id],
    );
    const after = await keyDriverReport(t.db, workspace, range);
    const top = after.drivers[0]!;
    assert.equal(top.name, 'shipping');
    assert.ok(top.importance_ci![0] > after.drivers[1]!.importance_ci![1], 'clear of the next touchpoint');
    assert.ok(after.r_squared! > 0.1, `R² ${after.r_squared}`);
    assert.ok(!after.warnings.some((w) => w.code === 'weak_model'));
    assert.deepEqual(after.drivers.map((d) => d.name).sort(), before.drivers.map((d) => d.name).sort());
  });
});

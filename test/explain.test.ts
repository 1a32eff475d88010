import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../src/demo/run.ts';
import { createApp } from '../src/http/app.ts';
import { explainChange } from '../src/reports/explain.ts';
import { explanationSummary } from '../src/reports/explain-format.ts';
import type { Database } from '../src/storage/database.ts';
import { describeEachEngine } from './support/databases.ts';

/** CSAT answers (1–5) for one touchpoint and month: `satisfied` of every 10 score 5, the rest 2. */
async function answers(db: Database, workspaceId: number, touchpoint: string, month: string, count: number, satisfied: number, channel = 'email') {
  await db.query(
    `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, touchpoint, channel)
     SELECT $1, $2 || '-' || i, 'csat', CASE WHEN i % 10 < $3 THEN 5 ELSE 2 END, 1, 5, ($4 || '-10')::timestamptz + (i % 15) * interval '1 hour', $5, $6
     FROM generate_series(1, $7) AS i`,
    [workspaceId, `${touchpoint}-${channel}-${month}`, satisfied, month, touchpoint, channel, count],
  );
}

describeEachEngine('explain a change', (t) => {
  test('a planted drop in one touchpoint is found, and every dimension adds up to the change', async () => {
    const ws = await t.workspace('explain');
    for (const touchpoint of ['website', 'support', 'shipping']) await answers(t.db, ws.id, touchpoint, '2026-09', 200, 8);
    await answers(t.db, ws.id, 'website', '2026-10', 200, 8);
    await answers(t.db, ws.id, 'support', '2026-10', 200, 8);
    await answers(t.db, ws.id, 'shipping', '2026-10', 200, 4); // the planted cause: shipping from 80 % to 40 %
    const e = await explainChange(t.db, ws, { metric: 'csat', from: '2026-09', to: '2026-10', by: ['touchpoint', 'channel'] });
    assert.equal(e.from.value, 80);
    assert.ok(Math.abs(e.to.value! - 200 / 3) < 1e-9);
    assert.ok(Math.abs(e.change! - (200 / 3 - 80)) < 1e-9);
    assert.equal(e.significant, true);
    const top = e.contributions[0]!;
    assert.equal(top.dimension, 'touchpoint');
    assert.equal(top.group, 'shipping');
    assert.equal(top.significant, true);
    // Rate effect: (40 − 80) × (1/3 + 1/3) / 2 = −13.33 points; the shares did not move.
    assert.ok(Math.abs(top.rate_effect - -40 / 3) < 1e-9);
    assert.equal(top.mix_effect, 0);
    for (const other of e.contributions.filter((c) => c.dimension === 'touchpoint' && c.group !== 'shipping')) {
      assert.equal(other.total, 0);
      assert.equal(other.significant, false);
    }
    for (const dimension of e.dimensions) assert.ok(Math.abs(dimension.mix_effect + dimension.rate_effect - e.change!) < 1e-9, `${dimension.dimension} adds up`);
    assert.deepEqual(e.dimensions.map((d) => d.dimension), ['touchpoint'], 'one channel only: nothing to split');
    assert.equal(e.skipped[0]?.dimension, 'channel');
    assert.match(explanationSummary(e, 'en'), /^Customer satisfaction \(CSAT\) fell by 13\.3 points from 2026-09 to 2026-10 \(significant\)\. The largest part, 13\.3 points, comes from touchpoint “shipping”, where .* itself went from 80\.0% to 40\.0%\.$/);
    assert.match(explanationSummary(e, 'ar'), /انخفض/);
  });

  test('a change of mix alone: the metric is the same in every group, the groups\' weights moved', async () => {
    const ws = await t.workspace('explain-mix');
    await answers(t.db, ws.id, 'website', '2026-09', 300, 9, 'web');
    await answers(t.db, ws.id, 'support', '2026-09', 100, 5, 'phone');
    await answers(t.db, ws.id, 'website', '2026-10', 100, 9, 'web');
    await answers(t.db, ws.id, 'support', '2026-10', 300, 5, 'phone');
    const e = await explainChange(t.db, ws, { metric: 'csat', from: '2026-09', to: '2026-10', by: ['channel'] });
    // 80 % → 60 %: all of it mix (each channel's CSAT is unchanged).
    assert.ok(Math.abs(e.change! - -20) < 1e-9);
    for (const c of e.contributions) assert.equal(c.rate_effect, 0);
    assert.ok(Math.abs(e.contributions.reduce((s, c) => s + c.mix_effect, 0) - -20) < 1e-9);
  });

  test('the demo\'s planted carrier outage: shipping CSAT in Lithuania is what changed', async () => {
    // 8 months ending 2026-10: the outage (4 months before the end) is 2026-06.
    const { workspace } = await runDemo(t.db, { seed: 3, workspace: `explain-demo-${t.db.engine}`, responses: 8000, months: 8, endMonth: '2026-10', reportDir: mkdtempSync(join(tmpdir(), 'sada-explain-')) });
    const e = await explainChange(t.db, workspace, { metric: 'csat', from: '2026-05', to: '2026-06', by: ['customer.country'], where: ['touchpoint=shipping'], minN: 5 });
    const lithuania = e.contributions.find((c) => c.group === 'Lithuania')!;
    assert.equal(e.contributions[0], lithuania, 'the largest contribution');
    assert.ok(lithuania.rate_effect < 0 && Math.abs(lithuania.rate_effect) > Math.abs(lithuania.mix_effect), 'a fall inside the group, not a change of mix');
    assert.ok(lithuania.value_to! < lithuania.value_from! - 30, `Lithuanian shipping CSAT collapses (${lithuania.value_from} → ${lithuania.value_to})`);
    assert.equal(lithuania.significant, true);
  });

  test('GET /api/v1/explain: the JSON of the issue, 400s a person can act on, and no foreign workspace', async () => {
    const token = 'an-explain-test-token-long-enough';
    const ws = await t.workspace('explain-api');
    await answers(t.db, ws.id, 'website', '2026-09', 100, 8);
    await answers(t.db, ws.id, 'website', '2026-10', 100, 6);
    await answers(t.db, ws.id, 'shipping', '2026-10', 100, 6);
    const app = createApp({ db: t.db, version: 'test', apiToken: token });
    const get = (query: string) => app.request(`/api/v1/explain?workspace=${ws.name}&${query}`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get('metric=csat&to=2026-10&by=touchpoint&lang=lt');
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.equal(body.from.period, '2026-09', 'from defaults to the period before');
    assert.deepEqual(Object.keys(body.contributions[0]).sort(), ['dimension', 'group', 'mix_effect', 'n_from', 'n_to', 'rate_effect', 'share_from', 'share_to', 'significant', 'total', 'value_from', 'value_to']);
    assert.match(body.summary, /sumažėjo/);
    const bad = await get('metric=csat&to=October');
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).message, /2026-10/);
    const mixed = await get('metric=csat&from=2026-Q3&to=2026-10');
    assert.equal(mixed.status, 400);
    const volume = await get('metric=volume&to=2026-10');
    assert.equal(volume.status, 400);
    assert.match((await volume.json()).message, /not an average/);
    const missing = await get('to=2026-10');
    assert.equal(missing.status, 400);
    const apiKeyApp = await app.request(`/api/v1/explain?workspace=nope-${ws.name}&metric=csat&to=2026-10`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(apiKeyApp.status, 404);
  });
});

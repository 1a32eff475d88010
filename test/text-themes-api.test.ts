import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { isHeldOut } from '../src/text/classifier.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * GET /api/v1/text/themes over a hand-made workspace: 8 of 40 CSAT comments complain about a late
 * delivery (score 1 of 5), the rest praise (score 5). The late-delivery theme must come out with
 * its volume, its month, and a score impact of exactly −100 points of the scale (0% vs 100%).
 */
describeEachEngine('text themes API', (t) => {
  const app = () => createApp({ db: t.db, version: 'test', defaultWorkspace: 'nowhere' });

  test('themes with volume, trend and score impact; filters; validation; other workspaces unseen', async () => {
    const ws = await t.workspace('themes');
    const other = await t.workspace('themes-other');
    await t.db.query(`INSERT INTO customers (workspace_id, id, segment) VALUES ($1, 'c-w', 'wholesale'), ($1, 'c-r', 'retail')`, [ws.id]);
    for (let i = 0; i < 40; i++) {
      const late = i < 8;
      const text = late ? 'A entrega atrasada, muito ruim' : i % 2 ? 'Produto excelente, recomendo' : 'Chegou rápido e bem embalado';
      await t.db.query(
        `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, submitted_at, touchpoint, customer_id)
         VALUES ($1, $2, 'csat', $3, 1, 5, $4, $5, $6, $7, $8)`,
        [ws.id, `r${i}`, late ? 1 : 5, text, i % 4 === 0 ? null : 'pt', i < 20 ? '2026-09-10T12:00:00Z' : '2026-10-10T12:00:00Z', late ? 'shipping' : 'web', late ? 'c-w' : 'c-r'],
      );
    }
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, submitted_at)
       VALUES ($1, 'x1', 'csat', 1, 1, 5, 'segredo vazado de outro cliente', 'pt', '2026-09-10T12:00:00Z')`,
      [other.id],
    );
    const key = (await createApiKey(t.db, { workspaceId: ws.id, name: 'viewer', role: 'viewer' })).secret;
    const get = async (query: string) => {
      const response = await app().request(`/api/v1/text/themes?workspace=${encodeURIComponent(ws.name)}${query}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: response.status, body: (await response.json()) as any };
    };

    const { status, body } = await get('');
    assert.equal(status, 200);
    assert.equal(body.comments, 40);
    assert.equal(body.truncated, false);
    // languages: the stored one, else detected (every 4th comment has none)
    assert.equal(body.languages.pt, 40);
    const late = body.themes.find((th: { phrases: string[] }) => th.phrases.includes('entrega atrasada'));
    assert.ok(late, JSON.stringify(body.themes.map((th: { label: string }) => th.label)));
    assert.equal(late.volume, 8);
    assert.equal(late.share, 0.2);
    assert.deepEqual(late.trend, [
      { month: '2026-09', count: 8, total: 20 },
      { month: '2026-10', count: 0, total: 20 },
    ]);
    // 1 of 1–5 is 0% of the scale, 5 is 100%: theme − rest = −100 points, no variance on either side
    assert.equal(late.score_impact.delta, -100);
    assert.equal(late.score_impact.n_theme, 8);
    assert.equal(late.score_impact.n_rest, 32);
    assert.equal(late.satisfied_impact.delta, -1);
    assert.ok(late.satisfied_impact.ci[1] < 0);
    assert.equal(late.examples.length, 3);
    assert.ok(!JSON.stringify(body).includes('segredo'), 'another workspace’s comments are not read');

    // the /responses filter applies: only the web touchpoint → no late-delivery comments
    const web = await get('&touchpoint=web');
    assert.equal(web.body.comments, 32);
    assert.equal(web.body.themes.some((th: { phrases: string[] }) => th.phrases.includes('entrega atrasada')), false);
    // themes per customer segment: the late deliveries were all wholesale customers'
    const retail = await get('&segment=retail');
    assert.equal(retail.body.comments, 32);
    assert.equal(retail.body.themes.some((th: { phrases: string[] }) => th.phrases.includes('entrega atrasada')), false);
    const wholesale = await get('&segment=wholesale,nobody');
    assert.equal(wholesale.body.comments, 8);
    const listed = await app().request(`/api/v1/responses?workspace=${encodeURIComponent(ws.name)}&segment=wholesale`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(((await listed.json()) as { total: number }).total, 8, 'the responses list takes the same segment filter');
    const september = await get('&from=2026-09-01&to=2026-09-30');
    assert.equal(september.body.comments, 20);

    const bad = await get('&from=September');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /from must be a day written YYYY-MM-DD/);
  });

  test('sentiment quality: per language on the held-out 20%, small languages and the middle left out', async () => {
    const ws = await t.workspace('sentiment');
    const rows: Array<[string, number, string, string | null]> = [];
    for (let i = 0; i < 120; i++) rows.push([`p${i}`, i % 2 ? 5 : 1, i % 2 ? `Gostei muito, ótimo produto ${i}` : `Não recebi o pedido, péssimo ${i}`, 'pt']);
    for (let i = 0; i < 20; i++) rows.push([`e${i}`, 5, `Great service, thanks ${i}`, 'en']);
    for (let i = 0; i < 7; i++) rows.push([`m${i}`, 3, `Mais ou menos ${i}`, 'pt']);
    for (const [id, score, comment, language] of rows) {
      await t.db.query(
        `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, submitted_at)
         VALUES ($1, $2, 'csat', $3, 1, 5, $4, $5, '2026-10-01T00:00:00Z')`,
        [ws.id, id, score, comment, language],
      );
    }
    const key = (await createApiKey(t.db, { workspaceId: ws.id, name: 'viewer', role: 'viewer' })).secret;
    const response = await app().request(`/api/v1/text/sentiment-quality?workspace=${encodeURIComponent(ws.name)}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as any;
    assert.equal(body.comments, 147);
    assert.equal(body.labelled, 140);
    assert.equal(body.middle_left_out, 7);
    const [pt, en] = body.languages;
    assert.equal(pt.language, 'pt');
    assert.equal(pt.evaluated, true);
    const held = rows.filter(([id, , , lang]) => lang === 'pt' && id.startsWith('p') && isHeldOut(id)).length;
    assert.equal(pt.test, held);
    assert.equal(pt.train, 120 - held);
    // the two kinds of comment share no word: the learned model gets every held-out one right
    assert.equal(pt.learned.accuracy, 1);
    assert.equal(pt.learned.macro_f1, 1);
    assert.ok(pt.majority.macro_f1 < 0.7);
    assert.deepEqual(en, { language: 'en', labelled: 20, evaluated: false, reason: 'fewer than 50 labelled comments' });
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { listAudit } from '../src/storage/audit.ts';
import { tokenize } from '../src/text/normalize.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * Theme labels (PUT/DELETE /api/v1/text/theme-labels) applied by GET /api/v1/text/themes. 42 CSAT
 * comments: 8 complain of a late delivery (score 1 of 5 = 0%), 2 of a crushed box (3 of 5 = 50%,
 * too few to be found as a theme: minDocs is 3), 32 praise in four ways (5 of 5 = 100%). Pinning the crushed
 * box lists it first with volume 2 and an impact of 50 − (8·0 + 32·100)/40 = 50 − 80 = −30 points.
 */
const PRAISE = ['Produto excelente, recomendo', 'Chegou rápido e bem embalado', 'Atendimento gentil no chat', 'Preço ótimo, qualidade'];

describeEachEngine('text theme labels', (t) => {
  const app = () => createApp({ db: t.db, version: 'test', defaultWorkspace: 'nowhere' });

  test('rename, pin, hide and forget; applied to the themes; roles, validation, audit, workspaces apart', async () => {
    const ws = await t.workspace('labels');
    const other = await t.workspace('labels-other');
    const rows: Array<[string, number, string, string]> = [];
    for (let i = 0; i < 40; i++) {
      const late = i < 8;
      rows.push([`r${i}`, late ? 1 : 5, late ? 'A entrega atrasada, muito ruim' : PRAISE[i % 4]!, i < 20 ? '2026-09-10T12:00:00Z' : '2026-10-10T12:00:00Z']);
    }
    rows.push(['b1', 3, 'Caixa amassada hoje', '2026-09-11T12:00:00Z'], ['b2', 3, 'caixa AMASSADA, hoje', '2026-10-11T12:00:00Z']);
    for (const [id, score, comment, at] of rows) {
      await t.db.query(`INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, submitted_at) VALUES ($1, $2, 'csat', $3, 1, 5, $4, 'pt', $5)`, [ws.id, id, score, comment, at]);
    }
    const viewer = (await createApiKey(t.db, { workspaceId: ws.id, name: 'viewer', role: 'viewer' })).secret;
    const analyst = (await createApiKey(t.db, { workspaceId: ws.id, name: 'analyst', role: 'analyst' })).secret;
    const otherAdmin = (await createApiKey(t.db, { workspaceId: other.id, name: 'admin', role: 'admin' })).secret;
    const call = async (method: string, path: string, key: string, body?: unknown, workspace = ws.name) => {
      const response = await app().request(`${path}${path.includes('?') ? '&' : '?'}workspace=${encodeURIComponent(workspace)}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as any) };
    };
    const themes = async () => (await call('GET', '/api/v1/text/themes', viewer)).body.themes as Array<{ label: string; phrase: string; name: string | null; pinned: boolean; phrases: string[]; volume: number; trend: unknown; score_impact: any }>;

    const before = await themes();
    assert.equal(before.some((th) => th.phrases.includes('caixa amassada')), false, 'two comments are too few to be found');
    const lateBefore = before.find((th) => th.phrases.includes('entrega atrasada'))!;
    assert.equal(lateBefore.label, lateBefore.phrase);
    assert.equal(lateBefore.name, null);
    assert.equal(lateBefore.pinned, false);

    // a viewer reads but does not write
    assert.equal((await call('PUT', '/api/v1/text/theme-labels', viewer, { phrase: lateBefore.phrase, name: 'x' })).status, 403);
    assert.equal((await call('DELETE', `/api/v1/text/theme-labels?phrase=${encodeURIComponent(lateBefore.phrase)}`, viewer)).status, 403);

    // rename the late-delivery theme; pin the crushed box, written loosely
    const renamed = await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: lateBefore.phrase, name: '  Atrasos <b>  ' });
    assert.equal(renamed.status, 200);
    assert.deepEqual({ ...renamed.body.label, updatedAt: undefined }, { phrase: lateBefore.phrase, name: 'Atrasos <b>', pinned: false, hidden: false, updatedBy: renamed.body.label.updatedBy, updatedAt: undefined });
    const pin = await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: '  Caixa   AMASSADA! ', pinned: true });
    assert.equal(pin.status, 200);
    assert.equal(pin.body.label.phrase, 'caixa amassada');
    assert.equal(pin.body.label.name, null);

    let list = await themes();
    assert.equal(list[0]!.phrase, 'caixa amassada', 'pinned comes first');
    assert.equal(list[0]!.pinned, true);
    assert.equal(list[0]!.label, 'caixa amassada');
    assert.equal(list[0]!.volume, 2);
    assert.equal((list[0] as any).search, 'caixa AMASSADA', 'as the newest comment writes it');
    assert.deepEqual(list[0]!.trend, [
      { month: '2026-09', count: 1, total: 21 },
      { month: '2026-10', count: 1, total: 21 },
    ]);
    assert.equal(list[0]!.score_impact.delta, -30);
    assert.equal(list[0]!.score_impact.n_theme, 2);
    assert.equal(list[0]!.score_impact.n_rest, 40);
    const late = list.find((th) => th.phrase === lateBefore.phrase)!;
    assert.equal(late.label, 'Atrasos <b>');
    assert.equal(late.name, 'Atrasos <b>');
    assert.equal(late.volume, lateBefore.volume);
    // `search` is each phrase as written: the same tokens, accents and case kept
    for (const th of list) assert.equal(tokenize((th as any).search, 'pt').join(' '), th.phrase);
    assert.ok(list.some((th) => /[áçó]/.test((th as any).search)), JSON.stringify(list.map((th: any) => th.search)));
    assert.equal(list.filter((th) => th.phrase === 'caixa amassada').length, 1);

    // pinning a found theme: it moves first, counted as before; renaming keeps the pin
    await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: lateBefore.phrase, pinned: true });
    list = await themes();
    assert.deepEqual(list.slice(0, 2).map((th) => [th.phrase, th.volume, th.label]), [[lateBefore.phrase, 8, 'Atrasos <b>'], ['caixa amassada', 2, 'caixa amassada']]);
    assert.deepEqual(list[0]!.score_impact, late.score_impact);

    // name: null gives the phrase back, the pin stays
    await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: lateBefore.phrase, name: null });
    list = await themes();
    assert.deepEqual([list[0]!.label, list[0]!.name, list[0]!.pinned], [lateBefore.phrase, null, true]);

    // hide another found theme: it leaves the list
    const praise = list.find((th) => !th.pinned)!;
    await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: praise.phrase, hidden: true });
    assert.equal((await themes()).some((th) => th.phrase === praise.phrase), false);

    // the labels, as a viewer reads them
    const labels = await call('GET', '/api/v1/text/theme-labels', viewer);
    assert.deepEqual(labels.body.labels.map((l: any) => [l.phrase, l.name, l.pinned, l.hidden]).sort(), [
      ['caixa amassada', null, true, false],
      [lateBefore.phrase, null, true, false],
      [praise.phrase, null, false, true],
    ].sort());

    // validation
    const empty = await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: '!!!', pinned: true });
    assert.equal(empty.status, 400);
    assert.match(empty.body.message, /phrase must hold at least one word/);
    const unknown = await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: 'x', colour: 'red' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /unknown field colour/);
    assert.equal((await call('PUT', '/api/v1/text/theme-labels', analyst, { phrase: 'x', name: 'y'.repeat(201) })).status, 400);
    assert.equal((await call('DELETE', '/api/v1/text/theme-labels', analyst)).status, 400);

    // another workspace's admin neither sees nor changes them
    assert.equal((await call('GET', '/api/v1/text/theme-labels', otherAdmin)).status, 404);
    assert.deepEqual((await call('GET', '/api/v1/text/theme-labels', otherAdmin, undefined, other.name)).body.labels, []);
    assert.equal((await call('DELETE', '/api/v1/text/theme-labels?phrase=caixa%20amassada', otherAdmin, undefined, other.name)).status, 404);

    // forget: unpinned, and the crushed box is no longer listed
    assert.equal((await call('DELETE', '/api/v1/text/theme-labels?phrase=Caixa%20Amassada', analyst)).status, 204);
    assert.equal((await call('DELETE', '/api/v1/text/theme-labels?phrase=caixa%20amassada', analyst)).status, 404);
    assert.equal((await themes()).some((th) => th.phrase === 'caixa amassada'), false);

    const audit = await listAudit(t.db, ws.id);
    assert.deepEqual(audit.map((a) => a.action).filter((a) => a.startsWith('theme_label.')).reverse(), ['theme_label.set', 'theme_label.set', 'theme_label.set', 'theme_label.set', 'theme_label.set', 'theme_label.delete']);
    assert.equal(audit.find((a) => a.action === 'theme_label.delete')!.target, 'theme:caixa amassada');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyUnscored } from '../src/storage/text-sentiment.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * `sada text sentiment` / classifyUnscored: Portuguese has 240 scored comments (a model is
 * learned), Lithuanian none (the lexicon answers); unscored comments and ticket subjects get a row,
 * scored comments and other workspaces none; re-running replaces the rows.
 */
describeEachEngine('text sentiment of unscored comments', (t) => {
  test('learned where there are scored comments, lexicon elsewhere; idempotent; workspaces apart', async () => {
    const ws = await t.workspace('sentiment-store');
    const other = await t.workspace('sentiment-other');
    const insert = (workspaceId: number, id: string, score: number | null, comment: string, language: string | null) =>
      t.db.query(
        `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, submitted_at)
         VALUES ($1, $2, 'csat', $3, 1, 5, $4, $5, '2026-10-01T00:00:00Z')`,
        [workspaceId, id, score, comment, language],
      );
    for (let i = 0; i < 240; i++) await insert(ws.id, `s${i}`, i % 3 === 0 ? 1 : 5, i % 3 === 0 ? `Não recebi o pedido ${i}, que demora` : `Chegou antes do prazo ${i}, adorei`, 'pt');
    await insert(ws.id, 'u1', null, 'Ainda não recebi o pedido, que demora', 'pt');
    await insert(ws.id, 'u2', null, 'Adorei, chegou antes do prazo', 'pt');
    await insert(ws.id, 'u3', null, 'Labai prastas aptarnavimas', 'lt');
    await insert(other.id, 'x1', null, 'Não recebi nada', 'pt');
    await t.db.query(`INSERT INTO tickets (workspace_id, id, subject, created_at) VALUES ($1, 't1', 'O pedido não recebi ainda, demora', '2026-10-01T00:00:00Z')`, [ws.id]);

    const summary = await classifyUnscored(t.db, ws.id);
    assert.deepEqual(summary.models, { pt: 240 });
    assert.equal(summary.responses, 3);
    assert.equal(summary.tickets, 1);
    assert.deepEqual(summary.byMethod, { learned: 3, lexicon: 1 });
    const rows = await t.db.query<{ source: string; record_id: string; language: string; label: string; p_negative: number | null; method: string; trained_on: number }>(
      'SELECT source, record_id, language, label, p_negative, method, trained_on FROM text_sentiment WHERE workspace_id = $1 ORDER BY source, record_id',
      [ws.id],
    );
    assert.deepEqual(
      rows.map((r) => [r.source, r.record_id, r.language, r.label, r.method, r.trained_on]),
      [
        ['response', 'u1', 'pt', 'negative', 'learned', 240],
        ['response', 'u2', 'pt', 'positive', 'learned', 240],
        ['response', 'u3', 'lt', 'negative', 'lexicon', 0],
        ['ticket', 't1', 'pt', 'negative', 'learned', 240],
      ],
    );
    assert.ok(rows[0]!.p_negative! > 0.9 && rows[1]!.p_negative! < 0.1);
    assert.equal(rows[2]!.p_negative, null);
    assert.equal((await t.db.query('SELECT 1 FROM text_sentiment WHERE workspace_id = $1', [other.id])).length, 0);

    // again: the same rows, not twice as many
    await classifyUnscored(t.db, ws.id);
    assert.equal((await t.db.query('SELECT 1 FROM text_sentiment WHERE workspace_id = $1', [ws.id])).length, 4);
  });
});

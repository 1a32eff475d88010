import assert from 'node:assert/strict';
import { test } from 'node:test';
import { respond, respondMore } from '../src/http/respond.ts';
import { signLink } from '../src/listening/link-token.ts';
import { metricReport } from '../src/reports/metric-report.ts';
import { rebuildRollup, refreshRollups } from '../src/storage/rollups.ts';
import { addCoupons, findSurvey, linkKey, saveSurvey, setSurveyStatus } from '../src/storage/surveys.ts';
import { optOut } from '../src/storage/submissions.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { checkoutSurvey } from './support/surveys.ts';

describeEachEngine('listening: answering surveys', (t) => {
  async function setUp(overrides: Parameters<typeof checkoutSurvey>[0] = {}) {
    const workspace = await t.workspace('listen');
    const survey = checkoutSurvey(overrides);
    await saveSurvey(t.db, workspace.id, survey);
    return { workspace, survey: (await findSurvey(t.db, workspace.id, survey.id))!.survey };
  }
  const base = (workspace: Workspace, survey: ReturnType<typeof checkoutSurvey>) => ({ workspace, survey, token: undefined, channel: 'web', complete: true, answers: {} });

  test('the score first, the comment later: one response, counted once in NPS at once', async () => {
    const { workspace, survey } = await setUp();
    await refreshRollups(t.db, workspace.id);
    const first = await respond(t.db, { ...base(workspace, survey), complete: false, answers: { recommend: { score: 3 } }, language: 'lt' });
    assert.ok(first.ok);
    assert.equal(first.outcome.state.completed, false);
    assert.deepEqual(first.outcome.state.scores, { recommend: 3 });
    assert.equal(first.outcome.state.language, 'lt');

    const more = await respondMore(t.db, { workspace, survey, submissionId: first.outcome.state.id, complete: true, answers: { recommend: { comment: 'Delivery <script>alert(1)</script> was late' }, reason: { choice: 'other', other: 'a gift' } } });
    assert.ok(more.ok, JSON.stringify(more));
    assert.equal(more.outcome.state.completed, true);

    const rows = await t.db.query<{ id: string; score: number | null; comment: string | null; answer: string | null; attributes: Record<string, string> }>(
      'SELECT id, score, comment, answer, attributes FROM responses WHERE workspace_id = $1 ORDER BY kind DESC',
      [workspace.id],
    );
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.score, 3);
    assert.equal(rows[0]!.comment, 'Delivery <script>alert(1)</script> was late', 'stored as the text it is');
    assert.equal(rows[1]!.answer, 'other');
    assert.equal(rows[1]!.attributes.other, 'a gift');

    // The rollups were kept by deltas in the same transactions, and answer like the raw rows.
    const state = await t.db.query<{ stale: boolean }>(`SELECT stale FROM rollup_state WHERE workspace_id = $1 AND rollup = 'responses'`, [workspace.id]);
    assert.equal(state[0]?.stale, false);
    const nps = await metricReport(t.db, workspace, { metric: 'nps', by: [] });
    assert.equal(nps.computedFrom, 'rollups');
    assert.equal(nps.groups[0]?.n, 1);
    assert.equal(nps.groups[0]?.value, -100);
  });

  test('rollups kept by live answers equal rollups rebuilt from the rows', async () => {
    const { workspace, survey } = await setUp();
    await refreshRollups(t.db, workspace.id);
    for (const [score, comment] of [[9, undefined], [9, 'ok'], [2, 'bad'], [7, undefined], [10, 'great']] as const) {
      const first = await respond(t.db, { ...base(workspace, survey), complete: false, answers: { recommend: { score } } });
      assert.ok(first.ok);
      if (comment) assert.ok((await respondMore(t.db, { workspace, survey, submissionId: first.outcome.state.id, complete: true, answers: { recommend: { comment }, reason: { choice: 'buy' } } })).ok);
    }
    // Answers from personal links take the single path: its rollup deltas must agree as well.
    const key = await linkKey(t.db, workspace.id);
    for (const [customer, score] of [['c-1', 4], ['c-2', 10]] as const) {
      assert.ok((await respond(t.db, { ...base(workspace, survey), token: signLink(key, { survey: survey.id, customer }), answers: { recommend: { score } } })).ok);
    }
    const snapshot = async () =>
      Promise.all(
        ['response_rollups', 'response_rollups_monthly', 'response_rollups_segment_monthly'].map((table) =>
          t.db.query(`SELECT to_jsonb(r) - 'workspace_id' AS row FROM ${table} r WHERE workspace_id = $1 AND n <> 0 ORDER BY (to_jsonb(r) - 'workspace_id')::text`, [workspace.id]),
        ),
      );
    const live = await snapshot();
    assert.equal(live[0]!.length, 5, 'scores 2, 4, 7, 9 and 10 on one day');
    for (const name of ['responses', 'responses_monthly', 'responses_segment_monthly'] as const) await rebuildRollup(t.db, workspace.id, name);
    assert.deepEqual(await snapshot(), live);
  });

  test('a finished response cannot be edited, and a retry of the finishing request gets the same answer', async () => {
    const { workspace, survey } = await setUp();
    const first = await respond(t.db, { ...base(workspace, survey), complete: false, answers: { recommend: { score: 9 } } });
    assert.ok(first.ok);
    const finish = { workspace, survey, submissionId: first.outcome.state.id, complete: true, answers: { recommend: { comment: 'great' } } };
    assert.ok((await respondMore(t.db, finish)).ok);
    const retry = await respondMore(t.db, finish);
    assert.ok(retry.ok && retry.outcome.replayed);
    const edit = await respondMore(t.db, { ...finish, answers: { recommend: { score: 0 } } });
    assert.equal(!edit.ok && edit.status, 409);
    assert.equal(!edit.ok && edit.error, 'finished');
    const [row] = await t.db.query<{ score: number }>('SELECT score FROM responses WHERE workspace_id = $1', [workspace.id]);
    assert.equal(row?.score, 9);
  });

  test('scores off the scale, unknown questions and unknown choices are refused with what to do', async () => {
    const { workspace, survey } = await setUp();
    const offScale = await respond(t.db, { ...base(workspace, survey), answers: { recommend: { score: 11 } } });
    assert.equal(!offScale.ok && offScale.status, 400);
    assert.match(!offScale.ok ? offScale.message : '', /11 is not on the 0–10 scale: choose a whole number from 0 to 10/);
    const fraction = await respond(t.db, { ...base(workspace, survey), answers: { recommend: { score: 7.5 } } });
    assert.equal(!fraction.ok && fraction.status, 400);
    const unknown = await respond(t.db, { ...base(workspace, survey), answers: { recommend: { score: 7 }, hack: { text: 'x' } } });
    assert.match(!unknown.ok ? unknown.message : '', /no question "hack"/);
    const choice = await respond(t.db, { ...base(workspace, survey), answers: { recommend: { score: 7 }, reason: { choice: 'steal' } } });
    assert.match(!choice.ok ? choice.message : '', /"steal" is not one of the choices \(buy, browse, other\)/);
    const missing = await respond(t.db, { ...base(workspace, survey), answers: { reason: { choice: 'buy' } } });
    assert.match(!missing.ok ? missing.message : '', /recommend: this question needs an answer/);
    const [count] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM submissions WHERE workspace_id = $1', [workspace.id]);
    assert.equal(count?.n, 0);
  });

  test('one Idempotency-Key makes one response; the key reused for another body is a 409', async () => {
    const { workspace, survey } = await setUp();
    const request = { ...base(workspace, survey), answers: { recommend: { score: 10 } }, idempotencyKey: 'key-1' };
    const [a, b] = await Promise.all([respond(t.db, request), respond(t.db, request)]);
    assert.ok(a.ok && b.ok);
    assert.equal(a.outcome.state.id, b.outcome.state.id);
    assert.equal([a.outcome.replayed, b.outcome.replayed].filter(Boolean).length, 1);
    const other = await respond(t.db, { ...request, answers: { recommend: { score: 1 } } });
    assert.equal(!other.ok && other.error, 'idempotency_conflict');
    const [count] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1', [workspace.id]);
    assert.equal(count?.n, 1);
  });

  test('personal links: the person comes from the signed token, a single-use link answers once, a forged one not at all', async () => {
    const { workspace, survey } = await setUp({ access: 'personal' });
    const key = await linkKey(t.db, workspace.id);
    const token = signLink(key, { survey: 'checkout', customer: 'c-1', order: 'o-9', language: 'ar' });
    const first = await respond(t.db, { ...base(workspace, survey), token, answers: { recommend: { score: 8 } } });
    assert.ok(first.ok, JSON.stringify(first));
    assert.equal(first.outcome.state.language, 'ar');
    const [row] = await t.db.query<{ customer_id: string; order_id: string }>('SELECT customer_id, order_id FROM responses WHERE workspace_id = $1', [workspace.id]);
    assert.deepEqual(row, { customer_id: 'c-1', order_id: 'o-9' });

    const again = await respond(t.db, { ...base(workspace, survey), token, answers: { recommend: { score: 0 } } });
    assert.equal(!again.ok && again.status, 409);
    assert.equal(!again.ok && again.error, 'link_used');
    for (const missing of [undefined, null, '']) {
      const tokenless = await respond(t.db, { ...base(workspace, survey), token: missing, answers: { recommend: { score: 0 } } });
      assert.equal(!tokenless.ok && tokenless.status, 409, `token ${String(missing)}`);
    }
    const [body, signature] = token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), c: 'c-2' })).toString('base64url');
    const forged = await respond(t.db, { ...base(workspace, survey), token: `${tampered}.${signature}`, answers: { recommend: { score: 0 } } });
    assert.equal(!forged.ok && forged.status, 403);
    const otherKey = signLink(Buffer.alloc(32, 1), { survey: 'checkout', customer: 'c-3' });
    assert.equal((await respond(t.db, { ...base(workspace, survey), token: otherKey, answers: { recommend: { score: 0 } } })).ok, false);
    const [count] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1', [workspace.id]);
    assert.equal(count?.n, 1);
  });

  test('no over-surveying: a contact cooldown across surveys, a per-survey cooldown, and none after an opt-out', async () => {
    const { workspace, survey } = await setUp();
    const other = checkoutSurvey({ id: 'support', touchpoint: 'support' });
    await saveSurvey(t.db, workspace.id, other);
    const key = await linkKey(t.db, workspace.id);
    const link = (s: string, customer: string) => signLink(key, { survey: s, customer });
    assert.ok((await respond(t.db, { ...base(workspace, survey), token: link('checkout', 'c-1'), answers: { recommend: { score: 9 } } })).ok);
    const sameSurvey = await respond(t.db, { ...base(workspace, survey), token: link('checkout', 'c-1'), answers: { recommend: { score: 9 } } });
    assert.equal(!sameSurvey.ok && sameSurvey.error, 'already_answered');
    const otherSurvey = await respond(t.db, { ...base(workspace, other), token: link('support', 'c-1'), answers: { recommend: { score: 9 } } });
    assert.equal(!otherSurvey.ok && otherSurvey.error, 'recently_surveyed');
    await optOut(t.db, workspace.id, { kind: 'customer', id: 'c-2' });
    const optedOut = await respond(t.db, { ...base(workspace, other), token: link('support', 'c-2'), answers: { recommend: { score: 9 } } });
    assert.equal(!optedOut.ok && optedOut.error, 'opted_out');
  });

  test('a closed survey takes no answers, new or more', async () => {
    const { workspace, survey } = await setUp();
    const open = await respond(t.db, { ...base(workspace, survey), complete: false, answers: { recommend: { score: 9 } } });
    assert.ok(open.ok);
    await setSurveyStatus(t.db, workspace.id, survey.id, 'closed');
    const closed = (await findSurvey(t.db, workspace.id, survey.id))!.survey;
    const fresh = await respond(t.db, { ...base(workspace, closed), answers: { recommend: { score: 9 } } });
    assert.equal(!fresh.ok && fresh.status, 410);
    const more = await respondMore(t.db, { workspace, survey: closed, submissionId: open.outcome.state.id, complete: true, answers: {} });
    assert.equal(!more.ok && more.error, 'closed');
  });

  test('coupons: one per respondent from the pool, none twice', async () => {
    const { workspace, survey } = await setUp({ access: 'personal', incentive: { kind: 'pool', text: { en: 'Your code' } } });
    assert.equal(await addCoupons(t.db, workspace.id, survey.id, ['A1', 'A2', 'A1', ' ']), 2);
    const key = await linkKey(t.db, workspace.id);
    const link = (customer: string) => signLink(key, { survey: survey.id, customer });
    const answers = { recommend: { score: 9 } };
    const firstLink = link('c-1');
    const first = await respond(t.db, { ...base(workspace, survey), token: firstLink, answers, idempotencyKey: 'k1' });
    const retry = await respond(t.db, { ...base(workspace, survey), token: firstLink, answers, idempotencyKey: 'k1' });
    const second = await respond(t.db, { ...base(workspace, survey), token: link('c-2'), answers, idempotencyKey: 'k2' });
    const third = await respond(t.db, { ...base(workspace, survey), token: link('c-3'), answers, idempotencyKey: 'k3' });
    assert.ok(first.ok && retry.ok && second.ok && third.ok);
    assert.equal(first.outcome.state.coupon, 'A1');
    assert.equal(retry.outcome.state.coupon, 'A1');
    assert.equal(second.outcome.state.coupon, 'A2');
    assert.equal(third.outcome.state.coupon, null, 'the pool is empty: the answer is still taken');
    assert.throws(() => checkoutSurvey({ incentive: { kind: 'pool', text: { en: 'Your code' } } }), /needs "access": "personal"/);
  });

  test('answers of one person take turns: concurrent personal links meet the cooldown once', async () => {
    const { workspace, survey } = await setUp({ access: 'personal', limits: { maxResponses: 3 } });
    const key = await linkKey(t.db, workspace.id);
    const same = await Promise.all(Array.from({ length: 6 }, () => respond(t.db, { ...base(workspace, survey), token: signLink(key, { survey: survey.id, customer: 'c-1' }), answers: { recommend: { score: 9 } } })));
    assert.equal(same.filter((r) => r.ok).length, 1, 'one answer per customer within the cooldown');
    const many = await Promise.all(Array.from({ length: 8 }, (_, i) => respond(t.db, { ...base(workspace, survey), token: signLink(key, { survey: survey.id, customer: `d-${i}` }), answers: { recommend: { score: 9 } } })));
    assert.equal(many.filter((r) => r.ok).length, 2, 'the cap of 3 completed responses holds under concurrency');
  });

  test('half a surrogate pair in a comment is stored as U+FFFD, not a failed write', async () => {
    const { workspace, survey } = await setUp();
    const result = await respond(t.db, { ...base(workspace, survey), answers: { recommend: { score: 9, comment: 'ok \ud800 then' } }, page: 'https://shop.example/\udfff' });
    assert.ok(result.ok, JSON.stringify(result));
    const [row] = await t.db.query<{ comment: string }>('SELECT comment FROM responses WHERE workspace_id = $1', [workspace.id]);
    assert.equal(row?.comment, 'ok \ufffd then');
  });
});

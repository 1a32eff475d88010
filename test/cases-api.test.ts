import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import type { Mail } from '../src/jobs/mailer.ts';
import { createJobWorker } from '../src/jobs/worker.ts';
import { addMembership, createApiKey, createUser } from '../src/storage/accounts.ts';
import { listAudit } from '../src/storage/audit.ts';
import { backfillCases } from '../src/storage/cases.ts';
import { createSubmission } from '../src/storage/submissions.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { csvLoader } from './support/load.ts';
import { checkoutSurvey } from './support/surveys.ts';

/**
 * The closed loop end to end below the browser: the rule (sada_opens_case) on a grid of answers,
 * cases opened by the three write paths (single submission, group commit, backfill) exactly once,
 * the API (queue order and filters, status and owner changes with their timestamps, notes, roles,
 * audit) and the metrics endpoint against the numbers the cases imply.
 */

describeEachEngine('cases (closed loop)', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test', trustProxy: true, defaultWorkspace: 'nowhere' }));
  const keyFor = async (workspace: Workspace, role: Role) => (await createApiKey(t.db, { workspaceId: workspace.id, name: `${role} key`, role })).secret;
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const opens = async (kind: string, score: number, min: number, max: number, settings: object = {}) =>
    (await t.db.query<{ v: boolean }>('SELECT sada_opens_case($1, $2, $3, $4, $5::jsonb) AS v', [kind, score, min, max, JSON.stringify(settings)]))[0]!.v;

  test('the rule: NPS 0–6, CSAT and CES bottom-2-box of their scale, CES mirrored, configurable, employees never', async () => {
    const grid: Array<[string, number, number, number, boolean]> = [
      ['nps', 6, 0, 10, true], ['nps', 7, 0, 10, false], ['nps', 0, 0, 10, true], ['nps', 3, 1, 10, true], ['nps', 3, 1, 5, false],
      ['csat', 2, 1, 5, true], ['csat', 3, 1, 5, false], ['csat', 2, 1, 10, true], ['csat', 3, 1, 10, false], ['csat', 0, 0, 1, true], ['csat', 1, 0, 1, false],
      ['ces', 2, 1, 7, true], ['ces', 3, 1, 7, false], ['esat', 1, 1, 5, false], ['intent', 1, 1, 5, false],
    ];
    for (const [kind, score, min, max, expected] of grid) assert.equal(await opens(kind, score, min, max), expected, `${kind} ${score} on ${min}–${max}`);
    const hardIsHigh = { metrics: { cesHighIsEasy: false } };
    assert.equal(await opens('ces', 7, 1, 7, hardIsHigh), true, 'a high score is hard: 6–7 of 7 open a case');
    assert.equal(await opens('ces', 2, 1, 7, hardIsHigh), false);
    const custom = { cases: { rule: { npsAtMost: 4, csatBottomBox: 1, cesBottomBox: null } } };
    assert.equal(await opens('nps', 5, 0, 10, custom), false);
    assert.equal(await opens('nps', 4, 0, 10, custom), true);
    assert.equal(await opens('csat', 2, 1, 5, custom), false);
    assert.equal(await opens('csat', 1, 1, 5, custom), true);
    assert.equal(await opens('ces', 1, 1, 5, custom), false, 'null turns a kind off');
    assert.equal(await opens('nps', 0, 0, 10, { cases: { enabled: false } }), false);
  });

  test('a detractor\'s answer opens one case in its transaction (single path and group commit); a retry or a backfill opens no second', async () => {
    const ws = await t.workspace('loop');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    await t.db.query(`INSERT INTO customers (workspace_id, id, name, email) VALUES ($1, 'c-1', 'Rana', 'rana@example.com')`, [ws.id]);
    const nps = (score: number) => [{ questionId: 'recommend', kind: 'nps' as const, score, scaleMin: 0, scaleMax: 10, answer: null, comment: null, attributes: {} }];
    const single = await createSubmission(t.db, ws.id, { survey: checkoutSurvey(), respondent: { customerId: 'c-1' }, language: 'en', channel: 'email', complete: false, requestHash: 'h1', contactCooldownDays: 0, answers: nps(2) });
    assert.ok(single.ok);
    const promoter = await createSubmission(t.db, ws.id, { survey: checkoutSurvey(), respondent: {}, language: 'en', channel: 'web', complete: true, requestHash: 'h2', contactCooldownDays: 0, answers: nps(10) });
    assert.ok(promoter.ok);
    // Anonymous: the group commit's one statement.
    const post = (key: string) =>
      app().request('/api/v1/public/responses', {
        method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-forwarded-for': '198.51.100.9' },
        body: JSON.stringify({ workspace: ws.name, survey: 'checkout', language: 'ar', complete: false, answers: { recommend: { score: 0 } } }),
      });
    const first = await post('retry-0123456789abcdef');
    assert.equal(first.status, 201, await first.clone().text());
    const again = await post('retry-0123456789abcdef');
    assert.ok(again.status < 300, 'a retry is answered as the first');
    const id = (await first.json()).id as string;
    // The comment after the score reaches the case: it is read from the response.
    const comment = '<img src=x onerror=alert(1)> too slow';
    const patch = await app().request(`/api/v1/public/responses/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { comment } } }) });
    assert.equal(patch.status, 200);

    const rows = await t.db.query<{ response_id: string; customer_id: string | null; score: number; status: string; hours: number }>(
      `SELECT response_id, customer_id, score, status, round(extract(epoch FROM due_at - opened_at) / 3600)::integer AS hours FROM cases WHERE workspace_id = $1 ORDER BY score`,
      [ws.id],
    );
    assert.deepEqual(rows, [
      { response_id: `${id}:recommend`, customer_id: null, score: 0, status: 'open', hours: 48 },
      { response_id: `${single.state.id}:recommend`, customer_id: 'c-1', score: 2, status: 'open', hours: 48 },
    ]);
    assert.deepEqual(await backfillCases(t.db, ws.id, new Date(0)), { opened: 0 }, 'backfill finds nothing new');

    const viewer = await keyFor(ws, 'viewer');
    const list = await call(viewer, 'GET', `/api/v1/cases?workspace=${ws.name}`);
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 2);
    const anonymous = list.body.cases.find((c: { answer: { score: number } }) => c.answer.score === 0);
    assert.equal(anonymous.answer.comment, comment, 'stored and returned as text, for the page to escape');
    const named = list.body.cases.find((c: { answer: { score: number } }) => c.answer.score === 2);
    assert.deepEqual(named.customer, { id: 'c-1', name: 'Rana', email: 'rana@example.com' });
  });

  test('an import opens the cases of its recent answers in the batch\'s transaction, not of old ones; importing again opens none', async () => {
    const ws = await t.workspace('import');
    const load = csvLoader(t);
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86400_000).toISOString();
    const csv = `id,kind,score,scale_min,scale_max,submitted_at,customer_id\n` +
      `i1,nps,2,0,10,${day(1)},c-1\ni2,nps,9,0,10,${day(1)},c-2\ni3,csat,1,1,5,${day(2)},c-3\ni4,nps,0,0,10,${day(400)},c-4\n`;
    await load(ws, 'responses', csv);
    const opened = async () => (await t.db.query<{ response_id: string }>('SELECT response_id FROM cases WHERE workspace_id = $1 ORDER BY response_id', [ws.id])).map((r) => r.response_id);
    assert.deepEqual(await opened(), ['i1', 'i3'], 'i2 is a promoter; i4 is 400 days old (backfill opens those on purpose)');
    await load(ws, 'responses', csv.replace(',c-2\n', ',c-2b\n'));
    assert.deepEqual(await opened(), ['i1', 'i3']);
  });

  test('imported answers: backfill opens their cases once, from a day on; settings give the SLA and the default owner', async () => {
    const ws = await t.workspace('backfill');
    const owner = await createUser(t.db, { email: `owner-${ws.name}@example.com`, name: 'Omar Owner', passwordHash: null });
    await addMembership(t.db, ws.id, owner.id, 'analyst');
    const admin = await keyFor(ws, 'admin');
    const refused = await call(admin, 'PATCH', `/api/v1/workspace-settings?workspace=${ws.name}`, { cases: { ownerUserId: 999999 } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /not an analyst or admin/);
    const set = await call(admin, 'PATCH', `/api/v1/workspace-settings?workspace=${ws.name}`, { cases: { slaHours: 24, ownerUserId: owner.id, rule: { csatBottomBox: 1 } } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.cases, { enabled: true, slaHours: 24, ownerUserId: owner.id, rule: { npsAtMost: 6, csatBottomBox: 1, cesBottomBox: 2 } });
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, customer_id) VALUES
        ($1, 'old', 'nps', 1, 0, 10, '2025-01-01', 'c-1'), ($1, 'r1', 'nps', 5, 0, 10, '2026-11-01', 'c-1'), ($1, 'r2', 'csat', 2, 1, 5, '2026-11-02', 'c-2'),
        ($1, 'r3', 'csat', 1, 1, 5, '2026-11-03', 'c-2'), ($1, 'r4', 'nps', 9, 0, 10, '2026-11-04', 'c-1')`,
      [ws.id],
    );
    assert.deepEqual(await backfillCases(t.db, ws.id, new Date('2026-10-01T00:00:00Z')), { opened: 2 }, 'r1 and r3 (CSAT 2 is outside a bottom-1 box); "old" is before the day');
    assert.deepEqual(await backfillCases(t.db, ws.id, new Date('2026-10-01T00:00:00Z')), { opened: 0 });
    const rows = await t.db.query<{ response_id: string; owner_user_id: number; hours: number }>(
      `SELECT response_id, owner_user_id, round(extract(epoch FROM due_at - opened_at) / 3600)::integer AS hours FROM cases WHERE workspace_id = $1 ORDER BY response_id`, [ws.id]);
    assert.deepEqual(rows, [{ response_id: 'r1', owner_user_id: owner.id, hours: 24 }, { response_id: 'r3', owner_user_id: owner.id, hours: 24 }]);
  });

  test('the API: queue order and filters, status timestamps, owner, notes, roles, audit, metrics', async () => {
    const ws = await t.workspace('api');
    const analystUser = await createUser(t.db, { email: `ana-${ws.name}@example.com`, name: 'Ana Analyst', passwordHash: null });
    await addMembership(t.db, ws.id, analystUser.id, 'analyst');
    const viewerUser = await createUser(t.db, { email: `vic-${ws.name}@example.com`, name: 'Vic Viewer', passwordHash: null });
    await addMembership(t.db, ws.id, viewerUser.id, 'viewer');
    const analyst = await keyFor(ws, 'analyst');
    const viewer = await keyFor(ws, 'viewer');
    // Three detractors: c-1 (due long ago: overdue), c-2 and c-3; c-1 and c-2 answer again later.
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, customer_id) VALUES
        ($1, 'a', 'nps', 3, 0, 10, now() - interval '10 days', 'c-1'), ($1, 'b', 'nps', 5, 0, 10, now() - interval '2 hours', 'c-2'),
        ($1, 'c', 'csat', 1, 1, 5, now() - interval '1 hour', 'c-3')`,
      [ws.id],
    );
    assert.deepEqual(await backfillCases(t.db, ws.id, new Date(Date.now() - 30 * 86400_000)), { opened: 3 });
    // Their next answers (stored after the backfill, so c-2's second detractor answer opens nothing here).
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, customer_id) VALUES
        ($1, 'a2', 'nps', 9, 0, 10, now() - interval '1 minute', 'c-1'), ($1, 'b2', 'nps', 4, 0, 10, now() - interval '1 minute', 'c-2')`,
      [ws.id],
    );
    await t.db.query(`UPDATE cases SET opened_at = now() - interval '10 days', due_at = now() - interval '8 days' WHERE workspace_id = $1 AND response_id = 'a'`, [ws.id]);
    await t.db.query(`UPDATE cases SET due_at = due_at - interval '1 hour' WHERE workspace_id = $1 AND response_id = 'b'`, [ws.id]);

    const list = await call(viewer, 'GET', `/api/v1/cases?workspace=${ws.name}`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.cases.map((c: { answer: { responseId: string }; overdue: boolean }) => [c.answer.responseId, c.overdue]), [['a', true], ['b', false], ['c', false]], 'overdue first, then by due date');
    assert.deepEqual(list.body.owners.map((o: { name: string }) => o.name), ['Ana Analyst'], 'only analysts and admins can own cases');
    const ids = Object.fromEntries(list.body.cases.map((c: { id: number; answer: { responseId: string } }) => [c.answer.responseId, c.id])) as Record<string, number>;
    assert.deepEqual((await call(viewer, 'GET', `/api/v1/cases?workspace=${ws.name}&overdue=true`)).body.cases.map((c: { id: number }) => c.id), [ids.a]);
    const paged = await call(viewer, 'GET', `/api/v1/cases?workspace=${ws.name}&limit=1&offset=1`);
    assert.deepEqual([paged.body.total, paged.body.cases.map((c: { id: number }) => c.id)], [3, [ids.b]]);
    const bad = await call(viewer, 'GET', `/api/v1/cases?workspace=${ws.name}&status=closed`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /status must be open, contacted or resolved/);

    // Viewers read but do not act.
    assert.equal((await call(viewer, 'PATCH', `/api/v1/cases/${ids.a}?workspace=${ws.name}`, { status: 'contacted' })).status, 403);
    assert.equal((await call(viewer, 'POST', `/api/v1/cases/${ids.a}/notes?workspace=${ws.name}`, { text: 'x' })).status, 403);
    const notOwner = await call(analyst, 'PATCH', `/api/v1/cases/${ids.a}?workspace=${ws.name}`, { ownerUserId: viewerUser.id });
    assert.equal(notOwner.status, 400);
    assert.match(notOwner.body.message, /not an analyst or admin/);

    const assigned = await call(analyst, 'PATCH', `/api/v1/cases/${ids.a}?workspace=${ws.name}`, { ownerUserId: analystUser.id });
    assert.equal(assigned.status, 200);
    assert.equal(assigned.body.case.owner.name, 'Ana Analyst');
    assert.deepEqual((await call(viewer, 'GET', `/api/v1/cases?workspace=${ws.name}&owner=none`)).body.cases.map((c: { id: number }) => c.id), [ids.b, ids.c]);
    const contacted = await call(analyst, 'PATCH', `/api/v1/cases/${ids.a}?workspace=${ws.name}`, { status: 'contacted' });
    assert.equal(contacted.body.case.status, 'contacted');
    assert.ok(contacted.body.case.contactedAt && !contacted.body.case.resolvedAt);
    const note = await call(analyst, 'POST', `/api/v1/cases/${ids.a}/notes?workspace=${ws.name}`, { text: '  Called; refund sent  ' });
    assert.equal(note.status, 201);
    assert.equal(note.body.note.text, 'Called; refund sent');
    assert.equal((await call(analyst, 'POST', `/api/v1/cases/${ids.a}/notes?workspace=${ws.name}`, { text: '' })).status, 400);
    const resolved = await call(analyst, 'PATCH', `/api/v1/cases/${ids.a}?workspace=${ws.name}`, { status: 'resolved' });
    assert.equal(resolved.body.case.status, 'resolved');
    assert.equal(resolved.body.case.contactedAt, contacted.body.case.contactedAt, 'the contact time is kept');
    assert.equal(resolved.body.case.overdue, false);
    // Straight to resolved implies contact.
    const direct = await call(analyst, 'PATCH', `/api/v1/cases/${ids.b}?workspace=${ws.name}`, { status: 'resolved' });
    assert.ok(direct.body.case.contactedAt && direct.body.case.resolvedAt);

    const one = await call(viewer, 'GET', `/api/v1/cases/${ids.a}?workspace=${ws.name}`);
    assert.deepEqual(one.body.case.notes.map((n: { text: string; author: string }) => [n.text, n.author]), [['Called; refund sent', 'analyst key']].map(([text]) => [text, one.body.case.notes[0].author]));
    assert.match(one.body.case.notes[0].author, /analyst key/);
    assert.equal((await call(viewer, 'GET', `/api/v1/cases/999999?workspace=${ws.name}`)).status, 404);

    const audit = await listAudit(t.db, ws.id);
    assert.deepEqual(audit.filter((e) => e.action.startsWith('case.')).map((e) => [e.action, e.details]).reverse(), [
      ['case.update', { owner: { from: null, to: analystUser.email } }],
      ['case.update', { status: { from: 'open', to: 'contacted' } }],
      ['case.note', { note: note.body.note.id }],
      ['case.update', { status: { from: 'contacted', to: 'resolved' } }],
      ['case.update', { status: { from: 'open', to: 'resolved' } }],
    ]);

    // Metrics: a resolved after 10 days (due after 2: late), b resolved within hours (in SLA), c open and not yet due.
    const metrics = await call(viewer, 'GET', `/api/v1/cases/metrics?workspace=${ws.name}`);
    assert.equal(metrics.status, 200);
    assert.equal(metrics.body.cases, 3);
    assert.deepEqual([metrics.body.withinSla.x, metrics.body.withinSla.n, metrics.body.withinSla.pending], [1, 2, 1]);
    assert.equal(metrics.body.timeToClose.n, 2);
    assert.equal(metrics.body.timeToClose.censored, 1);
    // b was opened by the backfill moments ago and resolved at once; a took 10 days. The type 1 median of two is the shorter.
    assert.ok(metrics.body.timeToClose.estimate >= 0 && metrics.body.timeToClose.estimate < 120, String(metrics.body.timeToClose.estimate));
    // c-1: 3 → 9 (improved); c-2: 5 → 4 (not); c-3 has not answered again.
    assert.deepEqual([metrics.body.recovery.x, metrics.body.recovery.n, metrics.body.recovery.awaiting], [1, 2, 1]);
    const tooEarly = await call(viewer, 'GET', `/api/v1/cases/metrics?workspace=${ws.name}&from=2000-01-01&to=2000-01-31`);
    assert.equal(tooEarly.body.cases, 0);
    assert.equal((await call(viewer, 'GET', `/api/v1/cases/metrics?workspace=${ws.name}&from=2026-02-31`)).status, 400);
  });

  test('assigning a case e-mails the new owner in their language, the comment escaped; a case reassigned before the send is skipped', async () => {
    const ws = await t.workspace('mail');
    const rana = await createUser(t.db, { email: `rana-${ws.name}@example.com`, name: 'رنا', passwordHash: null, locale: 'ar' });
    await addMembership(t.db, ws.id, rana.id, 'analyst');
    const tom = await createUser(t.db, { email: `tom-${ws.name}@example.com`, name: 'Tom', passwordHash: null });
    await addMembership(t.db, ws.id, tom.id, 'analyst');
    const admin = await keyFor(ws, 'admin');
    await t.db.query(`INSERT INTO customers (workspace_id, id, name) VALUES ($1, 'c-9', 'Ana & <b>Co</b>')`, [ws.id]);
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, submitted_at, customer_id) VALUES
        ($1, 'm1', 'nps', 2, 0, 10, '<script>alert(1)</script> late', now(), 'c-9'), ($1, 'm2', 'csat', 1, 1, 5, NULL, now(), NULL)`,
      [ws.id],
    );
    await backfillCases(t.db, ws.id, new Date(Date.now() - 86400_000));
    const list = (await call(admin, 'GET', `/api/v1/cases?workspace=${ws.name}`)).body.cases as Array<{ id: number; answer: { responseId: string } }>;
    const m1 = list.find((c) => c.answer.responseId === 'm1')!.id;
    const m2 = list.find((c) => c.answer.responseId === 'm2')!.id;
    assert.equal((await call(admin, 'PATCH', `/api/v1/cases/${m1}?workspace=${ws.name}`, { ownerUserId: rana.id })).status, 200);
    assert.equal((await call(admin, 'PATCH', `/api/v1/cases/${m2}?workspace=${ws.name}`, { ownerUserId: tom.id })).status, 200);
    assert.equal((await call(admin, 'PATCH', `/api/v1/cases/${m2}?workspace=${ws.name}`, { ownerUserId: null })).status, 200, 'taken back before the e-mail went');

    const sent: Mail[] = [];
    const mailer = { send: async (mail: Mail) => (sent.push(mail), { messageId: `m${sent.length}` }), close() {} };
    const worker = createJobWorker(t.db, { mailer, publicUrl: () => 'https://sada.example' }, { log: () => {}, workspaceIds: [ws.id] });
    assert.equal(await worker.runOnce(), 2);
    assert.equal(sent.length, 1, 'only the case that still has its owner');
    const [mail] = sent;
    assert.equal(mail!.to, rana.email);
    assert.equal(mail!.subject, `الحالة ${m1} مُسندة إليك: NPS ${new Intl.NumberFormat('ar').format(2)} من Ana & <b>Co</b>`, 'a subject is plain text');
    assert.ok(mail!.html.includes('<html lang="ar" dir="rtl">'));
    assert.ok(!mail!.html.includes('<script>') && !mail!.html.includes('<b>Co</b>'), 'data is escaped in the HTML');
    assert.ok(mail!.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; late'));
    assert.ok(mail!.html.includes('Ana &amp; &lt;b&gt;Co&lt;/b&gt;'));
    assert.ok(mail!.text.includes(`https://sada.example/cases?workspace=${ws.name}&id=${m1}`));
    const jobs = await t.db.query<{ status: string; result: string }>(`SELECT status, result FROM jobs WHERE workspace_id = $1 AND kind = 'notify_case_owner' ORDER BY id`, [ws.id]);
    assert.deepEqual(jobs.map((j) => j.status), ['done', 'skipped']);
    assert.match(jobs[1]!.result, /reassigned/);
  });
});

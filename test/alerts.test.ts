import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { deliverAlertHandler } from '../src/jobs/deliver-alert.ts';
import { evaluateAlertsHandler, evaluateWorkspace } from '../src/jobs/evaluate-alerts.ts';
import { smtpMailer } from '../src/jobs/mailer.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { DELIVER_ALERT, EVALUATE_ALERTS, scheduleEvaluation } from '../src/storage/alerts.ts';
import { JobWorker, listJobs } from '../src/storage/jobs.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { startReceiver, type Received, type Receiver } from './support/receiver.ts';
import { startInbox, type Inbox } from './support/smtp.ts';
import { checkoutSurvey } from './support/surveys.ts';

/**
 * Alerts end to end on both engines: rules made through the API; a planted CSAT drop in stored
 * monthly data fires once, in its month, and not in the noise months, however often the
 * evaluation runs; answer rules with their cool-down; deliveries to a real SMTP server, a Slack
 * receiver and a signed webhook whose signature is checked here by an independent verifier
 * written from the Standard Webhooks spec (not src/webhooks/signature.ts).
 */
process.env.SADA_WEBHOOKS_ALLOW_PRIVATE = '1';

function verifyStandardWebhook(secret: string, request: Received): boolean {
  const id = String(request.headers['webhook-id'] ?? '');
  const timestamp = String(request.headers['webhook-timestamp'] ?? '');
  const signatures = String(request.headers['webhook-signature'] ?? '');
  if (!id || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A seeded generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'];
const PLANTED = '2026-06';

let receiver: Receiver;
let inbox: Inbox;
before(async () => {
  receiver = await startReceiver();
  inbox = await startInbox();
});
after(async () => {
  await receiver.close();
  await inbox.close();
});

describeEachEngine('alerts', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test', trustProxy: true }));
  const keyFor = async (ws: Workspace, role: Role) => (await createApiKey(t.db, { workspaceId: ws.id, name: `${role} key`, role })).secret;
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const mailer = () => smtpMailer(`smtp://127.0.0.1:${inbox.port}`, 'Sada <alerts@sada.test>');
  const deliver = (ws: Workspace) =>
    new JobWorker(t.db, { [DELIVER_ALERT]: deliverAlertHandler({ db: t.db, mailer: mailer(), publicUrl: () => 'https://sada.test' }) }, { workspaceIds: [ws.id], log: () => {} });

  /** 300 CSAT answers a month, 82% satisfied; 66% in the planted month. */
  const seedMonths = async (ws: Workspace) => {
    const next = random(7); // a seed whose noise months hold no 95% false alarm (src/alerts tests the rate over 40 seeds)
    for (const month of MONTHS) {
      const p = month === PLANTED ? 0.66 : 0.82;
      const params: unknown[] = [ws.id];
      const rows: string[] = [];
      for (let i = 0; i < 300; i++) {
        const score = next() < p ? 4 + Math.round(next()) : 1 + Math.floor(next() * 3);
        params.push(`${month}-${i}`, score, `${month}-${String(1 + (i % 27)).padStart(2, '0')}T12:00:00Z`);
        rows.push(`($1, $${params.length - 2}, 'csat', $${params.length - 1}, 1, 5, $${params.length}::timestamptz)`);
      }
      await t.db.query(`INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at) VALUES ${rows.join(', ')}`, params);
    }
  };

  test('a planted CSAT drop in stored data fires once, in its month, not in noise months; evaluating again, or by two workers, records nothing more', async () => {
    const ws = await t.workspace('alerts-drop');
    await seedMonths(ws);
    const analyst = await keyFor(ws, 'analyst');
    const made = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, {
      name: 'CSAT fell',
      kind: 'drop',
      metric: 'csat',
      params: { period: 'month' },
      channels: [{ type: 'slack', url: `${receiver.url}/slack-${ws.name}` }],
      cooldownMinutes: 0,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const threshold = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, { name: 'CSAT under 75%', kind: 'threshold', metric: 'csat', params: { below: 75 }, channels: [] });
    assert.equal(threshold.status, 201, JSON.stringify(threshold.body));

    // The schedule, walked through the months: an evaluation at the end of each.
    for (const month of [...MONTHS, ...MONTHS]) {
      await evaluateWorkspace(t.db, ws, { at: new Date(`${month}-28T18:00:00Z`) });
    }
    // Two evaluations at once (two workers) of the planted month.
    await Promise.all([evaluateWorkspace(t.db, ws, { at: new Date(`${PLANTED}-28T18:00:00Z`) }), evaluateWorkspace(t.db, ws, { at: new Date(`${PLANTED}-28T18:00:00Z`) })]);

    const viewer = await keyFor(ws, 'viewer');
    const history = await call(viewer, 'GET', `/api/v1/alerts?workspace=${ws.name}`);
    assert.equal(history.status, 200);
    const fired = history.body.alerts.map((a: { ruleName: string; period: string }) => `${a.ruleName} ${a.period}`).sort();
    assert.deepEqual(fired, [`CSAT fell ${PLANTED}`, `CSAT under 75% ${PLANTED}`]);
    const drop = history.body.alerts.find((a: { ruleName: string }) => a.ruleName === 'CSAT fell');
    assert.equal(drop.figure.n, 300);
    assert.equal(drop.figure.previous.period, '2026-05');
    assert.ok(drop.figure.change.delta < 0 && drop.figure.change.pValue < 0.05);
    assert.equal(drop.figure.ci.length, 2);

    // The figure is the metric engine's: the same value and n as GET /api/v1/metrics/csat.
    const metric = await call(viewer, 'GET', `/api/v1/metrics/csat?workspace=${ws.name}&by=month&from=${PLANTED}-01&to=${PLANTED}-30`);
    assert.equal(metric.body.groups[0].value, drop.figure.value);
    assert.equal(metric.body.groups[0].n, drop.figure.n);

    // One delivery to Slack, JSON {text, blocks}.
    assert.deepEqual(drop.deliveries.map((d: { type: string; status: string; target: string }) => [d.type, d.status, d.target]), [['slack', 'pending', `127.0.0.1:${receiver.port}`]]);
    await deliver(ws).runOnce();
    const slack = receiver.received.filter((r) => r.url === `/slack-${ws.name}`);
    assert.equal(slack.length, 1);
    const message = JSON.parse(slack[0]!.body);
    assert.match(message.text, /CSAT fell/);
    assert.match(message.text, /fell from/);
    assert.ok(Array.isArray(message.blocks));
    const afterSend = await call(viewer, 'GET', `/api/v1/alerts?workspace=${ws.name}&rule=${made.body.rule.id}`);
    assert.equal(afterSend.body.alerts[0].deliveries[0].status, 'delivered');
    assert.equal(afterSend.body.alerts[0].deliveries[0].responseCode, 200);

    // The dry run sees the planted month without recording it again.
    const dry = await call(analyst, 'POST', `/api/v1/alert-rules/${made.body.rule.id}/test?workspace=${ws.name}&at=${PLANTED}-28`);
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.deepEqual(dry.body.firings.map((f: { period: string }) => f.period), [PLANTED]);
    assert.equal((await call(viewer, 'GET', `/api/v1/alerts?workspace=${ws.name}`)).body.alerts.length, 2);
  });

  test('a detractor answer fires once with its customer, score and comment; the cool-down holds the next one back; signed webhook and e-mail', async () => {
    const ws = await t.workspace('alerts-answer');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    await t.db.query(`INSERT INTO customers (workspace_id, id, name, email) VALUES ($1, 'c-7', 'Mallory <img src=x>', 'm@example.com')`, [ws.id]);
    const admin = await keyFor(ws, 'admin');
    const made = await call(admin, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, {
      name: 'Detractors',
      kind: 'response',
      params: { questionKind: 'nps', maxScore: 6 },
      channels: [
        { type: 'webhook', url: `${receiver.url}/signed-${ws.name}` },
        { type: 'email', to: ['cx-lead@example.com'], language: 'ar' },
      ],
      cooldownMinutes: 60,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const secret = made.body.secrets['0'] as string;
    assert.match(secret, /^whsec_/);
    const shown = await call(admin, 'GET', `/api/v1/alert-rules/${made.body.rule.id}?workspace=${ws.name}`);
    assert.equal(JSON.stringify(shown.body).includes(secret), false, 'the secret is shown once');
    assert.equal(shown.body.rule.channels[0].secretSet, true);
    // Making the rule queued its next scheduled evaluation.
    assert.equal((await listJobs(t.db, ws.id, EVALUATE_ALERTS)).filter((j) => String(j.payload.reason) === 'schedule').length, 1);
    await scheduleEvaluation(t.db, ws.id);
    assert.equal((await listJobs(t.db, ws.id, EVALUATE_ALERTS)).filter((j) => String(j.payload.reason) === 'schedule').length, 1, 'a restart queues no second job for the slot');

    const answer = async (score: number, comment: string) => {
      const response = await app().request('/api/v1/public/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}` },
        body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score, comment } } }),
      });
      assert.equal(response.status, 201, await response.clone().text());
    };
    // Attach the answer to the customer: the public route has no identity here, so set it after.
    await answer(2, '<script>alert(1)</script> terrible & slow');
    await t.db.query(`UPDATE responses SET customer_id = 'c-7' WHERE workspace_id = $1`, [ws.id]);
    await answer(9, 'great');
    // New data queued an evaluation (one per minute, however many answers).
    const queued = (await listJobs(t.db, ws.id, EVALUATE_ALERTS)).filter((j) => String(j.payload.reason) === 'new_data');
    assert.ok(queued.length >= 1 && queued.length <= 2, `one evaluation per minute of answers, got ${queued.length}`);

    const evaluate = evaluateAlertsHandler({ db: t.db });
    const job = { workspaceId: ws.id, id: 0, kind: EVALUATE_ALERTS, payload: { reason: 'new_data' }, attempts: 1, maxAttempts: 3, runAt: new Date() };
    assert.match((await evaluate(job)).result, /fired 1, suppressed 0/);
    assert.match((await evaluate(job)).result, /fired 0, suppressed 0/, 'evaluating again fires nothing');
    await answer(1, 'again bad');
    assert.match((await evaluate(job)).result, /fired 0, suppressed 1/, 'within the 60-minute cool-down');
    // The cool-down over: the next detractor is sent.
    await t.db.query(`UPDATE alert_rules SET last_fired_at = now() - interval '2 hours' WHERE workspace_id = $1`, [ws.id]);
    await answer(0, 'worst');
    assert.match((await evaluate(job)).result, /fired 1, suppressed 0/);

    const history = await call(admin, 'GET', `/api/v1/alerts?workspace=${ws.name}&limit=2`);
    assert.equal(history.body.alerts.length, 2);
    assert.ok(history.body.next);
    const page2 = await call(admin, 'GET', `/api/v1/alerts?workspace=${ws.name}&limit=2&before=${history.body.next}`);
    const all = [...history.body.alerts, ...page2.body.alerts];
    assert.deepEqual(all.map((a: { figure: { score: number }; suppressed: boolean }) => [a.figure.score, a.suppressed]), [[0, false], [1, true], [2, false]], 'newest first');
    assert.equal(all[2].figure.customerName, 'Mallory <img src=x>');

    await deliver(ws).runOnce();
    const signed = receiver.received.filter((r) => r.url === `/signed-${ws.name}`);
    assert.equal(signed.length, 2, 'two sent firings, one POST each; the suppressed one none');
    for (const request of signed) assert.ok(verifyStandardWebhook(secret, request), 'the signature verifies independently');
    const tampered = { ...signed[0]!, body: signed[0]!.body.replace('"score":', '"score":1') };
    assert.equal(verifyStandardWebhook(secret, tampered), false, 'a changed body does not verify');
    const first = JSON.parse(signed.find((r) => JSON.parse(r.body).data.figure.score === 2)!.body);
    assert.equal(first.type, 'alert.fired');
    assert.equal(first.data.figure.comment, '<script>alert(1)</script> terrible & slow');
    assert.equal(first.data.figure.customer, 'c-7');

    const mails = await inbox.next(2);
    const mail = mails.find((m) => String(m.html).includes('terrible'))!;
    assert.ok(mail, 'the e-mail with the comment');
    assert.match(mail.subject ?? '', /تنبيه صدى/, 'in Arabic, as the channel asked');
    assert.equal(String(mail.html).includes('<script>'), false, 'the comment is escaped');
    assert.equal(String(mail.html).includes('<img'), false, 'the customer name is escaped');
    assert.ok(String(mail.html).includes('&lt;script&gt;'));
    assert.match(String(mail.html), /dir="rtl"/);
  });

  test('a delivery that fails is retried by its job with backoff and recorded; the next attempt delivers it', async () => {
    const ws = await t.workspace('alerts-retry');
    await seedMonths(ws);
    const analyst = await keyFor(ws, 'analyst');
    const made = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, { name: 'CSAT under 75%', kind: 'threshold', metric: 'csat', params: { below: 75 }, channels: [{ type: 'slack', url: `${receiver.url}/flaky-${ws.name}` }] });
    assert.equal(made.status, 201);
    await evaluateWorkspace(t.db, ws, { at: new Date(`${PLANTED}-28T18:00:00Z`) });
    const path = `/flaky-${ws.name}`;
    const normal = receiver.reply;
    receiver.reply = (request, response) => {
      if (request.url === path) {
        response.writeHead(503);
        response.end('busy');
      } else normal(request, response);
    };
    try {
      await deliver(ws).runOnce();
    } finally {
      receiver.reply = normal;
    }
    let alerts = (await call(analyst, 'GET', `/api/v1/alerts?workspace=${ws.name}`)).body.alerts;
    assert.deepEqual(alerts[0].deliveries.map((d: { status: string; attempts: number; responseCode: number; lastError: string }) => [d.status, d.attempts, d.responseCode, /answered 503/.test(d.lastError)]), [['retrying', 1, 503, true]]);
    const [job] = await listJobs(t.db, ws.id, DELIVER_ALERT);
    assert.equal(job!.status, 'queued');
    assert.ok(job!.run_at.getTime() > Date.now() + 30_000, 'backoff: not before a minute');
    await t.db.query(`UPDATE jobs SET run_at = now() WHERE workspace_id = $1 AND kind = $2`, [ws.id, DELIVER_ALERT]);
    await deliver(ws).runOnce();
    alerts = (await call(analyst, 'GET', `/api/v1/alerts?workspace=${ws.name}`)).body.alerts;
    assert.deepEqual(alerts[0].deliveries.map((d: { status: string; attempts: number }) => [d.status, d.attempts]), [['delivered', 2]]);
    assert.equal(receiver.received.filter((r) => r.url === path).length, 2);
  });

  test('FRT over an SLA reads the metric engine\'s p90 of stored tickets; the schedule queues its next slot once', async () => {
    const ws = await t.workspace('alerts-frt');
    // 100 tickets in October: 80 answered in 10 minutes, 20 in 3 hours.
    const values = Array.from({ length: 100 }, (_, i) => `($1, 't${i}', '2026-10-${String(1 + (i % 25)).padStart(2, '0')}T09:00:00Z'::timestamptz, '2026-10-${String(1 + (i % 25)).padStart(2, '0')}T09:00:00Z'::timestamptz + make_interval(mins => ${i < 80 ? 10 : 180}))`);
    await t.db.query(`INSERT INTO tickets (workspace_id, id, created_at, first_response_at) VALUES ${values.join(', ')}`, [ws.id]);
    const analyst = await keyFor(ws, 'analyst');
    for (const [name, statistic] of [['p90 over 60 min', 'p90'], ['median over 60 min', 'median']] as const) {
      const made = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, { name, kind: 'frt_sla', params: { slaMinutes: 60, statistic } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    const handler = evaluateAlertsHandler({ db: t.db });
    await evaluateWorkspace(t.db, ws, { at: new Date('2026-10-28T12:00:00Z') });
    const { alerts } = (await call(analyst, 'GET', `/api/v1/alerts?workspace=${ws.name}`)).body;
    assert.deepEqual(alerts.map((a: { ruleName: string }) => a.ruleName), ['p90 over 60 min'], 'the median (10 min) is within the SLA; the p90 is not');
    const frt = (await call(analyst, 'GET', `/api/v1/metrics/frt?workspace=${ws.name}&by=month&from=2026-10-01&to=2026-10-31`)).body.groups[0];
    assert.equal(alerts[0].figure.value, frt.p90);
    assert.deepEqual(alerts[0].figure.ci, frt.p90_ci);
    assert.equal(alerts[0].figure.n, 100);
    assert.equal(alerts[0].figure.threshold, 3600);
    // A scheduled run queues the next slot (once, whoever runs it); its evaluation is of now, so it records nothing here.
    const schedule = { workspaceId: ws.id, id: 0, kind: EVALUATE_ALERTS, payload: { reason: 'schedule' }, attempts: 1, maxAttempts: 3, runAt: new Date() };
    await handler(schedule);
    await handler(schedule);
    const slots = (await listJobs(t.db, ws.id, EVALUATE_ALERTS)).filter((j) => String(j.payload.reason) === 'schedule');
    assert.equal(slots.length, 1);
    assert.ok(slots[0]!.run_at.getTime() > Date.now() && slots[0]!.run_at.getTime() <= Date.now() + 15 * 60_000);
  });

  test('the API: viewers read, analysts write; bad rules and refused URLs are 400s a person can act on; disable and delete', async () => {
    const ws = await t.workspace('alerts-api');
    const viewer = await keyFor(ws, 'viewer');
    const analyst = await keyFor(ws, 'analyst');
    const rule = { name: 'NPS under 20', kind: 'threshold', metric: 'nps', params: { below: 20 } };
    assert.equal((await call(viewer, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, rule)).status, 403);
    const made = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, rule);
    assert.equal(made.status, 201);
    assert.deepEqual(made.body.rule.params, { period: 'month', below: 20, minN: 30 });
    assert.equal(made.body.rule.cooldownMinutes, 1440);
    const bad = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, { ...rule, metric: 'volume' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /metric must be one of/);
    const both = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, { ...rule, params: { below: 1, above: 2 } });
    assert.match(both.body.message, /exactly one of below and above/);
    const ssrf = await call(analyst, 'POST', `/api/v1/alert-rules?workspace=${ws.name}`, { ...rule, channels: [{ type: 'slack', url: 'file:///etc/passwd' }] });
    assert.equal(ssrf.status, 400);
    assert.match(ssrf.body.message, /channels\.0\.url is refused/);
    const id = made.body.rule.id;
    const disabled = await call(analyst, 'PATCH', `/api/v1/alert-rules/${id}?workspace=${ws.name}`, { enabled: false });
    assert.equal(disabled.status, 200);
    assert.equal(disabled.body.rule.enabled, false);
    const changed = await call(analyst, 'PATCH', `/api/v1/alert-rules/${id}?workspace=${ws.name}`, { params: { below: 10 } });
    assert.deepEqual(changed.body.rule.params, { period: 'month', below: 10, minN: 30 });
    const listed = await call(viewer, 'GET', `/api/v1/alert-rules?workspace=${ws.name}`);
    assert.deepEqual(listed.body.rules.map((r: { name: string; enabled: boolean }) => [r.name, r.enabled]), [['NPS under 20', false]]);
    assert.equal((await call(viewer, 'DELETE', `/api/v1/alert-rules/${id}?workspace=${ws.name}`)).status, 403);
    assert.equal((await call(analyst, 'DELETE', `/api/v1/alert-rules/${id}?workspace=${ws.name}`)).status, 204);
    assert.equal((await call(analyst, 'GET', `/api/v1/alert-rules/${id}?workspace=${ws.name}`)).status, 404);
  });
});

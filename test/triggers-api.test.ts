import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { SEND_INVITATION } from '../src/jobs/send-invitation.ts';
import { listJobs } from '../src/storage/jobs.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { describeEachEngine } from './support/databases.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** The triggers that turn events into survey invitations are set through the API, not by editing the database. */

const TOKEN = 'triggers-test-token-0123456789abcdef';

describeEachEngine('triggers through PATCH /api/v1/workspace-settings', (t) => {
  test('an admin sets the list, it is validated against the surveys, read back, audited, and an event then schedules its survey', async () => {
    const ws = await t.workspace('triggers');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    const app = createApp({ db: t.db, version: 'test', apiToken: TOKEN });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await app.request(path, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> & { message?: string } };
    };
    const settings = `/api/v1/workspace-settings?workspace=${ws.name}`;

    assert.deepEqual((await call('GET', settings)).body.triggers, [], 'none at first');
    for (const [triggers, pattern] of [
      [[{ event: 'order_delivered', survey: 'nope' }], /triggers\.0\.survey: there is no survey "nope"/],
      [[{ event: 'order_delivered', survey: 'checkout', delayMinutes: -5 }], /delayMinutes is 0 to 525600/],
      [[{ event: 'order_delivered', survey: 'checkout', channel: 'pigeon' }], /channel is email or sms/],
      [[{ survey: 'checkout' }], /event is required/],
      [[{ event: 'x', survey: 'checkout', when: 'soon' }], /unknown field when/],
    ] as const) {
      const refused = await call('PATCH', settings, { triggers });
      assert.equal(refused.status, 400, JSON.stringify(triggers));
      assert.match(refused.body.message!, pattern);
    }
    assert.deepEqual((await call('GET', settings)).body.triggers, [], 'a refused list changes nothing');

    const set = await call('PATCH', settings, { triggers: [{ event: 'order_delivered', survey: 'checkout', delayMinutes: 60 }] });
    assert.equal(set.status, 200, set.body.message);
    assert.deepEqual(set.body.changed, ['triggers']);
    const expected = [{ event: 'order_delivered', survey: 'checkout', delayMinutes: 60, channel: 'email' }];
    assert.deepEqual((await call('GET', settings)).body.triggers, expected);
    const [audit] = await t.db.query<{ action: string; details: unknown }>(`SELECT action, details FROM audit_log WHERE workspace_id = $1 AND action = 'settings.update'`, [ws.id]);
    const details = (typeof audit!.details === 'string' ? JSON.parse(audit!.details) : audit!.details) as { triggers: { from: unknown; to: unknown } };
    assert.deepEqual(details.triggers, { from: [], to: expected });

    const occurredAt = new Date(Date.now() - 30 * 60_000);
    const event = await call('POST', '/api/v1/events', { id: `ev-${ws.name}`, workspace: ws.name, type: 'order_delivered', customer: { id: 'c-1', email: 'ana@example.com' }, order: 'o-1', occurredAt: occurredAt.toISOString() });
    assert.equal(event.status, 202, event.body.message);
    const [job] = await listJobs(t.db, ws.id, SEND_INVITATION);
    assert.ok(job, 'the event scheduled an invitation');
    assert.equal(new Date(job.run_at).getTime(), occurredAt.getTime() + 60 * 60_000, 'due the trigger\'s delay after the event');

    assert.equal((await call('PATCH', settings, { triggers: [] })).status, 200);
    assert.deepEqual((await call('GET', settings)).body.triggers, [], 'an empty list removes them');
  });
});

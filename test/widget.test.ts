import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { identityHmac } from '../src/listening/identity.ts';
import { optOut } from '../src/storage/submissions.ts';
import { identitySecret, saveSurvey } from '../src/storage/surveys.ts';
import { describeEachEngine } from './support/databases.ts';
import { parseSurvey } from '../src/listening/survey.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** The widget's side of the server: the script other sites load, and what identify() is worth. */
describeEachEngine('website widget on the server', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test' }));

  test('the app serves /widget.js to other sites (not same-origin only, unlike its pages)', async () => {
    const script = await app().request('/widget.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'application/javascript; charset=utf-8');
    assert.equal(script.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(script.headers.get('x-content-type-options'), 'nosniff');
    const home = await app().request('/health');
    assert.equal(home.headers.get('cross-origin-resource-policy'), 'same-origin', 'the rest keeps the secure headers');
  });

  test('identify() without a server-signed HMAC stays anonymous: the identity is not trusted', async () => {
    const workspace = await t.workspace('widget');
    await saveSurvey(t.db, workspace.id, checkoutSurvey());
    const response = await app().request('/api/v1/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'widget-identity-1' },
      body: JSON.stringify({
        workspace: workspace.name,
        survey: 'checkout',
        language: 'en',
        answers: { recommend: { score: 9 } },
        complete: false,
        identity: { id: 'c-42', hmac: 'not-a-valid-signature' },
      }),
    });
    assert.equal(response.status, 201);
    const rows = await t.db.query<{ customer_id: string | null }>(
      `SELECT r.customer_id FROM responses r WHERE r.workspace_id = $1
       UNION ALL SELECT s.customer_id FROM submissions s WHERE s.workspace_id = $1`,
      [workspace.id],
    );
    assert.deepEqual(rows, [{ customer_id: null }, { customer_id: null }]);
  });

  /** A widget POST as the script sends it after sada.identify(id, hmac). */
  const identified = (workspace: string, key: string, identity: unknown, answers: Record<string, unknown> = { recommend: { score: 9 } }) =>
    app().request('/api/v1/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `widget-display-${key}` },
      body: JSON.stringify({ workspace, survey: 'checkout', language: 'en', answers, complete: false, identity }),
    });
  const customerIds = async (workspaceId: number) =>
    t.db.query<{ customer_id: string | null }>(
      `SELECT r.customer_id FROM responses r WHERE r.workspace_id = $1
       UNION ALL SELECT s.customer_id FROM submissions s WHERE s.workspace_id = $1`,
      [workspaceId],
    );

  test('identify() with the HMAC of the workspace identity secret: the answer joins the customer, and the cooldown applies', async () => {
    const workspace = await t.workspace('widget');
    await saveSurvey(t.db, workspace.id, checkoutSurvey());
    const hmac = identityHmac(await identitySecret(t.db, workspace.id), 'c-42');
    assert.match(hmac, /^[0-9a-f]{64}$/);
    const first = await identified(workspace.name, 'widget-valid-1', { id: 'c-42', hmac });
    assert.equal(first.status, 201, await first.clone().text());
    assert.deepEqual(await customerIds(workspace.id), [{ customer_id: 'c-42' }, { customer_id: 'c-42' }]);

    const retry = await identified(workspace.name, 'widget-valid-1', { id: 'c-42', hmac });
    assert.equal(retry.status, 200, 'a retry with the same key is the same response, not a second answer');
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');

    // An identified person gets the survey's cooldown, like a personal link's.
    const again = await identified(workspace.name, 'widget-valid-2', { id: 'c-42', hmac: hmac.toUpperCase() });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { error: string }).error, 'already_answered');
  });

  test('an HMAC made with another workspace\'s secret, or for another id, stays anonymous', async () => {
    const workspace = await t.workspace('widget');
    const other = await t.workspace('widget-other');
    await saveSurvey(t.db, workspace.id, checkoutSurvey());
    const foreign = identityHmac(await identitySecret(t.db, other.id), 'c-42');
    const ownSecret = await identitySecret(t.db, workspace.id);
    assert.notEqual(foreign, identityHmac(ownSecret, 'c-42'), 'each workspace has its own secret');
    assert.equal((await identified(workspace.name, 'widget-foreign', { id: 'c-42', hmac: foreign })).status, 201);
    const ofAnother = identityHmac(ownSecret, 'c-7');
    assert.equal((await identified(workspace.name, 'widget-other-id', { id: 'c-42', hmac: ofAnother })).status, 201);
    // Malformed identities are dropped, not refused: the answer is kept, anonymous.
    assert.equal((await identified(workspace.name, 'widget-long-id', { id: 'x'.repeat(201), hmac: identityHmac(ownSecret, 'x'.repeat(201)) })).status, 201);
    assert.equal((await identified(workspace.name, 'widget-not-object', 'c-42')).status, 201);
    const rows = await customerIds(workspace.id);
    assert.equal(rows.length, 8);
    assert.ok(rows.every((row) => row.customer_id === null), JSON.stringify(rows));
  });

  test('a customer who opted out and identifies with a valid HMAC is refused: 409 opted_out', async () => {
    const workspace = await t.workspace('widget');
    await saveSurvey(t.db, workspace.id, checkoutSurvey());
    await optOut(t.db, workspace.id, { kind: 'customer', id: 'c-9' });
    const hmac = identityHmac(await identitySecret(t.db, workspace.id), 'c-9');
    const response = await identified(workspace.name, 'widget-opted-out', { id: 'c-9', hmac });
    assert.equal(response.status, 409);
    assert.equal(((await response.json()) as { error: string }).error, 'opted_out');
    assert.deepEqual(await customerIds(workspace.id), []);
  });

  test('the identity of a customer who answered another survey lately meets the contact cooldown', async () => {
    const workspace = await t.workspace('widget');
    await saveSurvey(t.db, workspace.id, checkoutSurvey());
    await saveSurvey(t.db, workspace.id, checkoutSurvey({ id: 'checkout-2' }));
    const hmac = identityHmac(await identitySecret(t.db, workspace.id), 'c-5');
    assert.equal((await identified(workspace.name, 'widget-contact-1', { id: 'c-5', hmac })).status, 201);
    const second = await app().request('/api/v1/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: workspace.name, survey: 'checkout-2', answers: { recommend: { score: 3 } }, identity: { id: 'c-5', hmac } }),
    });
    assert.equal(second.status, 409);
    assert.equal(((await second.json()) as { error: string }).error, 'recently_surveyed');
  });

  test('an employees survey is not answered in a customer\'s name: the identity is ignored there', async () => {
    const workspace = await t.workspace('widget');
    await saveSurvey(t.db, workspace.id, parseSurvey({
      id: 'pulse', name: 'Pulse', touchpoint: 'workplace', audience: 'employees', defaultLanguage: 'en', languages: ['en'],
      questions: [{ id: 'esat', kind: 'esat', text: { en: 'How satisfied are you with your work?' } }],
    }));
    const hmac = identityHmac(await identitySecret(t.db, workspace.id), 'c-42');
    const response = await app().request('/api/v1/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: workspace.name, survey: 'pulse', answers: { esat: { score: 4 } }, identity: { id: 'c-42', hmac } }),
    });
    assert.equal(response.status, 201);
    const rows = await t.db.query<{ customer_id: string | null; employee_id: string | null }>(
      'SELECT customer_id, employee_id FROM submissions WHERE workspace_id = $1', [workspace.id],
    );
    assert.deepEqual(rows, [{ customer_id: null, employee_id: null }]);
  });
});

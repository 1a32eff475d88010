import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { describeEachEngine } from './support/databases.ts';
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
});

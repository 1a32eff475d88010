import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Role } from '../src/accounts/roles.ts';
import { createApp } from '../src/http/app.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { listAudit } from '../src/storage/audit.ts';
import { findSurvey } from '../src/storage/surveys.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

/** The survey management API: the builder's server (src/http/routes/surveys.ts). */

const checkout = () => JSON.parse(readFileSync(new URL('../examples/surveys/checkout.json', import.meta.url), 'utf8')) as Record<string, unknown> & { questions: Array<Record<string, unknown>> };

const minimal = (id: string) => ({
  id,
  name: 'After support',
  touchpoint: 'Support Chat',
  defaultLanguage: 'en',
  languages: ['en', 'ar'],
  questions: [{ id: 'sat', kind: 'csat', text: { en: 'How satisfied are you?', ar: 'ما مدى رضاك؟' } }],
});

interface Issue {
  path: string;
  message: string;
}

describeEachEngine('survey management API', (t) => {
  const setup = async () => {
    const ws = await t.workspace('surveys');
    const app = createApp({ db: t.db, version: 'test', defaultWorkspace: ws.name, publicUrl: 'https://cx.example.com' });
    const key = async (role: Role, workspace: Workspace = ws) => `Bearer ${(await createApiKey(t.db, { workspaceId: workspace.id, name: role, role })).secret}`;
    const call = (method: string, path: string, auth: string, body?: unknown) =>
      app.request(path, { method, headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { ws, app, key, call, q: `?workspace=${ws.name}` };
  };

  test('create, read, list, update, close and open; each change audited', async () => {
    const { ws, app, key, call, q } = await setup();
    const analyst = await key('analyst');
    const created = await call('POST', `/api/v1/surveys${q}`, analyst, minimal('after-support'));
    assert.equal(created.status, 201, await created.clone().text());
    const body = await created.json();
    assert.equal(body.survey.touchpoint, 'support-chat', 'normalised by the schema');
    assert.equal(body.survey.access, 'public', 'defaults filled in');
    assert.equal(body.completed, 0);
    assert.deepEqual(body.share, {
      link: `https://cx.example.com/s/${ws.name}/after-support`,
      qr: `/s/${ws.name}/after-support/qr.svg`,
      embed: `<script src="https://cx.example.com/widget.js" data-workspace="${ws.name}" data-survey="after-support" async></script>`,
      calls: `window.sada = window.sada || [];\nsada.push(['open', "after-support"]);`,
      personalLink: `sada survey link after-support --customer <customer id> --workspace ${ws.name}`,
    });
    assert.equal((await findSurvey(t.db, ws.id, 'after-support', { fresh: true }))?.survey.name, 'After support', 'stored where the link page reads it');

    const again = await call('POST', `/api/v1/surveys${q}`, analyst, minimal('after-support'));
    assert.equal(again.status, 409, 'a create never replaces an existing survey');
    assert.equal((await again.json()).issues[0].path, 'id');

    const list = await (await call('GET', `/api/v1/surveys${q}`, await key('viewer'))).json();
    assert.deepEqual(
      list.surveys.map((s: Record<string, unknown>) => [s.id, s.status, s.touchpoint, s.access, s.kinds, s.languages, s.completed, s.scores, s.editable]),
      [['after-support', 'open', 'support-chat', 'public', ['csat'], ['en', 'ar'], 0, 0, true]],
    );

    // A live answer counts as a finished response and as a score (from the rollups).
    const answered = await app.request('/api/v1/public/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: ws.name, survey: 'after-support', answers: { sat: { score: 5 } }, complete: true }) });
    assert.equal(answered.status, 201, await answered.clone().text());
    const counted = (await (await call('GET', `/api/v1/surveys${q}`, await key('viewer'))).json()).surveys[0];
    assert.deepEqual([counted.completed, counted.scores], [1, 1]);
    assert.equal((await (await call('GET', `/api/v1/surveys/after-support${q}`, analyst)).json()).completed, 1);

    const changed = { ...body.survey, name: 'After a support chat', access: 'personal', limits: { singleUse: true, cooldownDays: 30, maxResponses: 500 } };
    const put = await call('PUT', `/api/v1/surveys/after-support${q}`, analyst, changed);
    assert.equal(put.status, 200, await put.clone().text());
    const updated = await put.json();
    assert.equal(updated.survey.name, 'After a support chat');
    assert.deepEqual(updated.survey.limits, { singleUse: true, cooldownDays: 30, maxResponses: 500 });
    assert.equal(updated.share.qr, null, 'a personal survey has no shared QR code');
    assert.equal(updated.share.embed, null, 'nor a widget');

    const closed = await call('POST', `/api/v1/surveys/after-support/close${q}`, analyst);
    assert.equal(closed.status, 200);
    assert.equal((await closed.json()).survey.status, 'closed');
    assert.equal((await findSurvey(t.db, ws.id, 'after-support'))?.status, 'closed', 'the link page sees it closed at once');
    assert.equal((await call('POST', `/api/v1/surveys/after-support/open${q}`, analyst)).status, 200);
    assert.equal((await findSurvey(t.db, ws.id, 'after-support'))?.status, 'open');

    const audit = await listAudit(t.db, ws.id);
    assert.deepEqual(
      audit.map((a) => [a.action, a.target, a.actor.kind]).reverse(),
      [
        ['survey.create', 'survey:after-support', 'key'],
        ['survey.update', 'survey:after-support', 'key'],
        ['survey.close', 'survey:after-support', 'key'],
        ['survey.open', 'survey:after-support', 'key'],
      ],
      'the refused second create wrote nothing',
    );
  });

  test('the schema\'s problems come back as a 400, each with its path', async () => {
    const { key, call, q } = await setup();
    const analyst = await key('analyst');
    const bad = checkout();
    bad.id = 'checkout-bad';
    bad.access = 'public'; // the pool incentive needs personal
    bad.questions[0]!.scale = { min: 0, max: 5 };
    bad.questions[0]!.allowOthers = true;
    (bad.questions[1] as { text: Record<string, string> }).text = { ar: 'ما فئتك العمرية؟' };
    const response = await call('POST', `/api/v1/surveys${q}`, analyst, bad);
    assert.equal(response.status, 400);
    const { error, issues, message } = (await response.json()) as { error: string; issues: Issue[]; message: string };
    assert.equal(error, 'invalid_survey');
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    assert.match(byPath['questions.0']!, /Unrecognized key.*allowOthers/);
    assert.equal(byPath['questions.1.text'], 'give this text in the default language "en"');
    assert.match(byPath['incentive.kind']!, /needs "access": "personal"/);
    assert.match(message, /questions\.1\.text: give this text/);
    assert.equal((await call('GET', `/api/v1/surveys/checkout-bad${q}`, analyst)).status, 404, 'nothing stored');

    // The scale is checked once the shape is right.
    const scale = minimal('scale');
    (scale.questions[0] as Record<string, unknown>).scale = { min: 0, max: 10 };
    const scaleIssues = (await (await call('POST', `/api/v1/surveys${q}`, analyst, scale)).json()).issues as Issue[];
    assert.deepEqual(scaleIssues, [{ path: 'questions.0.scale', message: 'a csat scale is 1-5 or 1-10, not 0-10' }]);

    const created = await call('POST', `/api/v1/surveys${q}`, analyst, minimal('kept'));
    assert.equal(created.status, 201);
    const renamed = await call('PUT', `/api/v1/surveys/kept${q}`, analyst, minimal('other-id'));
    assert.equal(renamed.status, 400);
    assert.equal(((await renamed.json()).issues as Issue[])[0]!.path, 'id');
    const broken = await call('PUT', `/api/v1/surveys/kept${q}`, analyst, { ...minimal('kept'), questions: [] });
    assert.deepEqual(((await broken.json()).issues as Issue[]).map((i) => i.path), ['questions']);
    assert.equal((await call('PUT', `/api/v1/surveys/missing${q}`, analyst, minimal('missing'))).status, 404, 'PUT does not create');
    const notJson = await call('POST', `/api/v1/surveys${q}`, analyst);
    assert.equal(notJson.status, 400);
  });

  test('roles and workspaces: viewers read, analysts write, another workspace is a 404', async () => {
    const { ws, key, call, q } = await setup();
    const other = await t.workspace('surveys-other');
    const viewer = await key('viewer');
    assert.equal((await call('POST', `/api/v1/surveys${q}`, viewer, minimal('nope'))).status, 403);
    assert.equal((await call('POST', `/api/v1/surveys${q}`, await key('analyst'), minimal('mine'))).status, 201);
    assert.equal((await call('GET', `/api/v1/surveys/mine${q}`, viewer)).status, 200);
    assert.equal((await call('PUT', `/api/v1/surveys/mine${q}`, viewer, minimal('mine'))).status, 403);
    assert.equal((await call('POST', `/api/v1/surveys/mine/close${q}`, viewer)).status, 403);

    // A key of the other workspace: this workspace does not exist for it.
    const stranger = await key('admin', other);
    for (const [method, path, body] of [
      ['GET', `/api/v1/surveys${q}`],
      ['GET', `/api/v1/surveys/mine${q}`],
      ['PUT', `/api/v1/surveys/mine${q}`, minimal('mine')],
      ['POST', `/api/v1/surveys/mine/close${q}`],
      ['POST', `/api/v1/surveys${q}`, minimal('planted')],
    ] as const) {
      const response = await call(method, path, stranger, body);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.match((await response.json()).message, new RegExp(`no workspace "${ws.name}"`));
    }
    // Its own workspace has no survey "mine".
    assert.equal((await call('GET', `/api/v1/surveys/mine?workspace=${other.name}`, stranger)).status, 404);
    assert.equal((await call('POST', `/api/v1/surveys/mine/open?workspace=${other.name}`, stranger)).status, 404);
    assert.equal((await findSurvey(t.db, ws.id, 'mine', { fresh: true }))?.status, 'open');
  });

  test('preview: an unsaved draft rendered by the link page\'s templates, escaped, in each language', async () => {
    const { key, call, q } = await setup();
    const viewer = await key('viewer');
    const draft = checkout();
    draft.languages = ['en', 'ar'];
    draft.name = 'Preview <script>alert(1)</script>';
    (draft.questions[0] as { text: Record<string, string> }).text.en = 'Recommend us? <img src=x onerror=alert(1)>';
    const preview = async (body: unknown) => call('POST', `/api/v1/surveys/preview${q}`, viewer, body);

    const en = await (await preview({ draft, language: 'en' })).json();
    assert.equal(en.dir, 'ltr');
    assert.match(en.html, /<html lang="en" dir="ltr">/);
    assert.match(en.html, /Recommend us\? &lt;img src=x onerror=alert\(1\)&gt;/, 'customer text escaped');
    assert.doesNotMatch(en.html, /<img src=x/);
    assert.doesNotMatch(en.html, /<script/i, 'the preview runs no script');
    const ar = await (await preview({ draft, language: 'ar', step: 'low' })).json();
    assert.equal(ar.dir, 'rtl');
    assert.match(ar.html, /<html lang="ar" dir="rtl">/);
    assert.match(ar.html, /نأسف لذلك/, 'the low band\'s follow-up wording');
    const thanks = await (await preview({ draft, language: 'ar', step: 'thanks' })).json();
    assert.match(thanks.html, /إليك رمز خصم/);
    const fallback = await (await preview({ draft, language: 'lt' })).json();
    assert.equal(fallback.html.includes('lang="en"'), true, 'a language the survey does not offer shows the default one');

    const invalid = await (await preview({ draft: { ...draft, questions: [] } })).json();
    assert.equal(invalid.valid, false);
    assert.deepEqual((invalid.issues as Issue[]).map((i) => i.path), ['questions']);
    assert.equal(en.valid, true);
    assert.equal((await preview({ draft, step: 'nonsense' })).status, 400);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { startServer } from '../src/http/server.ts';
import { signLink } from '../src/listening/link-token.ts';
import { parseSurvey } from '../src/listening/survey.ts';
import { linkKey, saveSurvey } from '../src/storage/surveys.ts';
import type { Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** The public listening API under hostile input: every refusal is a 4xx a person can act on. */
describeEachEngine('public response API', (t) => {
  // One app, as in production: its rate limits live as long as it does.
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test', trustProxy: true }));
  async function setUp(overrides: Parameters<typeof checkoutSurvey>[0] = {}, settings?: Record<string, unknown>) {
    const workspace = await t.workspace('public');
    if (settings) await t.db.query('UPDATE workspaces SET settings = $2 WHERE id = $1', [workspace.id, JSON.stringify(settings)]);
    await saveSurvey(t.db, workspace.id, checkoutSurvey(overrides));
    return workspace;
  }
  let address = 0;
  const post = (body: unknown, headers: Record<string, string> = {}, ip = `198.51.100.${++address % 250}`) =>
    app().request('/api/v1/public/responses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const count = async (ws: Workspace) => (await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM responses WHERE workspace_id = $1', [ws.id]))[0]!.n;

  test('an answer is committed before the 201, with the follow-up worded by its score', async () => {
    const ws = await setUp();
    const response = await post({ workspace: ws.name, survey: 'checkout', language: 'ar', complete: false, answers: { recommend: { score: 2 } } });
    assert.equal(response.status, 201);
    const body = await response.json();
    assert.equal(body.completed, false);
    assert.deepEqual(body.followUp, { recommend: 'ما الذي حدث بشكل خاطئ؟' });
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(await count(ws), 1);

    const more = await app().request(`/api/v1/public/responses/${body.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { comment: 'late' } } }),
    });
    assert.equal(more.status, 200);
    assert.equal((await more.json()).thankYou, 'شكرًا لك!');
    const edit = await app().request(`/api/v1/public/responses/${body.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 10 } } }),
    });
    assert.equal(edit.status, 409);
    assert.match((await edit.json()).message, /finished and can no longer be changed/);
  });

  test("the follow-up's wording follows the workspace's own satisfaction threshold", async () => {
    const ws = await setUp({}, { metrics: { positiveFrom: { '1-5': 5 } } });
    const csat = parseSurvey({
      id: 'support',
      name: 'Support',
      touchpoint: 'support',
      defaultLanguage: 'en',
      languages: ['en'],
      questions: [{ id: 'sat', kind: 'csat', text: { en: 'Satisfied?' }, followUp: { text: { en: 'Why?' }, high: { en: 'What did we do well?' }, middle: { en: 'What would make it a 5?' } } }],
    });
    await saveSurvey(t.db, ws.id, csat);
    const four = await (await post({ workspace: ws.name, survey: 'support', complete: false, answers: { sat: { score: 4 } } })).json();
    assert.deepEqual(four.followUp, { sat: 'What would make it a 5?' }, 'a 4 is not satisfied where only a 5 counts');
    const five = await (await post({ workspace: ws.name, survey: 'support', complete: false, answers: { sat: { score: 5 } } })).json();
    assert.deepEqual(five.followUp, { sat: 'What did we do well?' });
  });

  test('wrong types, off-scale scores, bad JSON and oversized bodies are clear 4xx answers', async () => {
    const ws = await setUp();
    const cases: Array<[unknown, number, RegExp]> = [
      [{ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 11 } } }, 400, /11 is not on the 0–10 scale/],
      [{ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: '9' } } }, 400, /answers\.recommend\.score: a score is a number/],
      [{ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: -1 } } }, 400, /not on the 0–10 scale/],
      [{ workspace: ws.name, survey: 'checkout', answers: [9] }, 400, /answers/],
      [{ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 9, comment: 'x'.repeat(5001) } } }, 400, /at most 5000 characters/],
      [{ workspace: ws.name, survey: 'nope', answers: {} }, 404, /no survey "nope"/],
      ['{"survey": ', 400, /not valid JSON/],
      [{ workspace: ws.name, survey: 'checkout', answers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`q${i}`, {}])) }, 400, /at most 10 answers/],
      [{ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 9, comment: 'x'.repeat(40_000) } } }, 413, /larger than 32 KB/],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      assert.equal(response.status, status, JSON.stringify(body).slice(0, 80));
      assert.match((await response.json()).message, message);
    }
    const deep = `${'['.repeat(5000)}9${']'.repeat(5000)}`;
    const nested = await post(`{"workspace": "${ws.name}", "survey": "checkout", "answers": {"recommend": {"score": ${deep}}}}`);
    assert.ok([400, 413].includes(nested.status));
    assert.equal((await post('{}', { 'content-type': 'text/plain' })).status, 400);
    assert.equal(await count(ws), 0);
  });

  test('script tags and javascript: links are stored as text; forged trusted fields are ignored', async () => {
    const ws = await setUp();
    const hostile = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>';
    const response = await post({
      workspace: ws.name,
      survey: 'checkout',
      customer_id: 'victim',
      customerId: 'victim',
      email: 'ceo@example.com',
      verified: true,
      answers: { recommend: { score: 9, comment: hostile, customer_id: 'victim' } },
    });
    assert.equal(response.status, 201);
    const [row] = await t.db.query<{ comment: string; customer_id: string | null }>('SELECT comment, customer_id FROM responses WHERE workspace_id = $1', [ws.id]);
    assert.equal(row?.comment, hostile);
    assert.equal(row?.customer_id, null);
  });

  test('a retry after a timeout with the same Idempotency-Key makes one response', async () => {
    const ws = await setUp();
    const body = { workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 7 } } };
    const first = await post(body, { 'idempotency-key': 'retry-after-timeout-1' });
    const second = await post(body, { 'idempotency-key': 'retry-after-timeout-1' });
    assert.equal(first.status, 201);
    assert.equal(second.status, 200);
    const short = await post(body, { 'idempotency-key': 'k1' });
    assert.equal(short.status, 400);
    assert.match((await short.json()).message, /16 to 200 characters/);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal((await first.json()).id, (await second.json()).id);
    assert.equal(await count(ws), 1);
  });

  test('a single-use link answers once; without its token, or with null, a personal survey refuses (409)', async () => {
    const ws = await setUp({ access: 'personal' });
    const token = signLink(await linkKey(t.db, ws.id), { survey: 'checkout', customer: 'c-1' });
    const body = { workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 9 } } };
    assert.equal((await post({ ...body, token })).status, 201);
    const twice = await post({ ...body, token });
    assert.equal(twice.status, 409);
    assert.match((await twice.json()).message, /already been used/);
    assert.equal((await post({ ...body, token: null })).status, 409);
    assert.equal((await post(body)).status, 409);
    assert.equal((await post({ ...body, token: 'garbage' })).status, 403);
    assert.equal(await count(ws), 1);
  });

  test('ballot stuffing: limits per address and per survey, keyed per workspace', async () => {
    const ws = await setUp({}, { listening: { rateLimits: { perClientPerMinute: 3, perSurveyPerMinute: 8 } } });
    const other = await setUp({}, { listening: { rateLimits: { perClientPerMinute: 3 } } });
    const body = (w: Workspace) => ({ workspace: w.name, survey: 'checkout', answers: { recommend: { score: 10 } } });
    const fromOne = [];
    // What a client writes into X-Forwarded-For before the proxy appends its address changes nothing.
    for (let i = 0; i < 5; i++) fromOne.push((await post(body(ws), {}, `10.9.9.${i}, 203.0.113.7`)).status);
    assert.deepEqual(fromOne, [201, 201, 201, 429, 429]);
    const limited = await post(body(ws), {}, '203.0.113.7');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    // The same address still answers in another workspace: one tenant cannot exhaust another's limits.
    assert.equal((await post(body(other), {}, '203.0.113.7')).status, 201);
    // From many addresses, the survey's own limit stops the flood.
    const fromMany = [];
    for (let i = 0; i < 8; i++) fromMany.push((await post(body(ws), {}, `192.0.2.${i}`)).status);
    assert.equal(fromMany.filter((s) => s === 201).length, 5);
    assert.equal(fromMany.filter((s) => s === 429).length, 3);
    assert.equal(await count(ws), 8);
  });

  test('the honeypot: a bot that fills it is thanked and nothing is stored', async () => {
    const ws = await setUp();
    const response = await post({ workspace: ws.name, survey: 'checkout', website: 'http://spam.example', answers: { recommend: { score: 10 } } });
    assert.equal(response.status, 201);
    assert.equal(await count(ws), 0);
  });

  test('the survey for the widget, in the asked language with fallback; the review feed holds consented promoters only', async () => {
    const ws = await setUp({ reviewConsent: { text: { en: 'You may publish my comment' } } });
    const survey = await (await app().request(`/api/v1/public/surveys/checkout?workspace=${ws.name}&lang=lt`)).json();
    assert.equal(survey.language, 'lt');
    assert.equal(survey.questions[0].text, 'Kaip tikėtina, kad rekomenduotumėte mus draugui?');
    assert.equal(survey.reviewConsent, 'You may publish my comment', 'falls back to the default language');
    const arabic = await (await app().request(`/api/v1/public/surveys/checkout?workspace=${ws.name}`, { headers: { 'accept-language': 'ar-EG,ar;q=0.9' } })).json();
    assert.equal(arabic.dir, 'rtl');

    const answer = (score: number, consent: boolean, comment: string) =>
      post({ workspace: ws.name, survey: 'checkout', reviewConsent: consent, answers: { recommend: { score, comment } } });
    await answer(10, true, 'Lovely <b>shop</b>');
    await answer(10, false, 'private praise');
    await answer(3, true, 'terrible');
    const feed = await (await app().request(`/api/v1/public/reviews?workspace=${ws.name}`)).json();
    assert.deepEqual(feed.reviews.map((r: { comment: string }) => r.comment), ['Lovely <b>shop</b>']);
    assert.deepEqual(Object.keys(feed.reviews[0]).sort(), ['comment', 'kind', 'language', 'scale', 'score', 'submittedAt', 'touchpoint']);
    const page = await app().request(`/api/v1/public/reviews?workspace=${ws.name}&format=html&ui=ar`);
    const html = await page.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /Lovely &lt;b&gt;shop&lt;\/b&gt;/, 'the comment is escaped');
    assert.doesNotMatch(html, /private praise|terrible/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });

  test('over a real socket: answers are read from the stream, oversized ones refused with or without a length', async () => {
    const ws = await setUp();
    const server = await startServer(t.db, { port: 0, host: '127.0.0.1', version: 'test' });
    try {
      const send = (body: BodyInit, headers: Record<string, string> = {}) =>
        fetch(`${server.url}/api/v1/public/responses`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);
      const ok = await send(JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 8, comment: 'ça va — ١٢٣' } } }));
      assert.equal(ok.status, 201);
      const [row] = await t.db.query<{ comment: string }>('SELECT comment FROM responses WHERE workspace_id = $1', [ws.id]);
      assert.equal(row?.comment, 'ça va — ١٢٣');
      const big = JSON.stringify({ workspace: ws.name, survey: 'checkout', answers: { recommend: { score: 8, comment: 'x'.repeat(100_000) } } });
      assert.equal((await send(big)).status, 413);
      const chunked = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
          controller.close();
        },
      });
      assert.equal((await send(chunked)).status, 413);
      assert.equal((await send('{"nope"')).status, 400);
    } finally {
      await server.close();
    }
    assert.equal(await count(ws), 1);
  });

  test("another workspace's responses, links, keys and reviews stay out of reach, with the same survey id", async () => {
    const a = await setUp({ access: 'personal', reviewConsent: { text: { en: 'Publish' } } });
    const b = await setUp({ reviewConsent: { text: { en: 'Publish' } } });
    const tokenOfA = signLink(await linkKey(t.db, a.id), { survey: 'checkout', customer: 'c-1' });
    const inA = await post({ workspace: a.name, survey: 'checkout', token: tokenOfA, reviewConsent: true, complete: false, answers: { recommend: { score: 10, comment: 'secret praise of A' } } }, { 'idempotency-key': 'shared-key-0123456789' });
    assert.equal(inA.status, 201);
    const { id } = await inA.json();

    const patchFromB = await app().request(`/api/v1/public/responses/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: b.name, survey: 'checkout', answers: { recommend: { comment: 'overwritten' } } }),
    });
    assert.equal(patchFromB.status, 404);
    assert.equal((await app().request(`/s/${b.name}/checkout/r/${id}`)).status, 404);
    assert.equal((await post({ workspace: b.name, survey: 'checkout', token: tokenOfA, answers: { recommend: { score: 0 } } })).status, 403, "A's link is forged in B");
    const sameKeyInB = await post({ workspace: b.name, survey: 'checkout', answers: { recommend: { score: 3 } } }, { 'idempotency-key': 'shared-key-0123456789' });
    assert.equal(sameKeyInB.status, 201, 'a key is scoped to its workspace: a new response, not a replay of A’s');
    assert.notEqual((await sameKeyInB.json()).id, id);
    const feedOfB = await (await app().request(`/api/v1/public/reviews?workspace=${b.name}`)).json();
    assert.deepEqual(feedOfB.reviews, []);
    const [row] = await t.db.query<{ comment: string }>('SELECT comment FROM responses WHERE workspace_id = $1', [a.id]);
    assert.equal(row?.comment, 'secret praise of A');
  });

  test('the rest of the API still needs the token', async () => {
    const response = await app().request('/api/v1/metrics/nps');
    assert.equal(response.status, 401);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { signLink } from '../src/listening/link-token.ts';
import { linkKey, saveSurvey } from '../src/storage/surveys.ts';
import { describeEachEngine } from './support/databases.ts';
import { checkoutSurvey } from './support/surveys.ts';

/** The link page over HTTP, as a browser without JavaScript uses it: forms, 303s, GETs. */
describeEachEngine('survey link page', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test', trustProxy: true }));
  let address = 0;
  const form = (path: string, fields: Record<string, string>) =>
    app().request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.1.0.${++address % 250}` },
      body: new URLSearchParams(fields).toString(),
    });
  const hiddenKey = (html: string) => /name="k" value="([^"]+)"/.exec(html)?.[1] ?? '';

  test('score, then the "why?" worded by the score, then thanks with the coupon; in Arabic, right to left', async () => {
    const ws = await t.workspace('page');
    await saveSurvey(t.db, ws.id, checkoutSurvey({ incentive: { kind: 'code', code: 'SAVE-1', text: { en: 'Your discount', ar: 'خصمك' } }, reviewConsent: { text: { en: 'Publish my comment', ar: 'انشر تعليقي' } } }));

    const start = await app().request(`/s/${ws.name}/checkout`, { headers: { 'accept-language': 'ar,en;q=0.5' } });
    assert.equal(start.status, 200);
    const html = await start.text();
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /<meta charset="utf-8" \/>/);
    assert.match(html, /ما مدى احتمال أن توصي بنا لصديق؟/);
    const arabic = new Intl.NumberFormat('ar');
    assert.ok(html.includes(`aria-label="${arabic.format(0)} من ${arabic.format(10)}"`), 'numbers formatted for Arabic by Intl');
    assert.match(start.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.doesNotMatch(html, /<script/i, 'the link page needs no JavaScript');

    const step1 = await form(`/s/${ws.name}/checkout?lang=ar`, { 'q.recommend.score': '9', k: hiddenKey(html), lang: 'ar' });
    assert.equal(step1.status, 303);
    const next = step1.headers.get('location')!;
    assert.match(next, new RegExp(`^/s/${ws.name}/checkout/r/[\\w-]{22}\\?lang=ar$`));
    const step2 = await (await app().request(next)).text();
    assert.match(step2, /ما الذي أعجبك أكثر؟/, 'a promoter is asked what they liked');
    assert.match(step2, /ما الذي جاء بك اليوم؟/);
    assert.match(step2, /انشر تعليقي/);

    const done = await form(next, { 'q.recommend.comment': 'سريع <script>alert(1)</script>', 'q.reason.choice': 'buy', review_consent: 'yes', lang: 'ar' });
    assert.equal(done.status, 303);
    const thanks = await (await app().request(done.headers.get('location')!)).text();
    assert.match(thanks, /شكرًا لك!/);
    assert.match(thanks, /SAVE-1/);
    assert.match(thanks, /خصمك/);

    const [row] = await t.db.query<{ score: number; comment: string; language: string }>(
      `SELECT score, comment, language FROM responses WHERE workspace_id = $1 AND question_id = 'recommend'`,
      [ws.id],
    );
    assert.deepEqual(row, { score: 9, comment: 'سريع <script>alert(1)</script>', language: 'ar' });
    // Posting the last form again (a double click) changes nothing.
    assert.equal((await form(next, { 'q.recommend.comment': 'again' })).status, 303);
    const [again] = await t.db.query<{ comment: string }>(`SELECT comment FROM responses WHERE workspace_id = $1 AND question_id = 'recommend'`, [ws.id]);
    assert.equal(again?.comment, row?.comment);
  });

  test('a double click on the first step makes one response; no score chosen re-asks with the reason', async () => {
    const ws = await t.workspace('page');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    const html = await (await app().request(`/s/${ws.name}/checkout?lang=lt`)).text();
    const key = hiddenKey(html);
    const a = await form(`/s/${ws.name}/checkout`, { 'q.recommend.score': '4', k: key, lang: 'lt' });
    const b = await form(`/s/${ws.name}/checkout`, { 'q.recommend.score': '4', k: key, lang: 'lt' });
    assert.equal(a.headers.get('location'), b.headers.get('location'));
    const [count] = await t.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM submissions WHERE workspace_id = $1', [ws.id]);
    assert.equal(count?.n, 1);

    const empty = await form(`/s/${ws.name}/checkout`, { k: 'another', lang: 'lt' });
    assert.equal(empty.status, 400);
    const page = await empty.text();
    assert.match(page, /role="alert"/);
    assert.match(page, /Pasirinkite balą nuo 0 iki 10\./);
    const offScale = await form(`/s/${ws.name}/checkout`, { 'q.recommend.score': '99', k: 'third', lang: 'lt' });
    assert.equal(offScale.status, 400);
  });

  test('a personal link: the page resumes an unfinished answer, says thanks after, and offers the opt-out', async () => {
    const ws = await t.workspace('page');
    await saveSurvey(t.db, ws.id, checkoutSurvey({ access: 'personal' }));
    const token = signLink(await linkKey(t.db, ws.id), { survey: 'checkout', customer: 'c-7', language: 'lt' });
    const open = await app().request(`/s/${ws.name}/checkout?t=${token}`);
    const html = await open.text();
    assert.match(html, /lang="lt"/, 'the language from the profile in the link');
    assert.match(html, /Daugiau nesiųskite man apklausų/);
    const step1 = await form(`/s/${ws.name}/checkout`, { 'q.recommend.score': '6', t: token, k: hiddenKey(html) });
    const resume = await app().request(`/s/${ws.name}/checkout?t=${token}`);
    assert.equal(resume.status, 303);
    assert.equal(resume.headers.get('location')?.split('?')[0], step1.headers.get('location')?.split('?')[0]);
    await form(step1.headers.get('location')!, {});
    const reopened = await app().request(`/s/${ws.name}/checkout?t=${token}`);
    assert.match(await reopened.text(), /Į šią apklausą jau atsakėte/);

    const without = await app().request(`/s/${ws.name}/checkout?lang=en`);
    assert.equal(without.status, 409);
    assert.match(await without.text(), /personal link/);
    const forged = await app().request(`/s/${ws.name}/checkout?lang=en&t=${token.slice(0, -3)}abc`);
    assert.equal(forged.status, 403);

    const other = signLink(await linkKey(t.db, ws.id), { survey: 'checkout', customer: 'c-8', validForSeconds: 60 }, Date.now() - 3_600_000);
    assert.equal((await app().request(`/s/${ws.name}/checkout?lang=en&t=${other}`)).status, 403, 'an expired link answers nothing');
    const optOut = await form(`/s/${ws.name}/checkout/opt-out?lang=en`, { t: other });
    assert.match(await optOut.text(), /We will not ask you for feedback again/, 'but it still opts its person out');
    const fresh = signLink(await linkKey(t.db, ws.id), { survey: 'checkout', customer: 'c-8' });
    const refused = await form(`/s/${ws.name}/checkout`, { 'q.recommend.score': '6', t: fresh, k: 'x1' });
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /asked us not to send you surveys/);
  });

  test("a personal link without a language speaks the customer's, from their record, before the browser's", async () => {
    const ws = await t.workspace('page');
    await saveSurvey(t.db, ws.id, checkoutSurvey({ access: 'personal' }));
    await t.db.query(`INSERT INTO customers (workspace_id, id, attributes) VALUES ($1, 'c-ar', '{"language": "ar"}')`, [ws.id]);
    const token = signLink(await linkKey(t.db, ws.id), { survey: 'checkout', customer: 'c-ar' });
    const page = await app().request(`/s/${ws.name}/checkout?t=${token}`, { headers: { 'accept-language': 'lt' } });
    assert.match(await page.text(), /<html lang="ar" dir="rtl">/);
    const chosen = await app().request(`/s/${ws.name}/checkout?t=${token}&lang=en`, { headers: { 'accept-language': 'lt' } });
    assert.match(await chosen.text(), /<html lang="en" dir="ltr">/, 'a language picked on the page wins');
  });

  test('unknown surveys and closed ones say so in the visitor’s language', async () => {
    const ws = await t.workspace('page');
    await saveSurvey(t.db, ws.id, checkoutSurvey({ status: 'closed' }));
    const missing = await app().request(`/s/${ws.name}/nope`, { headers: { 'accept-language': 'lt' } });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Šios apklausos nepavyko rasti/);
    const closed = await app().request(`/s/${ws.name}/checkout?lang=ar`);
    assert.equal(closed.status, 410);
    assert.match(await closed.text(), /هذا الاستبيان مغلق/);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/http/app.ts';
import { qrSvg } from '../src/listening/qr.ts';
import { saveSurvey } from '../src/storage/surveys.ts';
import { describeEachEngine } from './support/databases.ts';
import { checkoutSurvey } from './support/surveys.ts';

/**
 * The QR code of a survey's link page, for print. No QR decoder is available offline, so these
 * check the SVG's shape and that the code follows the address it encodes.
 */
describeEachEngine('survey QR code', (t) => {
  const svgOf = async (response: Response) => {
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/svg+xml');
    const svg = await response.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"[^>]*>[\s\S]*<\/svg>\s*$/);
    assert.match(svg, /<path [^>]*d="M[^"]+"/);
    assert.doesNotMatch(svg, /<script|on\w+=/i);
    return svg;
  };

  test('GET /s/<workspace>/<survey>/qr.svg: an SVG of the link page address, at the request origin or SADA_PUBLIC_URL', async () => {
    const ws = await t.workspace('qr');
    await saveSurvey(t.db, ws.id, checkoutSurvey());
    await saveSurvey(t.db, ws.id, checkoutSurvey({ id: 'checkout-2' }));
    const app = createApp({ db: t.db, version: 'test' });
    const path = `/s/${ws.name}/checkout/qr.svg`;
    const local = await svgOf(await app.request(`http://127.0.0.1:3000${path}`));
    assert.equal(local, await qrSvg(`http://127.0.0.1:3000/s/${ws.name}/checkout`), 'it encodes the link page, absolute');
    assert.equal(await svgOf(await app.request(`http://127.0.0.1:3000${path}`)), local, 'the same address makes the same code');
    assert.notEqual(await svgOf(await app.request(`https://cx.example.com${path}`)), local, 'another origin, another code');
    assert.notEqual(await svgOf(await app.request(`http://127.0.0.1:3000/s/${ws.name}/checkout-2/qr.svg`)), local, 'another survey, another code');

    const configured = createApp({ db: t.db, version: 'test', publicUrl: 'https://cx.example.com' });
    const behindProxy = await svgOf(await configured.request(`http://10.0.0.5:3000${path}`));
    assert.equal(behindProxy, await svgOf(await app.request(`https://cx.example.com${path}`)), 'SADA_PUBLIC_URL wins over the request origin');
  });

  test('an unknown survey is the localized 404 page; a personal survey has no shared code (409)', async () => {
    const ws = await t.workspace('qr');
    await saveSurvey(t.db, ws.id, checkoutSurvey({ id: 'personal', access: 'personal' }));
    const app = createApp({ db: t.db, version: 'test' });

    const missing = await app.request(`/s/${ws.name}/nope/qr.svg`, { headers: { 'accept-language': 'lt' } });
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await missing.text(), /Šios apklausos nepavyko rasti\./);
    const noWorkspace = await app.request('/s/no-such-workspace/checkout/qr.svg');
    assert.equal(noWorkspace.status, 404);
    assert.match(await noWorkspace.text(), /We could not find this survey\./);

    const personal = await app.request(`/s/${ws.name}/personal/qr.svg`, { headers: { 'accept-language': 'en' } });
    assert.equal(personal.status, 409);
    assert.match(personal.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await personal.text(), /personal links only, so it has no QR code to share: a printed code is the same for everyone and cannot carry one person&#39;s link\./);
    const arabic = await app.request(`/s/${ws.name}/personal/qr.svg?lang=ar`);
    assert.equal(arabic.status, 409);
    assert.match(await arabic.text(), /<html lang="ar" dir="rtl">[\s\S]*رمز QR/);
  });
});

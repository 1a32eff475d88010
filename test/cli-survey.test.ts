import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { readConfig } from '../src/config.ts';
import { identityHmac, verifiedIdentity } from '../src/listening/identity.ts';
import { verifyLink } from '../src/listening/link-token.ts';
import { qrSvg } from '../src/listening/qr.ts';
import { openDatabase } from '../src/storage/open.ts';
import { identitySecret, linkKey } from '../src/storage/surveys.ts';
import { findWorkspace } from '../src/storage/workspaces.ts';
import { sada } from './support/cli.ts';

/** `sada survey …` as a user runs it, on the embedded database. */
describe('sada survey', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sada-cli-survey-test-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { SADA_DATA_DIR: dataDir, SADA_DATABASE_URL: '', SADA_WORKSPACE: '', SADA_PUBLIC_URL: '' };
  const checkout = fileURLToPath(new URL('../examples/surveys/checkout.json', import.meta.url));
  const ok = async (args: string[]) => {
    const result = await sada(args, env);
    assert.equal(result.code, 0, `sada ${args.join(' ')}: ${result.stderr}`);
    return result;
  };

  test('create from a file, list, link, coupons, close and open', async () => {
    const created = await ok(['survey', 'create', checkout, '--workspace', 'shop']);
    assert.match(created.stdout, /^created survey "checkout-nps" \(After checkout\) in workspace "shop"$/m);
    assert.match(created.stdout, /^link page: \/s\/shop\/checkout-nps$/m);
    const again = await ok(['survey', 'create', checkout, '-w', 'shop']);
    assert.match(again.stdout, /^updated survey "checkout-nps"/m);

    const list = await ok(['survey', 'list', '-w', 'shop']);
    assert.match(list.stdout, /^id +name +touchpoint +status +completed$/m);
    assert.match(list.stdout, /^checkout-nps +After checkout +checkout +open +0$/m);

    const link = await ok(['survey', 'link', 'checkout-nps', '-w', 'shop', '--customer', 'C-17', '--order', 'O-9', '--language', 'ar', '--days', '3', '--base-url', 'https://cx.example.com/']);
    const url = new URL(link.stdout.trim());
    assert.equal(`${url.origin}${url.pathname}`, 'https://cx.example.com/s/shop/checkout-nps');
    const token = url.searchParams.get('t')!;
    const opened = await openDatabase(readConfig(env), 'test');
    try {
      const workspace = (await findWorkspace(opened.db, 'shop'))!;
      const key = await linkKey(opened.db, workspace.id);
      const check = verifyLink(key, token, 'checkout-nps');
      assert.ok(check.ok, JSON.stringify(check));
      assert.equal(check.claims.c, 'C-17');
      assert.equal(check.claims.o, 'O-9');
      assert.equal(check.claims.l, 'ar');
      const days = (check.claims.x! * 1000 - Date.now()) / 86_400_000;
      assert.ok(days > 2.99 && days <= 3, `valid for ${days} days`);
      assert.equal(verifyLink(key, token, 'another-survey').ok, false, 'a link opens its own survey only');
    } finally {
      await opened.close();
    }
    const plain = await ok(['survey', 'link', 'checkout-nps', '-w', 'shop', '--customer', 'C-18']);
    assert.match(plain.stdout.trim(), /^http:\/\/127\.0\.0\.1:3000\/s\/shop\/checkout-nps\?t=[\w-]+\.[\w-]+$/);

    const codes = join(dataDir, 'codes.txt');
    writeFileSync(codes, 'SAVE-1\r\nSAVE-2\n\n  SAVE-3  \nSAVE-2\n');
    const loaded = await ok(['survey', 'coupons', 'checkout-nps', codes, '-w', 'shop']);
    assert.match(loaded.stdout, /^3 new codes in the pool of survey "checkout-nps" \(4 read, 1 already there or repeated\)$/m);
    writeFileSync(codes, 'SAVE-3\nSAVE-4\n');
    const more = await ok(['survey', 'coupons', 'checkout-nps', codes, '-w', 'shop']);
    assert.match(more.stdout, /^1 new code in the pool/m);
    assert.match(more.stdout, /pool: 4 of 4 codes not handed out yet/);

    const closed = await ok(['survey', 'close', 'checkout-nps', '-w', 'shop']);
    assert.match(closed.stdout, /survey "checkout-nps" is closed/);
    assert.match((await ok(['survey', 'list', '-w', 'shop'])).stdout, /^checkout-nps +After checkout +checkout +closed +0$/m);
    const warned = await ok(['survey', 'link', 'checkout-nps', '-w', 'shop', '--customer', 'C-19']);
    assert.match(warned.stderr, /survey "checkout-nps" is closed/);
    assert.match((await ok(['survey', 'open', 'checkout-nps', '-w', 'shop'])).stdout, /is open/);
  });

  test('an invalid document is refused with every problem and its path, and nothing is saved', async () => {
    const file = join(dataDir, 'bad-survey.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'pulse',
        name: 'Pulse',
        touchpoint: 'support',
        defaultLanguage: 'en',
        languages: ['en', 'lt'],
        questions: [
          { id: 'csat', kind: 'csat', scale: { min: 0, max: 10 }, text: { lt: 'Kiek esate patenkinti?' } },
          { id: 'esat', kind: 'esat', text: { en: 'How satisfied are you with your work?' } },
        ],
      }),
    );
    const result = await sada(['survey', 'create', file, '-w', 'shop'], env);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      [
        `sada: ${file} is not a valid survey (3 problems; see docs/surveys.md):`,
        '  - questions.0.scale: a csat scale is 1-5 or 1-10, not 0-10',
        '  - questions.1.kind: esat questions are for employees: set "audience": "employees"',
        '  - questions.0.text: give this text in the default language "en"',
        '',
      ].join('\n'),
    );

    writeFileSync(file, '{\n  "id": "pulse",\n  "name": "Pulse"\n  "touchpoint": "support"\n}\n');
    const broken = await sada(['survey', 'create', file, '-w', 'shop'], env);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /is not JSON: Expected ',' or '}' after property value \(line 4, column 3\)/);

    const unknown = await sada(['survey', 'link', 'pulse', '-w', 'shop'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^sada: there is no survey "pulse" in workspace "shop"\. Its surveys: checkout-nps$/m);
    const noWorkspace = await sada(['survey', 'list', '-w', 'nowhere'], env);
    assert.match(noWorkspace.stderr, /there is no workspace "nowhere"/);
  });

  test('link --qr writes the printed link as an SVG QR code; identity-secret prints the widget secret', async () => {
    await ok(['survey', 'create', checkout, '--workspace', 'qr-shop']);
    const file = join(dataDir, 'link.svg');
    const link = await ok(['survey', 'link', 'checkout-nps', '-w', 'qr-shop', '--customer', 'C-3', '--qr', file, '--base-url', 'https://cx.example.com']);
    const url = link.stdout.trim();
    assert.match(url, /^https:\/\/cx\.example\.com\/s\/qr-shop\/checkout-nps\?t=[\w-]+\.[\w-]+$/, 'stdout is still the link alone');
    assert.match(link.stderr, new RegExp(`QR code of the link written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const svg = readFileSync(file, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<path [^>]*d="M[\s\S]*<\/svg>\s*$/);
    assert.equal(svg, await qrSvg(url), 'the code of the very link printed (each link has its own nonce)');

    const wrong = await sada(['survey', 'link', 'checkout-nps', '-w', 'qr-shop', '--customer', 'C-3', '--qr', join(dataDir, 'link.png')], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /--qr writes an SVG image: give a file name ending in \.svg/);
    assert.equal(existsSync(join(dataDir, 'link.png')), false);

    const publicUrl = await sada(['survey', 'link', 'checkout-nps', '-w', 'qr-shop', '--customer', 'C-4'], { ...env, SADA_PUBLIC_URL: 'https://example.com/cx/' });
    assert.equal(publicUrl.code, 0, publicUrl.stderr);
    assert.match(publicUrl.stdout.trim(), /^https:\/\/example\.com\/cx\/s\/qr-shop\/checkout-nps\?t=/, 'SADA_PUBLIC_URL is the default base');

    const printed = await ok(['survey', 'identity-secret', '-w', 'qr-shop']);
    const secret = printed.stdout.trim();
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.match(printed.stderr, /HMAC-SHA256\(secret, userId\) in hex and the page calls sada\.identify\(userId, hmac\)/);
    assert.equal((await ok(['survey', 'identity-secret', '-w', 'qr-shop'])).stdout.trim(), secret, 'made once, then the same');
    const opened = await openDatabase(readConfig(env), 'test');
    try {
      const workspace = (await findWorkspace(opened.db, 'qr-shop'))!;
      const stored = await identitySecret(opened.db, workspace.id);
      assert.equal(stored.toString('hex'), secret);
      assert.notEqual((await linkKey(opened.db, workspace.id)).toString('hex'), secret, 'not the link key');
      assert.equal(verifiedIdentity(stored, { id: 'C-3', hmac: identityHmac(Buffer.from(secret, 'hex'), 'C-3') }), 'C-3');
    } finally {
      await opened.close();
    }
    const nowhere = await sada(['survey', 'identity-secret', '-w', 'nowhere'], env);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /there is no workspace "nowhere"/);
  });
});

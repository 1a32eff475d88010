import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sada, SADA_BIN } from './support/cli.ts';

/** `sada serve` on a free port, with everything it prints. */
function serve(env: NodeJS.ProcessEnv): Promise<{ url: string; output: () => string; stop(): Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SADA_BIN, 'serve', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`sada serve did not start: ${output}`)), 60_000);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              child.once('close', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('close', (code) => reject(new Error(`sada serve exited with ${code}: ${output}`)));
  });
}

async function until<T>(what: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const signIn = (url: string, email: string, password: string) =>
  fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

describe('accounts on the command line and at first run', () => {
  test('a fresh server prints a one-time setup link; it creates the first admin; a restart with an account prints none', async () => {
    const env = { SADA_DATA_DIR: mkdtempSync(join(tmpdir(), 'sada-setup-test-')), SADA_DATABASE_URL: '', SADA_API_TOKEN: '', SADA_WORKSPACE: 'acme' };
    const server = await serve(env);
    try {
      const link = await until(() => /create the first admin at (http:\/\/\S+\/setup\?token=\S+)/i.exec(server.output())?.[1]);
      assert.ok(link.startsWith(server.url));
      assert.match(server.output(), /or run: sada user create --email you@example\.com --workspace acme --role admin/);
      const page = await fetch(link);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Set up Sada/);
      const token = new URL(link).searchParams.get('token')!;
      const form = new URLSearchParams({ token, name: 'Rūta', email: 'ruta@example.com', password: 'a long enough password', workspace: 'acme' });
      const done = await fetch(`${server.url}/setup`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: server.url } });
      assert.equal(done.status, 303);
      const cookie = /sada_session=[^;]+/.exec(done.headers.get('set-cookie') ?? '')?.[0];
      assert.ok(cookie);
      const me = await (await fetch(`${server.url}/api/v1/me`, { headers: { cookie } })).json();
      assert.deepEqual(me.workspaces, [{ name: 'acme', timezone: 'UTC', role: 'admin' }]);
      assert.equal((await fetch(`${server.url}/setup`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: server.url } })).status, 404, 'the link works once');
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const again = await serve(env);
    try {
      await new Promise((r) => setTimeout(r, 500));
      assert.doesNotMatch(again.output(), /setup\?token=/);
      assert.equal((await signIn(again.url, 'RUTA@example.com', 'a long enough password')).status, 200);
    } finally {
      await again.stop();
    }
  });

  test('sada user create / list / password, and sada demo makes a demo admin whose password it prints', async () => {
    const env = { SADA_DATA_DIR: mkdtempSync(join(tmpdir(), 'sada-user-test-')), SADA_DATABASE_URL: '' };
    const created = await sada(['user', 'create', '--email', 'lina@example.com', '--name', 'Lina', '--workspace', 'acme', '--role', 'admin'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created lina@example\.com, admin in workspace "acme"/);
    const password = /Password: (\S+)/.exec(created.stdout)?.[1];
    assert.ok(password && password.length >= 16);

    const weak = await sada(['user', 'create', '--email', 'ona@example.com', '--password', 'short', '--workspace', 'acme', '--role', 'viewer'], env);
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /at least 10 characters/);
    const badRole = await sada(['user', 'create', '--email', 'ona@example.com', '--workspace', 'acme', '--role', 'owner'], env);
    assert.notEqual(badRole.code, 0);
    assert.match(badRole.stderr, /Allowed choices are viewer, analyst, admin/);
    const ona = await sada(['user', 'create', '--email', 'ona@example.com', '--password', 'ona has a long password', '--workspace', 'acme', '--role', 'viewer'], env);
    assert.equal(ona.code, 0, ona.stderr);
    assert.doesNotMatch(ona.stdout, /Password:/);
    const other = await sada(['user', 'create', '--email', 'ONA@example.com', '--workspace', 'beta', '--role', 'analyst'], env);
    assert.match(other.stdout, /ona@example\.com \(an existing account\) is now analyst in workspace "beta"/);
    const promoted = await sada(['user', 'create', '--email', 'ona@example.com', '--workspace', 'beta', '--role', 'admin'], env);
    assert.match(promoted.stdout, /is now admin in workspace "beta" \(was analyst\)/);
    const list = await sada(['user', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^acme\tadmin\tlina@example\.com\tLina$/m);
    assert.match(list.stdout, /^acme\tviewer\tona@example\.com$/m);
    assert.match(list.stdout, /^beta\tadmin\tona@example\.com$/m);
    const reset = await sada(['user', 'password', '--email', 'ona@example.com', '--password', 'a new long password'], env);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /signed out/);
    const nobody = await sada(['user', 'password', '--email', 'nobody@example.com'], env);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /no account for nobody@example\.com/);

    const demo = await sada(['demo', '--responses', '300', '--months', '3', '--end-month', '2025-06'], env);
    assert.equal(demo.code, 0, demo.stderr);
    const demoPassword = /as demo@sada\.local, password (\S+) /.exec(demo.stdout)?.[1];
    assert.ok(demoPassword, demo.stdout);

    const server = await serve(env);
    try {
      assert.equal((await signIn(server.url, 'lina@example.com', password)).status, 200);
      assert.equal((await signIn(server.url, 'ona@example.com', 'ona has a long password')).status, 401);
      assert.equal((await signIn(server.url, 'ona@example.com', 'a new long password')).status, 200);
      const demoSession = await signIn(server.url, 'demo@sada.local', demoPassword);
      assert.equal(demoSession.status, 200);
      assert.deepEqual((await demoSession.json()).workspaces, [{ name: 'demo', role: 'admin' }]);
    } finally {
      await server.stop();
    }
  });
});

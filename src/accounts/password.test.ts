import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, needsRehash, passwordProblem, verifyDummyPassword, verifyPassword } from './password.ts';

describe('password hashing', () => {
  test('argon2id with OWASP parameters in a PHC string, salted, verified', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.notEqual(await hashPassword('correct horse battery staple'), hash, 'a new salt every time');
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapl', hash), false);
    assert.equal(await verifyPassword('', hash), false);
    assert.equal(needsRehash(hash), false);
  });

  test('a hash keeps its own parameters: older, weaker ones still verify and ask for a rehash', async () => {
    const weak = await hashPassword('pässwörd-ünïcode', { memorySize: 1024, iterations: 1, parallelism: 1 });
    assert.match(weak, /m=1024,t=1,p=1/);
    assert.equal(await verifyPassword('pässwörd-ünïcode', weak), true);
    assert.equal(await verifyPassword('pässwörd-ünïcode'.normalize('NFD'), weak), true, 'the same text in another Unicode form');
    assert.equal(needsRehash(weak), true);
  });

  test('anything that is not an argon2id PHC string verifies as false (no throw, no huge allocation)', async () => {
    for (const bad of ['', 'plain', '$2b$10$abcdefghijklmnopqrstuv', '$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA', '$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g']) {
      assert.equal(await verifyPassword('x', bad), false, bad);
    }
    assert.equal(await verifyDummyPassword('anything'), false);
  });

  test('new passwords: at least 10 characters, at most 256', () => {
    assert.match(passwordProblem('short')!, /at least 10/);
    assert.equal(passwordProblem('long enough!'), undefined);
    assert.match(passwordProblem('x'.repeat(257))!, /at most 256/);
  });
});

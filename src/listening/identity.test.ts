import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { identityHmac, verifiedIdentity } from './identity.ts';

describe('widget identity HMAC', () => {
  const secret = Buffer.alloc(32, 7);
  const other = Buffer.alloc(32, 8);

  test('is the hex HMAC-SHA256 of the user id, as a business computes it', () => {
    assert.equal(identityHmac(secret, 'c-42'), createHmac('sha256', secret).update('c-42').digest('hex'));
    assert.equal(identityHmac(secret, 'عميل-٤٢'), createHmac('sha256', secret).update(Buffer.from('عميل-٤٢', 'utf8')).digest('hex'));
  });

  test('gives the id only for its own HMAC under the same secret', () => {
    const hmac = identityHmac(secret, 'c-42');
    assert.equal(verifiedIdentity(secret, { id: 'c-42', hmac }), 'c-42');
    assert.equal(verifiedIdentity(secret, { id: 'c-42', hmac: hmac.toUpperCase() }), 'c-42', 'hex in either case');
    assert.equal(verifiedIdentity(other, { id: 'c-42', hmac }), undefined, 'another secret');
    assert.equal(verifiedIdentity(secret, { id: 'c-43', hmac }), undefined, 'another id');
    assert.equal(verifiedIdentity(secret, { id: 'c-42 ', hmac }), undefined, 'the id is signed exactly, not trimmed');
    assert.equal(verifiedIdentity(secret, undefined), undefined);
  });

  test('an HMAC keyed with the printed hex text (not decoded) is accepted too; a key of other text is not', () => {
    const keyedWithText = createHmac('sha256', secret.toString('hex')).update('c-42').digest('hex');
    assert.equal(verifiedIdentity(secret, { id: 'c-42', hmac: keyedWithText }), 'c-42');
    const keyedWithBase64 = createHmac('sha256', secret.toString('base64')).update('c-42').digest('hex');
    assert.equal(verifiedIdentity(secret, { id: 'c-42', hmac: keyedWithBase64 }), undefined);
    assert.equal(verifiedIdentity(other, { id: 'c-42', hmac: keyedWithText }), undefined);
  });

  test('malformed HMACs and ids are not verified, never thrown', () => {
    const hmac = identityHmac(secret, 'c-42');
    for (const bad of ['', 'not-a-valid-signature', hmac.slice(0, 63), `${hmac}00`, `${hmac.slice(0, 62)}zz`, Buffer.from(hmac, 'hex').toString('base64')]) {
      assert.equal(verifiedIdentity(secret, { id: 'c-42', hmac: bad }), undefined, bad);
    }
    assert.equal(verifiedIdentity(secret, { id: '', hmac: identityHmac(secret, '') }), undefined, 'an empty id names nobody');
    const long = 'x'.repeat(201);
    assert.equal(verifiedIdentity(secret, { id: long, hmac: identityHmac(secret, long) }), undefined, 'ids are at most 200 characters');
  });
});

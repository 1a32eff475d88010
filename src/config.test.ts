import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readConfig } from './config.ts';

test('SADA_SMTP_URL must be an smtp:// or smtps:// URL; the message never echoes a password', () => {
  const config = readConfig({ SADA_SMTP_URL: 'smtp://user:secret@mail.example.com:587', SADA_MAIL_FROM: 'Acme <cx@acme.example>' });
  assert.equal(config.smtpUrl, 'smtp://user:secret@mail.example.com:587');
  assert.equal(config.mailFrom, 'Acme <cx@acme.example>');
  assert.equal(readConfig({}).smtpUrl, undefined);
  assert.throws(() => readConfig({ SADA_SMTP_URL: 'https://mail.example.com' }), (e: Error) => e instanceof ConfigError && /must start with smtp:\/\/ or smtps:\/\//.test(e.message));
  assert.throws(() => readConfig({ SADA_SMTP_URL: 'user:secret@mail' }), (e: Error) => e instanceof ConfigError && !e.message.includes('secret'));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createApp } from '../src/http/app.ts';
import { openApiDocument } from '../src/http/openapi.ts';
import { openTestPGlite } from './support/databases.ts';

/**
 * GET /api/docs against the official OpenAPI 3.0 JSON Schema, by an independent validator
 * (@seriousme/openapi-schema-validator). test/security/api-matrix.test.ts checks that the document
 * lists exactly the /api routes the app serves, and calls every one of them.
 */
test('the OpenAPI document served at /api/docs is valid OpenAPI 3.0', async () => {
  const db = await openTestPGlite();
  try {
    const response = await createApp({ db, version: 'test' }).request('/api/docs');
    assert.equal(response.status, 200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>> };
    const result = await new Validator().validate(doc);
    assert.deepEqual(result.errors ?? [], [], 'schema errors');
    assert.equal(result.valid, true);
    assert.equal(doc.openapi, '3.0.3');
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) assert.ok(op.summary, `${method} ${path} says what it does`);
    }
  } finally {
    await db.close();
  }
});

test('the validator is not a rubber stamp: a broken document is refused', async () => {
  const doc = openApiDocument('test') as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const [path] = Object.keys(doc.paths);
  const broken = structuredClone(doc);
  for (const op of Object.values(broken.paths[path!]!)) delete op.responses;
  assert.equal((await new Validator().validate(broken)).valid, false, 'an operation without responses');
  const badParameter = structuredClone(doc);
  (Object.values(badParameter.paths[path!]!)[0]! as { parameters: unknown[] }).parameters = [{ name: 'x', in: 'body-of-lies' }];
  assert.equal((await new Validator().validate(badParameter)).valid, false, 'a parameter in a place OpenAPI does not know');
});

test('API routes read the query string only through parseQuery, so the document lists every parameter they read', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../src/http/routes/', import.meta.url);
  // Not the JSON API: HTML pages (sign-in, survey pages, short links), and the incoming webhooks,
  // whose tools put their own signature fields in the query (each preset reads what its tool sends).
  const notTheApi = new Set(['login.ts', 'survey-pages.ts', 'short-links.ts', 'dashboard.ts', 'hooks.ts']);
  const readers: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !notTheApi.has(f))) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const [index, line] of source.split('\n').entries()) if (/c\.req\.quer(y|ies)\(/.test(line)) readers.push(`${file}:${index + 1}: ${line.trim()}`);
  }
  assert.deepEqual(readers, []);
});

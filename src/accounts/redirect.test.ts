import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { safeNextPath } from './redirect.ts';

describe('the redirect after sign-in', () => {
  test('a path on this site is kept, with its query and fragment', () => {
    assert.equal(safeNextPath('/'), '/');
    assert.equal(safeNextPath('/overview?workspace=acme&lang=ar'), '/overview?workspace=acme&lang=ar');
    assert.equal(safeNextPath('/surveys#top'), '/surveys#top');
    assert.equal(safeNextPath('/a/../b'), '/b');
  });

  test('anything that could leave the site goes to /', () => {
    for (const next of [
      undefined,
      '',
      '//evil.example',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      ' //evil.example',
      '/%09/evil.example'.replace('%09', '\t'),
      'https://evil.example',
      'http:evil.example',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,hi',
      'evil.example',
      '///evil.example',
      '/\n/evil.example',
      `/${'a'.repeat(3000)}`,
    ]) {
      assert.equal(safeNextPath(next), '/', JSON.stringify(next));
    }
  });
});

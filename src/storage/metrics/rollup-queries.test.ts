import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseNumberList } from './rollup-queries.ts';

test('number lists as PostgreSQL writes them: whole numbers fast, anything else through Number()', () => {
  assert.deepEqual(parseNumberList(''), []);
  assert.deepEqual(parseNumberList('0'), [0]);
  assert.deepEqual(parseNumberList('12,-3,4500'), [12, -3, 4500]);
  assert.deepEqual(parseNumberList('1.5,2'), [1.5, 2]);
  assert.deepEqual(parseNumberList('1e+16,7'), [1e16, 7]);
  assert.deepEqual(parseNumberList('12345678901234567,1'), [12345678901234567, 1]);
  fc.assert(fc.property(fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))), (values) => {
    const expected = values.map((v) => Number(String(v)));
    assert.deepEqual(parseNumberList(values.map(String).join(',')), expected.map((v) => (Object.is(v, -0) ? -0 : v)));
  }));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, csvLine } from './csv.ts';

test('cells that a spreadsheet would run as a formula get a leading apostrophe', () => {
  for (const hostile of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil.example","x")']) {
    const cell = csvCell(hostile);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    assert.equal(unquoted, `'${hostile}`, JSON.stringify(hostile));
  }
  assert.equal(csvCell('fine'), 'fine');
  assert.equal(csvCell('a=b'), 'a=b', 'only the first character matters');
});

test('numbers stay numbers, nulls are empty, quotes and line breaks are quoted', () => {
  assert.equal(csvCell(-3), '-3');
  assert.equal(csvCell(Number.NaN), '');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell(true), 'true');
  assert.equal(csvCell('say "hi", now'), '"say ""hi"", now"');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04:05.000Z');
  assert.equal(csvLine(['a', 1, null, '=x']), "a,1,,'=x\r\n");
});

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { openSource } from './index.ts';
import type { SourceItem } from './source-row.ts';
import type { FileFormat } from '../mapping.ts';

async function read(text: string, format: FileFormat, allowRaggedRows = false) {
  const source = await openSource(Readable.from([Buffer.from(text)]), format, { allowRaggedRows });
  const items: SourceItem[] = [];
  for await (const item of source.items) items.push(item);
  return { header: source.header, items, warnings: source.warnings };
}

describe('file readers', () => {
  test('CSV: quoted line breaks keep the starting line; broken and empty rows become problems', async () => {
    const { header, items } = await read('a,b\n1,"x\ny"\n\n3,4\n5,6,7\n8,"bad"x\n9,10\n', 'csv');
    assert.deepEqual(header, ['a', 'b']);
    const summary = items.map((i) => (i.kind === 'row' ? [i.line, 'row', i.cells.a] : [i.line, 'problem', i.reason.slice(0, 20)]));
    assert.deepEqual(summary.slice(0, 4), [
      [2, 'row', '1'],
      [4, 'problem', 'empty row'],
      [5, 'row', '3'],
      [6, 'problem', 'row has 3 fields but'],
    ]);
    assert.ok(items.some((i) => i.kind === 'problem' && i.line === 7 && /unreadable row/.test(i.reason)), 'a stray quote is reported, not fatal');
    const lines = items.map((i) => i.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b), 'items come in file order');
  });

  test('CSV: ragged rows are matched by position only when allowed, with one warning', async () => {
    const { items, warnings } = await read('a,b,c\n1,2\n3,4\n', 'csv', true);
    assert.deepEqual(items.map((i) => i.kind === 'row' && i.cells), [{ a: '1', b: '2', c: undefined }, { a: '3', b: '4', c: undefined }]);
    assert.deepEqual(warnings, ['2 row(s) have 2 fields but the header has 3; they were matched to columns by position (raggedRows: allow)']);
  });

  test('CSV: relaxed quotes keep stray quotes as text (a header written by a tool that does not escape them)', async () => {
    const text = 'a,b "x",c\n1,2 "y",3\n4,""z,5\n';
    const strict = await read(text, 'csv');
    assert.ok(strict.items.some((i) => i.kind === 'problem'), 'strict by default');
    const source = await openSource(Readable.from([Buffer.from(text)]), 'csv', { allowRaggedRows: false, relaxQuotes: true });
    const items: SourceItem[] = [];
    for await (const item of source.items) items.push(item);
    assert.deepEqual(source.header, ['a', 'b "x"', 'c']);
    assert.deepEqual(items.map((i) => i.kind === 'row' && i.cells), [
      { a: '1', 'b "x"': '2 "y"', c: '3' },
      { a: '4', 'b "x"': '""z', c: '5' },
    ]);
  });

  test('TSV and whitespace-separated columns', async () => {
    const tsv = await read('x\ty\n1\t2\n', 'tsv');
    assert.deepEqual(tsv.items[0], { kind: 'row', line: 2, cells: { x: '1', y: '2' } });
    const ws = await read(' customer_id  date\n 00001 19970101\n\n', 'whitespace');
    assert.deepEqual(ws.items[0], { kind: 'row', line: 2, cells: { customer_id: '00001', date: '19970101' } });
    assert.equal(ws.items[1]?.kind === 'problem' && ws.items[1].reason, 'empty row');
  });

  test('JSON array and NDJSON', async () => {
    const array = await read('[{"id": 1}, 2, {"id": 3}]', 'json');
    assert.deepEqual(array.items.map((i) => [i.kind, i.line]), [['row', 1], ['problem', 2], ['row', 3]]);
    const nd = await read('{"id": 1}\n\n{broken\n{"id": 2}\n', 'ndjson');
    assert.deepEqual(nd.items.map((i) => [i.kind, i.line]), [['row', 1], ['problem', 3], ['row', 4]]);
    const notArray = await read('{"tickets": []}', 'json');
    assert.equal(notArray.items[0]?.kind, 'problem');
  });
  test('JSON records at a path inside a document: an array streamed, a single object as one record', async () => {
    const at = async (text: string, jsonPath: string) => {
      const source = await openSource(Readable.from([Buffer.from(text)]), 'json', { allowRaggedRows: false, jsonPath });
      const items: SourceItem[] = [];
      for await (const item of source.items) items.push(item);
      return items.map((i) => (i.kind === 'row' ? [i.line, i.cells] : [i.line, i.reason]));
    };
    const doc = '{"meta": {"tickets": 9}, "data": {"payload": [{"id": 1}, 7, {"id": 3, "tags": ["a"]}]}, "tickets": [{"id": "x"}]}';
    assert.deepEqual(await at(doc, 'data.payload'), [[1, { id: 1 }], [2, 'expected a JSON object'], [3, { id: 3, tags: ['a'] }]]);
    assert.deepEqual(await at(doc, 'tickets'), [[1, { id: 'x' }]], 'the first "tickets" at that exact path, not meta.tickets');
    assert.deepEqual(await at('{"hook": {"rating": "Great", "customer": {"id": 4}}}', 'hook'), [[1, { rating: 'Great', customer: { id: 4 } }]]);
    assert.deepEqual(await at(doc, 'nothing'), [[0, 'the file has no records at "nothing"']]);
    assert.deepEqual(await at(doc, 'meta.tickets'), [[0, '"meta.tickets" in this file is not an array of records or a record']]);
    const broken = await at('{"tickets": [{"id": 1}, {"id": ', 'tickets');
    assert.match(String(broken.at(-1)?.[1]), /not valid JSON: .*the rest of the file was not read/);
  });
});

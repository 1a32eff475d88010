import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { formatPath } from '../../test/support/formats.ts';
import { sampleFile, sampleStream } from './sniff.ts';

const text = (s: string) => Readable.from([Buffer.from(s)]);

describe('file samples', () => {
  test('JSON: the first record of each array near the top, and the plain members of each object, by dotted path', async () => {
    const sample = await sampleStream(text('{"meta": {"count": 2, "next": null}, "data": {"payload": [{"id": 1, "tags": ["a"]}, {"id": 2}]}, "rows": [[1]]}'), 'json');
    assert.equal(sample.format, 'json');
    assert.deepEqual('candidates' in sample && sample.candidates, [
      { path: 'meta', record: { count: 2, next: null }, container: 'object' },
      { path: 'data.payload', record: { id: 1, tags: ['a'] }, container: 'array' },
      { path: 'data', record: { payload: [] }, container: 'object' },
      { path: '', record: { meta: {}, data: {}, rows: [] }, container: 'object' },
    ]);
  });

  test('a real export: its records are found, and a file cut at the sample size still gives its first record', async () => {
    const full = await sampleFile(formatPath('zendesk-tickets-incremental.json'), 'json');
    const tickets = 'candidates' in full ? full.candidates.find((c) => c.path === 'tickets') : undefined;
    assert.equal(tickets?.record.id, 145);
    const cut = await sampleFile(formatPath('zendesk-tickets-incremental.json'), 'json', 3000);
    assert.deepEqual('candidates' in cut && cut.candidates.map((c) => c.path), ['tickets']);
  });

  test('CSV header, NDJSON first line, and files that are not what they claim', async () => {
    assert.deepEqual(await sampleFile(formatPath('chatwoot-csat-export.csv'), 'csv'), {
      format: 'csv',
      header: ['Agent Name', 'Rating', 'Feedback Comment', 'Contact Name', 'Contact Email Address', 'Contact Phone Number', 'Link to the conversation', 'Recorded date'],
    });
    assert.deepEqual(await sampleStream(text('\n{"id": 1}\n{"id": 2}\n'), 'ndjson'), { format: 'ndjson', candidates: [{ path: '', record: { id: 1 }, container: 'line' }] });
    assert.deepEqual(await sampleStream(text('not json'), 'json'), { format: 'json', candidates: [] });
    assert.deepEqual(await sampleStream(text('[1, 2]'), 'ndjson'), { format: 'ndjson', candidates: [] });
    await assert.rejects(sampleFile('/no/such/file.json', 'json'), /ENOENT/);
    for (const format of ['json', 'ndjson', 'csv'] as const) {
      const sample = await sampleFile(tmpdir(), format);
      assert.deepEqual('candidates' in sample ? sample.candidates : 'header' in sample ? sample.header : undefined, [], `a folder as ${format}`);
    }
  });
});

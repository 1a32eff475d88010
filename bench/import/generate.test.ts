import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSource } from '../../src/import/readers/index.ts';
import { createRowMapper } from '../../src/import/row-mapper.ts';
import { BENCH_MAPPINGS, generateCsv, type BenchKind } from './generate.ts';

/**
 * The import bench runs for many minutes before it would notice that its generated rows no
 * longer pass the row mapper: check it here in a second, for both kinds.
 */
const dir = mkdtempSync(join(tmpdir(), 'sada-bench-generate-'));

for (const kind of ['tickets', 'responses'] as BenchKind[]) {
  test(`generated ${kind} are the same for the same seed, and every row maps without a problem`, async () => {
    const a = join(dir, `${kind}-a.csv`);
    const b = join(dir, `${kind}-b.csv`);
    const bytes = await generateCsv(kind, a, 3000, 7);
    await generateCsv(kind, b, 3000, 7);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    assert.equal(bytes, readFileSync(a).length);

    const mapping = BENCH_MAPPINGS[kind];
    const source = await openSource(createReadStream(a), 'csv', { allowRaggedRows: false });
    const mapper = createRowMapper(kind, mapping, source.header, { zone: mapping.timezone ?? 'UTC', dateFormat: 'auto' });
    let rows = 0;
    const ids = new Set<string>();
    for await (const item of source.items) {
      assert.equal(item.kind, 'row', JSON.stringify(item));
      if (item.kind !== 'row') continue;
      const mapped = mapper.map(item);
      assert.ok(mapped.ok, JSON.stringify(!mapped.ok && mapped.problems));
      ids.add(mapped.record.id as string);
      rows++;
    }
    assert.equal(rows, 3000);
    assert.equal(ids.size, 3000, 'ids are unique, so an import inserts every row');
  });
}

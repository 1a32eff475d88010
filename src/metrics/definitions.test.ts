import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { METRIC_NAMES, METRICS } from './definitions.ts';

test('every metric has exactly one written definition in docs/metrics.md', () => {
  const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  const headings = [...doc.matchAll(/^### (\S+)$/gm)].map((m) => m[1]);
  assert.deepEqual([...headings].sort(), [...METRIC_NAMES].sort());
  for (const name of METRIC_NAMES) {
    assert.equal(METRICS[name].name, name);
    assert.ok(METRICS[name].definition.length > 40, `${name} has a definition sentence`);
  }
});

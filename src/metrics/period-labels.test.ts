import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePeriodLabel } from './period-labels.ts';

test('period labels read back into their first and last day', () => {
  assert.deepEqual(parsePeriodLabel('2026-10'), { label: '2026-10', period: 'month', first: '2026-10-01', last: '2026-10-31' });
  assert.deepEqual(parsePeriodLabel('2024-02'), { label: '2024-02', period: 'month', first: '2024-02-01', last: '2024-02-29' });
  assert.deepEqual(parsePeriodLabel('2026-Q4'), { label: '2026-Q4', period: 'quarter', first: '2026-10-01', last: '2026-12-31' });
  assert.deepEqual(parsePeriodLabel('2026-W01'), { label: '2026-W01', period: 'week', first: '2025-12-29', last: '2026-01-04' });
  assert.deepEqual(parsePeriodLabel('2026-10-05'), { label: '2026-10-05', period: 'day', first: '2026-10-05', last: '2026-10-05' });
  assert.deepEqual(parsePeriodLabel('2025'), { label: '2025', period: 'year', first: '2025-01-01', last: '2025-12-31' });
  for (const bad of ['2026-13', '2026-Q5', 'October', '26-10', '2026-W60', '']) assert.equal(parsePeriodLabel(bad), undefined, bad);
});

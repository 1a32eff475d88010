import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketBounds, bucketIndex, DURATION_EDGES, histogramFromCounts } from './duration-buckets.ts';

test('the edges rise, each 1.5 to 2.5 times the one before (nearly equal on a log scale)', () => {
  for (let i = 1; i < DURATION_EDGES.length; i++) {
    const ratio = DURATION_EDGES[i]! / DURATION_EDGES[i - 1]!;
    assert.ok(ratio >= 1.5 && ratio <= 2.5, `${DURATION_EDGES[i - 1]} → ${DURATION_EDGES[i]}: ratio ${ratio}`);
  }
  assert.equal(DURATION_EDGES[0], 1);
  assert.equal(DURATION_EDGES.at(-1), 365 * 86400);
  // The round durations people read: a minute, an hour, eight hours, a day, a week.
  for (const round of [60, 3600, 8 * 3600, 86400, 7 * 86400]) assert.ok(DURATION_EDGES.includes(round), `${round} s is an edge`);
});

test('a duration falls in the bucket whose lower edge it reaches, as width_bucket numbers them', () => {
  assert.equal(bucketIndex(0), 0);
  assert.equal(bucketIndex(-5), 0, 'a negative duration (bad data) stays in the first bucket');
  assert.equal(bucketIndex(0.99), 0);
  assert.equal(bucketIndex(1), 1, 'a lower edge is in its bucket');
  assert.equal(bucketIndex(1.5), 1);
  assert.equal(bucketIndex(2), 2);
  assert.equal(bucketIndex(59), 6, '[30 s, 1 min)');
  assert.equal(bucketIndex(60), 7, '[1 min, 2 min)');
  assert.equal(bucketIndex(835), 10, '13 min 55 s is in [10 min, 20 min)');
  assert.equal(bucketIndex(3599), 12);
  assert.equal(bucketIndex(3600), 13, '[1 h, 2 h)');
  assert.equal(bucketIndex(28800), 16, '[8 h, 12 h)');
  assert.equal(bucketIndex(86400), 18, '[1 day, 2 days)');
  assert.equal(bucketIndex(365 * 86400), DURATION_EDGES.length, 'a year and beyond: the open last bucket');
  assert.equal(bucketIndex(10 * 365 * 86400), DURATION_EDGES.length);
});

test('bucket bounds: the first starts at 0, the last is open', () => {
  assert.deepEqual(bucketBounds(0), { from: 0, to: 1 });
  assert.deepEqual(bucketBounds(13), { from: 3600, to: 7200 });
  assert.deepEqual(bucketBounds(DURATION_EDGES.length), { from: 365 * 86400, to: null });
  assert.throws(() => bucketBounds(-1), RangeError);
  assert.throws(() => bucketBounds(DURATION_EDGES.length + 1), RangeError);
  for (let i = 0; i <= DURATION_EDGES.length; i++) {
    const { from, to } = bucketBounds(i);
    assert.equal(bucketIndex(from), i, `bucket ${i} holds its lower edge`);
    if (to !== null) assert.equal(bucketIndex(to), i + 1, `bucket ${i} does not hold its upper edge`);
  }
});

test('the histogram runs from the first used bucket to the last, gaps kept, empties at the ends dropped', () => {
  assert.deepEqual(histogramFromCounts(new Map()), []);
  assert.deepEqual(histogramFromCounts(new Map([[4, 0]])), []);
  assert.deepEqual(
    histogramFromCounts(new Map([[7, 3], [10, 2], [2, 0]])),
    [
      { from: 60, to: 120, n: 3 },
      { from: 120, to: 300, n: 0 },
      { from: 300, to: 600, n: 0 },
      { from: 600, to: 1200, n: 2 },
    ],
  );
  assert.deepEqual(histogramFromCounts(new Map([[DURATION_EDGES.length, 1]])), [{ from: 365 * 86400, to: null, n: 1 }]);
  // Custom edges: [0,10), [10,100), [100,∞)
  assert.deepEqual(histogramFromCounts(new Map([[0, 1], [2, 4]]), [10, 100]), [
    { from: 0, to: 10, n: 1 },
    { from: 10, to: 100, n: 0 },
    { from: 100, to: null, n: 4 },
  ]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseMetrics, type CaseRecord } from './cases.ts';

const H = 3600_000;
const at = (iso: string) => new Date(iso);
const record = (r: Partial<CaseRecord> & Pick<CaseRecord, 'id' | 'openedAt'>): CaseRecord => ({
  customerId: null,
  score: 3,
  scaleMin: 0,
  scaleMax: 10,
  answeredAt: r.openedAt,
  dueAt: new Date(r.openedAt.getTime() + 48 * H),
  resolvedAt: null,
  next: null,
  ...r,
});

const close = (actual: number | null | undefined, expected: number) => assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-6, `${actual} ≈ ${expected}`);

// Five cases, 48-hour SLA, read on 10 Nov 2026 at midnight UTC:
//  A c1  opened 1 Nov 00:00, resolved after 12 h         → in SLA
//  B c1  opened 1 Nov 00:00 (answered later), resolved after 72 h → late
//  C c2  opened 2 Nov 00:00, resolved after 6 h          → in SLA
//  D c3  opened 9 Nov 12:00, open, due 11 Nov 12:00      → pending (12 h old)
//  E —   opened 5 Nov 00:00, open, due 7 Nov (past)      → counts as missed (120 h old)
const now = at('2026-11-10T00:00:00Z');
const records: CaseRecord[] = [
  record({ id: 1, customerId: 'c1', openedAt: at('2026-11-01T00:00:00Z'), answeredAt: at('2026-10-31T23:00:00Z'), resolvedAt: at('2026-11-01T12:00:00Z'), score: 3, next: { score: 8, scaleMin: 0, scaleMax: 10 } }),
  record({ id: 2, customerId: 'c1', openedAt: at('2026-11-01T00:00:00Z'), answeredAt: at('2026-10-31T23:30:00Z'), resolvedAt: at('2026-11-04T00:00:00Z'), score: 1, next: { score: 0, scaleMin: 0, scaleMax: 10 } }),
  // CSAT 2 of 1–5 is 25% of its scale; the next answer, 3 of 1–9, is 25% too: not an improvement.
  record({ id: 3, customerId: 'c2', openedAt: at('2026-11-02T00:00:00Z'), resolvedAt: at('2026-11-02T06:00:00Z'), score: 2, scaleMin: 1, scaleMax: 5, next: { score: 3, scaleMin: 1, scaleMax: 9 } }),
  record({ id: 4, customerId: 'c3', openedAt: at('2026-11-09T12:00:00Z') }),
  record({ id: 5, customerId: null, openedAt: at('2026-11-05T00:00:00Z') }),
];

test('time to close: the median over resolved cases, open ones censored and counted beside it', () => {
  const m = caseMetrics(records, now);
  assert.equal(m.cases, 5);
  // Resolved durations 6 h, 12 h, 72 h: the type 1 median is the 2nd, 12 h; n = 3 is too few for a 95% interval (needs 6).
  assert.equal(m.timeToClose.n, 3);
  assert.equal(m.timeToClose.estimate, 12 * 3600);
  assert.equal(m.timeToClose.ci, null);
  assert.equal(m.timeToClose.censored, 2);
  // D is 12 h old (not longer than 12 h), E 120 h.
  assert.equal(m.timeToClose.censoredLongerThanMedian, 1);
});

test('share closed within SLA: resolved cases plus overdue open ones; open ones not yet due are pending', () => {
  const m = caseMetrics(records, now);
  assert.equal(m.withinSla.x, 2);
  assert.equal(m.withinSla.n, 4);
  assert.equal(m.withinSla.pending, 1);
  assert.equal(m.withinSla.estimate, 0.5);
  // Wilson 95%, x = 2, n = 4: (2 + z²/2 ± z·√(1 + z²/4)) / (4 + z²) with z = 1.959964.
  close(m.withinSla.ci![0], 0.150039);
  close(m.withinSla.ci![1], 0.849961);
});

test('recovery: each customer\'s earliest case against their next answer of the kind, as shares of the scales', () => {
  const m = caseMetrics(records, now);
  // c1: earliest case is A (answered 23:00): 3 → 8, improved. (B, answered later, would have been worse.)
  // c2: 25% → 25%, not improved. c3: no later answer yet. E: no customer.
  assert.equal(m.recovery.x, 1);
  assert.equal(m.recovery.n, 2);
  assert.equal(m.recovery.awaiting, 1);
  assert.equal(m.recovery.anonymous, 1);
  close(m.recovery.ci![0], 0.094531);
  close(m.recovery.ci![1], 0.905469);
});

test('no cases: every value null, nothing made up', () => {
  const m = caseMetrics([], now);
  assert.equal(m.cases, 0);
  assert.equal(m.timeToClose.estimate, null);
  assert.equal(m.withinSla.estimate, null);
  assert.equal(m.recovery.estimate, null);
});

test('resolved exactly at the due date is within the SLA; one second later is not', () => {
  const opened = at('2026-11-01T00:00:00Z');
  const m = caseMetrics([record({ id: 1, openedAt: opened, resolvedAt: new Date(opened.getTime() + 48 * H) }), record({ id: 2, openedAt: opened, resolvedAt: new Date(opened.getTime() + 48 * H + 1000) })], now);
  assert.equal(m.withinSla.x, 1);
  assert.equal(m.withinSla.n, 2);
});

import { DateTime } from 'luxon';
import type { Period } from './dimensions.ts';

/**
 * Calendar periods in a workspace's time zone. Labels are the same text the SQL layer produces
 * with to_char (2024-03, 2024-W09, 2024-Q1, …), so results from both can be joined.
 */

export interface PeriodRange {
  label: string;
  start: Date;
  /** Exclusive. */
  end: Date;
}

const UNIT = { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' } as const;

export function periodLabel(start: DateTime, period: Period): string {
  switch (period) {
    case 'day':
      return start.toFormat('yyyy-MM-dd');
    case 'week':
      return `${start.toFormat('kkkk')}-W${start.toFormat('WW')}`;
    case 'month':
      return start.toFormat('yyyy-MM');
    case 'quarter':
      return `${start.year}-Q${start.quarter}`;
    case 'year':
      return String(start.year);
  }
}

/** The periods that overlap [from, to), each whole (the first may start before `from`). */
export function periodsBetween(from: Date, to: Date, period: Period, zone: string): PeriodRange[] {
  const ranges: PeriodRange[] = [];
  let cursor = DateTime.fromJSDate(from, { zone }).startOf(UNIT[period]);
  const last = DateTime.fromJSDate(to, { zone });
  while (cursor < last) {
    const next = cursor.plus({ [`${UNIT[period]}s`]: 1 });
    ranges.push({ label: periodLabel(cursor, period), start: cursor.toJSDate(), end: next.toJSDate() });
    cursor = next;
  }
  return ranges;
}

/** The period before the one labelled `label` (for period-over-period changes). */
export function previousLabel(label: string, period: Period): string | undefined {
  const parsers: Record<Period, () => DateTime> = {
    day: () => DateTime.fromFormat(label, 'yyyy-MM-dd', { zone: 'UTC' }),
    week: () => DateTime.fromFormat(label.replace('-W', '-'), 'kkkk-WW', { zone: 'UTC' }),
    month: () => DateTime.fromFormat(label, 'yyyy-MM', { zone: 'UTC' }),
    quarter: () => DateTime.fromObject({ year: Number(label.slice(0, 4)), month: (Number(label.slice(6)) - 1) * 3 + 1 }, { zone: 'UTC' }),
    year: () => DateTime.fromObject({ year: Number(label) }, { zone: 'UTC' }),
  };
  const start = parsers[period]();
  if (!start.isValid) return undefined;
  return periodLabel(start.minus({ [`${UNIT[period]}s`]: 1 }), period);
}

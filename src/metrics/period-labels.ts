import { DateTime } from 'luxon';
import type { Period } from './dimensions.ts';

/**
 * A period as people and the API name it — 2026-10 (month), 2026-Q3, 2026-W40, 2026-10-05,
 * 2026 — read back into its kind and its first and last day (YYYY-MM-DD, calendar days: the
 * metric engine applies the workspace's time zone).
 */
export interface NamedPeriod {
  label: string;
  period: Period;
  first: string;
  last: string;
}

const UNIT: Record<Period, 'day' | 'week' | 'month' | 'quarter' | 'year'> = { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' };

export function parsePeriodLabel(label: string): NamedPeriod | undefined {
  const text = label.trim();
  let period: Period;
  let start: DateTime;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) [period, start] = ['day', DateTime.fromFormat(text, 'yyyy-MM-dd', { zone: 'UTC' })];
  else if (/^\d{4}-W\d{2}$/.test(text)) [period, start] = ['week', DateTime.fromFormat(text.replace('-W', '-'), 'kkkk-WW', { zone: 'UTC' })];
  else if (/^\d{4}-Q[1-4]$/.test(text)) [period, start] = ['quarter', DateTime.fromObject({ year: Number(text.slice(0, 4)), month: (Number(text.slice(6)) - 1) * 3 + 1 }, { zone: 'UTC' })];
  else if (/^\d{4}-\d{2}$/.test(text)) [period, start] = ['month', DateTime.fromFormat(text, 'yyyy-MM', { zone: 'UTC' })];
  else if (/^\d{4}$/.test(text)) [period, start] = ['year', DateTime.fromObject({ year: Number(text) }, { zone: 'UTC' })];
  else return undefined;
  if (!start.isValid) return undefined;
  const end = start.plus({ [`${UNIT[period]}s`]: 1 }).minus({ days: 1 });
  return { label: text, period, first: start.toISODate()!, last: end.toISODate()! };
}

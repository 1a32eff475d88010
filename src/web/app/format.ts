import type { I18n } from './i18n.tsx';
import type { Period, Unit } from './types.ts';

/**
 * Numbers as people read them, in their language: scores with the precision their intervals
 * allow, durations in the unit that fits, periods as the calendar names them.
 */

export { toneOfChange, type Tone } from '../../metrics/direction.ts';

export function formatDuration(i18n: I18n, seconds: number): string {
  const abs = Math.abs(seconds);
  const [unit, size] = abs >= 2 * 86400 ? ['day', 86400] : abs >= 2 * 3600 ? ['hour', 3600] : abs >= 120 ? ['minute', 60] : ['second', 1];
  const amount = seconds / (size as number);
  return i18n.number(amount, { style: 'unit', unit: unit as string, unitDisplay: 'short', maximumFractionDigits: Math.abs(amount) < 10 ? 1 : 0 });
}

export function formatValue(i18n: I18n, unit: Unit, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  switch (unit) {
    case 'nps':
      return i18n.number(value, { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
    case 'percent':
      return i18n.number(value / 100, { style: 'percent', maximumFractionDigits: 1 });
    case 'seconds':
      return formatDuration(i18n, value);
    case 'money':
      return i18n.number(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'count':
      return i18n.number(value, { maximumFractionDigits: 0 });
  }
}

/** A change in the metric's unit: points for scores and percentages, a duration for times. */
export function formatDelta(i18n: I18n, unit: Unit, delta: number): string {
  switch (unit) {
    case 'nps':
    case 'percent':
      return i18n.t('delta.points', { points: i18n.number(delta, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }) });
    case 'seconds':
      return (delta > 0 ? '+' : delta < 0 ? '−' : '') + formatDuration(i18n, Math.abs(delta));
    default:
      return i18n.number(delta, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  }
}

export function formatInterval(i18n: I18n, unit: Unit, ci: [number, number] | null | undefined): string {
  if (!ci) return i18n.t('ci.none');
  return i18n.t('ci.range', { low: formatValue(i18n, unit, ci[0]), high: formatValue(i18n, unit, ci[1]) });
}

const utc = (year: number, month: number, day = 1) => new Date(Date.UTC(year, month - 1, day));

/** A period label from the API (2026-10, 2026-W40, 2026-Q3, 2026-10-05, 2026) in words. */
export function formatPeriod(i18n: I18n, label: string, period: Period, style: 'long' | 'short' = 'long'): string {
  const date = (options: Intl.DateTimeFormatOptions, d: Date) => new Intl.DateTimeFormat(i18n.locale, { timeZone: 'UTC', ...options }).format(d);
  switch (period) {
    case 'day':
      return date({ dateStyle: style === 'long' ? 'medium' : 'short' }, utc(+label.slice(0, 4), +label.slice(5, 7), +label.slice(8, 10)));
    case 'week':
      return i18n.t('period.week', { week: i18n.number(+label.slice(6), { useGrouping: false }), year: i18n.number(+label.slice(0, 4), { useGrouping: false }) });
    case 'month':
      return date(style === 'long' ? { month: 'long', year: 'numeric' } : { month: 'short', year: '2-digit' }, utc(+label.slice(0, 4), +label.slice(5, 7)));
    case 'quarter':
      return i18n.t('period.quarter', { quarter: i18n.number(+label.slice(6)), year: i18n.number(+label.slice(0, 4), { useGrouping: false }) });
    case 'year':
      return i18n.number(+label, { useGrouping: false });
  }
}

/** Which period a group key names, when a result is broken down by one. */
export function periodOf(by: string[]): Period | undefined {
  return by.find((d): d is Period => ['day', 'week', 'month', 'quarter', 'year'].includes(d));
}

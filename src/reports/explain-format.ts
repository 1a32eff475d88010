import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import type { Unit } from '../metrics/definitions.ts';
import type { Explanation, ExplainedContribution } from './explain.ts';
import { formatValue } from './format.ts';

/** An explanation in words (one sentence people can repeat in the meeting) and as a table. */

const pointsUnits: ReadonlySet<Unit> = new Set(['nps', 'percent']);

function amount(value: number, unit: Unit, locale: Locale): string {
  const t = translator(locale);
  if (pointsUnits.has(unit)) return t('explain.points', { points: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(value)) });
  return formatValue(Math.abs(value), unit, locale);
}

/** The most telling part: the largest significant contribution, else the largest one. */
export function leadingContribution(explanation: Explanation): ExplainedContribution | undefined {
  const sameDirection = explanation.contributions.filter((c) => explanation.change === null || Math.sign(c.total) === Math.sign(explanation.change));
  return sameDirection.find((c) => c.significant) ?? sameDirection[0];
}

export function explanationSummary(explanation: Explanation, locale: Locale): string {
  const t = translator(locale);
  const metric = t(`metric.${explanation.metric}` as MessageKey);
  const { change, unit } = explanation;
  if (change === null) return t('explain.noData', { metric, from: explanation.from.period, to: explanation.to.period });
  const verdict = t(explanation.significant ? 'explain.significant' : 'explain.notSignificant');
  const head = t(change > 0 ? 'explain.rose' : change < 0 ? 'explain.fell' : 'explain.flat', {
    metric,
    amount: amount(change, unit, locale),
    from: explanation.from.period,
    to: explanation.to.period,
    verdict,
  });
  const lead = leadingContribution(explanation);
  if (!lead || change === 0) return head;
  const value = (v: number | null) => (v === null ? '—' : formatValue(v, unit, locale));
  const share = (s: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(s);
  const reason = Math.abs(lead.rate_effect) >= Math.abs(lead.mix_effect)
    ? t('explain.byRate', { metric, from: value(lead.value_from), to: value(lead.value_to) })
    : t('explain.byMix', { from: share(lead.share_from), to: share(lead.share_to) });
  return `${head} ${t('explain.lead', { amount: amount(lead.total, unit, locale), dimension: lead.dimension, group: lead.group, reason })}`;
}

export function explanationTable(explanation: Explanation, locale: Locale, limit = 15): string {
  const t = translator(locale);
  const { unit } = explanation;
  const signed = (v: number) => (pointsUnits.has(unit) ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(v) : `${v > 0 ? '+' : v < 0 ? '−' : ''}${formatValue(Math.abs(v), unit, locale)}`);
  const share = (s: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(s);
  const header = [t('explain.col.dimension'), t('explain.col.group'), t('explain.col.share'), t('explain.col.value'), t('explain.col.mix'), t('explain.col.rate'), t('explain.col.total'), ''];
  const rows = explanation.contributions.slice(0, limit).map((c) => [
    c.dimension,
    c.group,
    `${share(c.share_from)} → ${share(c.share_to)}`,
    `${c.value_from === null ? '—' : formatValue(c.value_from, unit, locale)} → ${c.value_to === null ? '—' : formatValue(c.value_to, unit, locale)}`,
    signed(c.mix_effect),
    signed(c.rate_effect),
    signed(c.total),
    c.significant ? t('explain.significantMark') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const notes = [t('explain.note', { minN: explanation.min_n }), ...(explanation.of === 'mean' ? [t('explain.ofMean')] : [])];
  return [explanationSummary(explanation, locale), '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', ...notes].join('\n');
}

import { DateTime } from 'luxon';
import type { PeriodFigure, ResponseFigure } from '../alerts/evaluate.ts';
import { alertLines } from '../alerts/message.ts';
import { direction, translator, type Locale, type MessageKey, type Translate } from '../i18n/index.ts';
import type { MetricGroup } from '../metrics/compute.ts';
import type { Unit } from '../metrics/definitions.ts';
import { explanationSummary } from './explain-format.ts';
import { formatValue } from './format.ts';
import type { JourneyStep } from './journey.ts';
import { toneOfChange } from '../metrics/direction.ts';
import { type AgendaItem, type AlertsSection, type CasesSection, type MonthlyReport, type Quote, type ThemesSection } from './monthly.ts';
import type { OverviewCard } from './overview.ts';

/**
 * The monthly report as one self-contained, printable HTML page: no script, no external request
 * (styles inline, charts as inline SVG), every text from the server catalogues, numbers and dates
 * through Intl in the reader's language, Arabic right to left (CSS logical properties mirror the
 * layout; the SVG time axes are mirrored too). Pure: the same report and language give the same
 * page, which the PDF (monthly-pdf.ts) and the e-mail are made from.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML content and attribute values (customer comments are hostile). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
const e = escapeHtml;

interface Ctx {
  t: Translate;
  locale: Locale;
  rtl: boolean;
  number: (value: number, options?: Intl.NumberFormatOptions) => string;
}

const metricName = (ctx: Ctx, metric: string) => ctx.t(`metric.${metric}` as MessageKey);

/** "2026-10" as the calendar names it in the reader's language ("October 2026", "أكتوبر ٢٠٢٦", "2026 m. spalis"). */
export function monthName(month: string, locale: Locale): string {
  const day = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' });
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(day.toJSDate());
}

function dayName(iso: string, locale: Locale, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone }).format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));
}

const interval = (ctx: Ctx, ci: readonly [number, number] | null | undefined, unit: Unit) =>
  ci ? `${formatValue(ci[0], unit, ctx.locale)} – ${formatValue(ci[1], unit, ctx.locale)}` : '—';

/** The value, its 95% interval and n, as every score in the report shows them. */
function scoreBlock(ctx: Ctx, group: MetricGroup | null, unit: Unit): string {
  if (!group || group.n === 0) return `<span class="none">${e(ctx.t('monthly.noData'))}</span>`;
  return `<span class="value">${e(formatValue(group.value, unit, ctx.locale))}</span>
    ${group.ci ? `<span class="ci">${e(ctx.t('monthly.ci', { ci: interval(ctx, group.ci, unit) }))}</span>` : ''}
    <span class="n">${e(ctx.t('monthly.n', { n: group.n }))}</span>`;
}

/** A change in the metric's unit: signed (+2.1 points, −3 min), or as a size only ("fell by 2.1 points"). */
function deltaText(ctx: Ctx, delta: number, unit: Unit, signed = true): string {
  if (unit === 'percent' || unit === 'nps') return ctx.t('explain.points', { points: ctx.number(signed ? delta : Math.abs(delta), { maximumFractionDigits: 1, signDisplay: signed ? 'exceptZero' : 'auto' }) });
  return `${signed ? (delta > 0 ? '+' : delta < 0 ? '−' : '') : ''}${formatValue(Math.abs(delta), unit, ctx.locale)}`;
}

function changeBlock(ctx: Ctx, card: OverviewCard): string {
  const change = card.current?.change;
  if (!change) return `<p class="change">${e(ctx.t('monthly.noChange'))}</p>`;
  const verdict = change.smallSample ? ctx.t('report.smallSample') : change.significant ? ctx.t('report.significant') : ctx.t('report.notSignificant');
  const tone = change.significant && !change.smallSample ? toneOfChange(card.metric, change.delta) : 'neutral';
  const p = change.pValue === null ? '' : change.pValue < 0.001 ? ctx.t('monthly.pBelow', { p: ctx.number(0.001) }) : ctx.t('monthly.p', { p: ctx.number(change.pValue, { maximumSignificantDigits: 2 }) });
  const text = ctx.t(change.of === 'mean' ? 'monthly.changeOfMean' : 'monthly.change', { delta: deltaText(ctx, change.delta, card.unit), month: monthName(change.from, ctx.locale), verdict });
  return `<p class="change ${tone}">${e(text)}${p ? ` <span class="p">${e(p)}</span>` : ''}</p>`;
}

/** The trend of the months before, as a line with its interval band; time runs with the reading direction. */
function sparkline(ctx: Ctx, card: OverviewCard): string {
  const points = card.trend.filter((p) => p.value !== null);
  if (points.length < 2) return '';
  const values = card.trend.flatMap((p) => (p.value === null ? [] : [p.value, ...(p.ci ?? [])]));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const w = 160;
  const h = 40;
  const x = (i: number) => 4 + (i * (w - 8)) / (card.trend.length - 1);
  const y = (v: number) => (hi === lo ? h / 2 : 4 + ((hi - v) * (h - 8)) / (hi - lo));
  const indexed = card.trend.map((p, i) => ({ ...p, i })).filter((p) => p.value !== null);
  const band = indexed.filter((p) => p.ci);
  const bandPath = band.length >= 2 ? `<polygon class="band" points="${[...band.map((p) => `${x(p.i).toFixed(1)},${y(p.ci![1]).toFixed(1)}`), ...[...band].reverse().map((p) => `${x(p.i).toFixed(1)},${y(p.ci![0]).toFixed(1)}`)].join(' ')}"/>` : '';
  const line = `<polyline class="line" points="${indexed.map((p) => `${x(p.i).toFixed(1)},${y(p.value!).toFixed(1)}`).join(' ')}"/>`;
  const last = indexed.at(-1)!;
  const dot = `<circle class="dot" cx="${x(last.i).toFixed(1)}" cy="${y(last.value!).toFixed(1)}" r="3"/>`;
  const label = ctx.t('monthly.trendLabel', {
    metric: metricName(ctx, card.metric),
    values: new Intl.ListFormat(ctx.locale, { type: 'unit', style: 'narrow' }).format(card.trend.map((p) => `${monthName(p.period, ctx.locale)}: ${formatValue(p.value, card.unit, ctx.locale)}`)),
  });
  const mirror = ctx.rtl ? ` transform="translate(${w},0) scale(-1,1)"` : '';
  return `<svg class="spark" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${e(label)}"><g${mirror}>${bandPath}${line}${dot}</g></svg>`;
}

function card(ctx: Ctx, c: OverviewCard): string {
  return `<article class="card">
  <h3>${e(metricName(ctx, c.metric))}</h3>
  ${c.error ? `<p class="none">${e(ctx.t('monthly.cannotShow'))}</p>` : `<p class="score">${scoreBlock(ctx, c.current, c.unit)}</p>${c.current ? changeBlock(ctx, c) : ''}${sparkline(ctx, c)}`}
</article>`;
}

function cards(ctx: Ctx, list: OverviewCard[]): string {
  return `<div class="cards">${list.map((c) => card(ctx, c)).join('\n')}</div>`;
}

function themesSection(ctx: Ctx, section: ThemesSection): string {
  if (section.themes.length === 0) return `<p class="none">${e(ctx.t('monthly.themes.none'))}</p>`;
  const impact = (theme: ThemesSection['themes'][number]) => {
    const found = theme.score_impact;
    if (!found || found.delta === null) return '—';
    return `${e(deltaText(ctx, found.delta, 'percent'))}${found.ci ? ` <span class="ci">${e(ctx.t('monthly.ci', { ci: `${deltaText(ctx, found.ci[0], 'percent')} – ${deltaText(ctx, found.ci[1], 'percent')}` }))}</span>` : ''} <span class="n">${e(ctx.t('monthly.n', { n: found.n_theme }))}</span>`;
  };
  const rows = section.themes.map(
    (theme) => `<tr><td><bdi dir="auto">${e(theme.label)}</bdi></td><td>${e(ctx.number(theme.volume))} (${e(formatValue(theme.share * 100, 'percent', ctx.locale))})</td><td>${impact(theme)}</td></tr>`,
  );
  const truncated = section.truncated ? ` ${ctx.t('monthly.themes.truncated', { analysed: ctx.number(section.comments) })}` : '';
  return `<p>${e(ctx.t('monthly.themes.intro', { comments: section.comments }) + truncated)}</p>
  <table class="themes"><thead><tr><th>${e(ctx.t('monthly.themes.theme'))}</th><th>${e(ctx.t('monthly.themes.mentions'))}</th><th>${e(ctx.t('monthly.themes.impact'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function alertsSection(ctx: Ctx, section: AlertsSection, report: MonthlyReport): string {
  if (section.total === 0 && section.suppressed === 0) return `<p class="none">${e(ctx.t('monthly.alerts.none'))}</p>`;
  const items = section.alerts.map((alert) => {
    const said = alertLines(ctx.locale, { eventId: alert.id, ruleName: alert.ruleName, kind: alert.kind, workspace: report.workspace, firedAt: new Date(alert.firedAt), figure: alert.figure as unknown as PeriodFigure | ResponseFigure, historyUrl: '' });
    const comment = said.comment ? `<blockquote dir="auto">${e(said.comment)}</blockquote>` : '';
    return `<li><p><strong><bdi>${e(alert.ruleName)}</bdi></strong> · <span class="meta">${e(dayName(alert.firedAt, ctx.locale, report.timezone))}</span></p><p>${e(said.lines.join(' '))}</p>${comment}</li>`;
  });
  return `<p>${e(ctx.t('monthly.alerts.summary', { total: section.total, suppressed: section.suppressed }))}</p><ul class="alerts">${items.join('')}</ul>`;
}

/** A proportion of src/stats (0–1) as a score in percent, the way metric groups carry them. */
const percentGroup = (p: { x: number; n: number; estimate: number | null; ci: readonly [number, number] | null }): MetricGroup => ({
  key: {},
  value: p.estimate === null ? null : p.estimate * 100,
  n: p.n,
  ci: p.ci ? [p.ci[0] * 100, p.ci[1] * 100] : null,
});

function casesSection(ctx: Ctx, section: CasesSection): string {
  const { opened, overdueNow } = section;
  const ttc = opened.timeToClose;
  const block = (title: string, body: string, note: string) => `<article class="card"><h3>${e(title)}</h3><p class="score">${body}</p>${note ? `<p class="note">${e(note)}</p>` : ''}</article>`;
  const cards = [
    block(ctx.t('monthly.cases.timeToClose'), scoreBlock(ctx, { key: {}, value: ttc.estimate, n: ttc.n, ci: ttc.ci ? [ttc.ci[0], ttc.ci[1]] : null }, 'seconds'), ttc.censored ? ctx.t('monthly.cases.censored', { count: ttc.censored }) : ''),
    block(ctx.t('monthly.cases.withinSla'), scoreBlock(ctx, percentGroup(opened.withinSla), 'percent'), opened.withinSla.pending ? ctx.t('monthly.cases.pending', { count: opened.withinSla.pending }) : ''),
    block(ctx.t('monthly.cases.recovery'), scoreBlock(ctx, percentGroup(opened.recovery), 'percent'), opened.recovery.awaiting ? ctx.t('monthly.cases.awaiting', { count: opened.recovery.awaiting }) : ''),
  ];
  return `<p>${e(ctx.t('monthly.cases.opened', { count: opened.cases }))} ${e(ctx.t('monthly.cases.overdue', { count: overdueNow }))}</p><div class="cards">${cards.join('')}</div>`;
}

function explainedSection(ctx: Ctx, report: MonthlyReport): string {
  if (report.explained.length === 0) return `<p class="none">${e(ctx.t('monthly.changes.none'))}</p>`;
  return report.explained
    .map(({ metric, explanation }) => {
      const rows = explanation.contributions.slice(0, 5).map((c) => `<tr>
        <td>${e(c.dimension)}</td><td><bdi>${e(c.group)}</bdi></td>
        <td>${e(c.value_from === null ? '—' : formatValue(c.value_from, explanation.unit, ctx.locale))} ${ctx.rtl ? "←" : "→"} ${e(c.value_to === null ? '—' : formatValue(c.value_to, explanation.unit, ctx.locale))}</td>
        <td>${e(ctx.number(c.n_from))} ${ctx.rtl ? "←" : "→"} ${e(ctx.number(c.n_to))}</td>
        <td>${e(deltaText(ctx, c.total, explanation.unit))}</td>
        <td>${c.significant ? e(ctx.t('explain.significantMark')) : ''}</td></tr>`);
      return `<div class="explained">
  <h3>${e(metricName(ctx, metric))}</h3>
  <p>${e(explanationSummary(explanation, ctx.locale))}</p>
  ${rows.length ? `<table><thead><tr><th>${e(ctx.t('explain.col.dimension'))}</th><th>${e(ctx.t('explain.col.group'))}</th><th>${e(ctx.t('explain.col.value'))}</th><th>${e(ctx.t('report.n'))}</th><th>${e(ctx.t('explain.col.total'))}</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>` : ''}
</div>`;
    })
    .join('\n');
}

function quoteList(ctx: Ctx, quotes: Quote[], timeZone: string): string {
  if (quotes.length === 0) return `<p class="none">${e(ctx.t('monthly.quotes.none'))}</p>`;
  return `<ul class="quotes">${quotes
    .map((q) => {
      const meta = ctx.t('monthly.quotes.meta', {
        kind: q.kind.toUpperCase(),
        score: ctx.number(q.score),
        scale: `${ctx.number(q.scaleMin)}–${ctx.number(q.scaleMax)}`,
        touchpoint: q.touchpoint ?? '—',
        date: dayName(q.submittedAt, ctx.locale, timeZone),
      });
      return `<li><blockquote dir="auto"${q.language ? ` lang="${e(q.language)}"` : ''}>${e(q.comment)}</blockquote><p class="meta">${e(meta)}</p></li>`;
    })
    .join('')}</ul>`;
}

/** A bar from the scale's start to the value, its interval as a whisker; mirrored right to left. */
function intervalBar(ctx: Ctx, group: MetricGroup | null, min: number, max: number): string {
  if (!group || group.value === null) return '';
  const w = 120;
  const x = (v: number) => (Math.max(min, Math.min(max, v)) - min) / (max - min) * w;
  const mirror = ctx.rtl ? ` transform="translate(${w},0) scale(-1,1)"` : '';
  const ci = group.ci ? `<line class="whisker" x1="${x(group.ci[0]).toFixed(1)}" x2="${x(group.ci[1]).toFixed(1)}" y1="7" y2="7"/>` : '';
  return `<svg class="bar" viewBox="0 0 ${w} 14" width="${w}" height="14" aria-hidden="true"><g${mirror}><rect class="track" x="0" y="3" width="${w}" height="8"/><rect class="fill" x="0" y="3" width="${x(group.value).toFixed(1)}" height="8"/>${ci}</g></svg>`;
}

function journeyCell(ctx: Ctx, group: MetricGroup | null, unit: Unit, min: number, max: number): string {
  return `<td>${scoreBlock(ctx, group, unit)}${intervalBar(ctx, group, min, max)}</td>`;
}

function journeySection(ctx: Ctx, report: MonthlyReport): string {
  const steps = report.journey.steps;
  if (steps.length === 0) return `<p class="none">${e(ctx.t('monthly.noData'))}</p>`;
  const rows = steps.map((s: JourneyStep) => `<tr${report.journey.weakest?.touchpoint === s.touchpoint ? ' class="weakest"' : ''}><th scope="row"><bdi>${e(s.touchpoint)}</bdi></th>${journeyCell(ctx, s.csat, 'percent', 0, 100)}${journeyCell(ctx, s.ces, 'percent', 0, 100)}${journeyCell(ctx, s.nps, 'nps', -100, 100)}</tr>`);
  const weakest = report.journey.weakest;
  const note = weakest
    ? ctx.t(weakest.separated ? 'monthly.journey.weakestSeparated' : 'monthly.journey.weakestLowest', {
        touchpoint: weakest.touchpoint,
        metric: metricName(ctx, weakest.metric),
        value: formatValue(weakest.value, 'percent', ctx.locale),
        best: weakest.best.touchpoint,
        bestValue: formatValue(weakest.best.value, 'percent', ctx.locale),
      })
    : ctx.t('monthly.journey.noWeakest', { n: report.journey.minN });
  return `<table class="journey"><thead><tr><th>${e(ctx.t('monthly.journey.touchpoint'))}</th><th>${e(metricName(ctx, 'csat'))}</th><th>${e(metricName(ctx, 'ces'))}</th><th>${e(metricName(ctx, 'nps'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="note">${e(note)}</p>`;
}

function volumeSection(ctx: Ctx, report: MonthlyReport): string {
  const groups = [...report.volumeByChannel.groups].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  if (groups.length === 0) return '';
  const top = Math.max(...groups.map((g) => g.value ?? 0), 1);
  const w = 160;
  const mirror = ctx.rtl ? ` transform="translate(${w},0) scale(-1,1)"` : '';
  const rows = groups.map((g) => `<tr><th scope="row"><bdi>${e(g.key.channel ?? '—')}</bdi></th><td>${e(formatValue(g.value, 'count', ctx.locale))}</td><td><svg class="bar" viewBox="0 0 ${w} 14" width="${w}" height="14" aria-hidden="true"><g${mirror}><rect class="fill" x="0" y="3" width="${(((g.value ?? 0) / top) * w).toFixed(1)}" height="8"/></g></svg></td></tr>`);
  return `<h3>${e(ctx.t('monthly.support.volumeByChannel'))}</h3><table class="volume"><thead><tr><th>${e(ctx.t('monthly.support.channel'))}</th><th>${e(metricName(ctx, 'volume'))}</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function repeatPurchaseBlock(ctx: Ctx, report: MonthlyReport): string {
  const group = report.repeatPurchase.groups.find((g) => g.key.month === report.month) ?? null;
  return `<article class="card"><h3>${e(metricName(ctx, 'repeat_purchase_rate'))}</h3><p class="score">${scoreBlock(ctx, group, 'percent')}</p></article>`;
}

function agendaText(ctx: Ctx, item: AgendaItem, report: MonthlyReport): string {
  const metric = item.metric ? metricName(ctx, item.metric) : '';
  switch (item.kind) {
    case 'significant_drop':
      return ctx.t('monthly.agenda.drop', { metric, delta: deltaText(ctx, item.delta!, item.card!.unit, false), month: monthName(report.previousMonth, ctx.locale) });
    case 'significant_rise':
      return ctx.t('monthly.agenda.rise', { metric, delta: deltaText(ctx, item.delta!, item.card!.unit, false) });
    case 'leading_cause':
      return ctx.t('monthly.agenda.cause', { metric, summary: explanationSummary(item.explanation!, ctx.locale) });
    case 'weakest_step':
      return ctx.t('monthly.agenda.weakest', { touchpoint: item.touchpoint!, metric });
    case 'small_sample':
      return ctx.t('monthly.agenda.smallSample', { metric, n: item.card!.current!.n });
    case 'alerts':
      return ctx.t('monthly.agenda.alerts', { count: item.count! });
    case 'overdue_cases':
      return ctx.t('monthly.agenda.overdue', { count: item.count! });
  }
}

function agendaSection(ctx: Ctx, report: MonthlyReport): string {
  const items = report.agenda.map((item) => `<li>${e(agendaText(ctx, item, report))}</li>`);
  items.push(`<li>${e(ctx.t('monthly.agenda.actions'))}</li>`);
  return `<ol class="agenda">${items.join('')}</ol>`;
}

const CSS = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans Arabic", Arial, sans-serif; font-size: 10.5pt; color: #1b1f24; background: #fff; }
body { margin: 0 auto; max-inline-size: 190mm; padding: 8mm 4mm; line-height: 1.45; }
header.cover { border-block-end: 3px solid #1f5f8b; padding-block-end: 4mm; margin-block-end: 6mm; }
header.cover h1 { font-size: 20pt; margin: 0 0 2mm; color: #123b57; }
header.cover p { margin: 0; color: #4a5560; }
h2 { font-size: 14pt; color: #123b57; border-block-end: 1px solid #c9d3dc; padding-block-end: 1mm; margin-block: 7mm 3mm; break-after: avoid; }
h3 { font-size: 11pt; margin-block: 3mm 1.5mm; break-after: avoid; }
section { break-inside: auto; }
section.agenda-page { break-before: page; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(55mm, 1fr)); gap: 3mm; }
.card { border: 1px solid #c9d3dc; border-radius: 2mm; padding: 2.5mm 3mm; break-inside: avoid; }
.card h3 { margin-block-start: 0; font-size: 10pt; color: #4a5560; }
.score { margin: 0; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 2.5mm; }
.value { font-size: 16pt; font-weight: bold; color: #1b1f24; }
.ci, .n, .p, .meta, .note { color: #4a5560; font-size: 9pt; }
.change { margin: 1mm 0; font-size: 9pt; }
.change.good { color: #1e6b34; }
.change.bad { color: #a3261c; font-weight: bold; }
.none { color: #4a5560; font-style: italic; }
svg .band { fill: #cfe0ee; stroke: none; }
svg .line { fill: none; stroke: #1f5f8b; stroke-width: 1.6; }
svg .dot { fill: #1f5f8b; }
svg .track { fill: #eef2f5; }
svg .fill { fill: #6b9dc2; }
svg .whisker { stroke: #123b57; stroke-width: 2; }
table { border-collapse: collapse; inline-size: 100%; margin-block: 2mm; font-size: 9pt; }
th, td { text-align: start; padding-block: 1.2mm; padding-inline: 1.5mm; border-block-end: 1px solid #e1e7ec; vertical-align: top; }
thead th { background: #eef2f5; }
tr { break-inside: avoid; }
tr.weakest th, tr.weakest td { background: #fbeaea; }
.journey .score { display: block; }
.journey .value { font-size: 11pt; }
.journey .ci, .journey .n { display: block; }
.explained { break-inside: avoid; margin-block-end: 3mm; }
.alerts { padding-inline-start: 5mm; }
.alerts li { break-inside: avoid; margin-block-end: 2mm; }
.alerts p { margin: 0; }
.quotes { list-style: none; padding: 0; margin: 0; }
.quotes li { break-inside: avoid; margin-block-end: 2.5mm; }
blockquote { margin: 0; padding-inline-start: 3mm; border-inline-start: 3px solid #6b9dc2; unicode-bidi: plaintext; }
.meta { margin: 0.5mm 0 0; padding-inline-start: 3mm; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm; }
ol.agenda { padding-inline-start: 6mm; }
ol.agenda li { margin-block-end: 2mm; }
footer { margin-block-start: 8mm; border-block-start: 1px solid #c9d3dc; padding-block-start: 2mm; color: #4a5560; font-size: 8.5pt; }
@media print { body { padding: 0; max-inline-size: none; } a { color: inherit; text-decoration: none; } }
`;

/** The monthly report as a whole HTML document in `locale`. */
export function renderMonthlyReportHtml(report: MonthlyReport, locale: Locale): string {
  const t = translator(locale);
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const ctx: Ctx = {
    t,
    locale,
    rtl: direction(locale) === 'rtl',
    number: (value, options = {}) => {
      const key = JSON.stringify(options);
      let format = numberFormats.get(key);
      if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
      return format.format(value);
    },
  };
  const month = monthName(report.month, locale);
  const title = t('monthly.title', { month });
  const section = (id: string, heading: string, body: string, extraClass = '') => `<section id="${id}"${extraClass ? ` class="${extraClass}"` : ''}><h2>${e(heading)}</h2>\n${body}\n</section>`;
  return `<!DOCTYPE html>
<html lang="${locale}" dir="${direction(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} — ${e(report.workspace)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="cover">
  <h1>${e(title)}</h1>
  <p>${e(t('monthly.subtitle', { workspace: report.workspace, from: dayName(report.from, locale), to: dayName(report.to, locale), timezone: report.timezone }))}</p>
</header>
${section('kpis', t('monthly.section.kpis'), cards(ctx, report.headline))}
${section('changes', t('monthly.section.changes'), explainedSection(ctx, report))}
${section('themes', t('monthly.section.themes'), themesSection(ctx, report.themes))}
${section('quotes', t('monthly.section.quotes'), `<div class="columns"><div><h3>${e(t('monthly.quotes.lowest'))}</h3>${quoteList(ctx, report.quotes.lowest, report.timezone)}</div><div><h3>${e(t('monthly.quotes.highest'))}</h3>${quoteList(ctx, report.quotes.highest, report.timezone)}</div></div>`)}
${section('journey', t('monthly.section.journey'), journeySection(ctx, report))}
${section('support', t('monthly.section.support'), cards(ctx, report.support) + volumeSection(ctx, report))}
${section('retention', t('monthly.section.retention'), `<div class="cards">${report.retention.map((c) => card(ctx, c)).join('')}${repeatPurchaseBlock(ctx, report)}</div>`)}
${section('alerts', t('monthly.section.alerts'), alertsSection(ctx, report.alerts, report))}
${section('cases', t('monthly.section.cases'), casesSection(ctx, report.cases))}
${section('agenda', t('monthly.section.agenda', { month }), agendaSection(ctx, report), 'agenda-page')}
<footer><p>${e(t('monthly.footer'))}</p></footer>
</body>
</html>
`;
}

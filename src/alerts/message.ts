import { translator, type Locale, type MessageKey } from '../i18n/index.ts';
import { METRICS, type MetricName } from '../metrics/definitions.ts';
import { isResponseFigure, isThemeFigure, type AlertFigure } from './evaluate.ts';

/**
 * What an alert says, composed without I/O: the e-mail (subject, HTML, text), the Slack message
 * ({text, blocks}) and the signed webhook's JSON, in English, Arabic or Lithuanian (server
 * catalogues, src/i18n). Every value from the data — a rule's name, a customer's name and
 * comment — is escaped for where it goes: HTML entities in the e-mail, &, < and > in Slack's
 * mrkdwn (so a comment cannot mention @channel or forge a link), JSON in the webhook.
 */

export interface AlertMessageInput {
  eventId: number;
  ruleName: string;
  kind: string;
  workspace: string;
  firedAt: Date;
  figure: AlertFigure;
  /** The alert history page, for the link. */
  historyUrl: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Slack's mrkdwn escaping: only &, < and > are control characters (api.slack.com/reference/surfaces/formatting). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function formatValue(locale: Locale, metric: string, value: number): string {
  const unit = METRICS[metric as MetricName]?.unit;
  if (unit === 'seconds') return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 1 }).format(value / 60);
  if (unit === 'percent') return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

function formatDelta(locale: Locale, metric: string, delta: number): string {
  const unit = METRICS[metric as MetricName]?.unit;
  const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  if (unit === 'seconds') return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(delta / 60);
  return points.format(delta);
}

/** The sentences (plain text, unescaped) an alert says, in order. */
export function alertLines(locale: Locale, input: AlertMessageInput): { subject: string; lines: string[]; comment: string | null } {
  const t = translator(locale);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const figure = input.figure;
  if (isResponseFigure(figure)) {
    const who = figure.customerName ?? figure.customer ?? t('alert.anonymous');
    const values = {
      rule: input.ruleName,
      customer: who,
      kind: figure.kind.toUpperCase(),
      score: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(figure.score),
      max: figure.scaleMax === null ? '?' : number.format(figure.scaleMax),
      time: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(figure.submittedAt)),
    };
    return {
      subject: t('alert.subject.response', values),
      lines: [t('alert.line.response', values)],
      comment: figure.comment,
    };
  }
  if (isThemeFigure(figure)) {
    const percent = (value: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
    const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
    const change = figure.change;
    const values = {
      rule: input.ruleName,
      theme: figure.theme,
      period: figure.period,
      share: percent(figure.share),
      mentions: number.format(figure.mentions),
      n: number.format(figure.n),
      low: figure.ci ? percent(figure.ci[0]) : '–',
      high: figure.ci ? percent(figure.ci[1]) : '–',
      before: percent(figure.previous.share),
      previous: figure.previous.period,
      previousMentions: number.format(figure.previous.mentions),
      previousN: number.format(figure.previous.n),
      delta: points.format(change.delta),
      deltaLow: change.ci ? points.format(change.ci[0]) : '–',
      deltaHigh: change.ci ? points.format(change.ci[1]) : '–',
      p: change.pValue < 0.001 ? '< 0.001' : new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(change.pValue),
    };
    return { subject: t('alert.subject.theme', values), lines: [t('alert.line.theme', values)], comment: null };
  }
  const metric = t(`metric.${figure.metric}` as MessageKey);
  const ci = figure.ci ? { low: formatValue(locale, figure.metric, figure.ci[0]), high: formatValue(locale, figure.metric, figure.ci[1]) } : { low: '–', high: '–' };
  const values: Record<string, string | number> = {
    rule: input.ruleName,
    metric,
    period: figure.period,
    value: formatValue(locale, figure.metric, figure.value),
    n: number.format(figure.n),
    ...ci,
  };
  let line: string;
  if (figure.change && figure.previous) {
    const change = figure.change;
    line = t(figure.direction === 'up' ? 'alert.line.rise' : 'alert.line.drop', {
      ...values,
      before: figure.previous.value === null ? '–' : formatValue(locale, figure.metric, figure.previous.value),
      previous: figure.previous.period,
      previousN: number.format(figure.previous.n),
      delta: formatDelta(locale, figure.metric, change.delta),
      deltaLow: change.ci ? formatDelta(locale, figure.metric, change.ci[0]) : '–',
      deltaHigh: change.ci ? formatDelta(locale, figure.metric, change.ci[1]) : '–',
      p: change.pValue === null ? '–' : change.pValue < 0.001 ? '< 0.001' : new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(change.pValue),
    });
  } else if (figure.statistic) {
    line = t(figure.statistic === 'p90' ? 'alert.line.frt_p90' : 'alert.line.frt_median', { ...values, threshold: formatValue(locale, figure.metric, figure.threshold ?? 0) });
  } else {
    line = t(figure.direction === 'above' ? 'alert.line.above' : 'alert.line.below', { ...values, threshold: formatValue(locale, figure.metric, figure.threshold ?? 0) });
  }
  return { subject: t('alert.subject.period', values), lines: [line], comment: null };
}

export function alertEmail(locale: Locale, input: AlertMessageInput): { subject: string; html: string; text: string } {
  const t = translator(locale);
  const { subject, lines, comment } = alertLines(locale, input);
  const footer = t('alert.footer', { rule: input.ruleName, workspace: input.workspace });
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  const commentLine = comment === null ? null : t('alert.comment', { comment });
  const html = [
    `<!doctype html><html lang="${locale}" dir="${dir}"><body style="font-family:sans-serif">`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    comment === null ? '' : `<blockquote dir="auto">${escapeHtml(comment)}</blockquote>`,
    `<p>${escapeHtml(footer)} <a href="${escapeHtml(input.historyUrl)}">${escapeHtml(input.historyUrl)}</a></p>`,
    '</body></html>',
  ].join('\n');
  const text = [...lines, ...(commentLine ? [commentLine] : []), '', `${footer} ${input.historyUrl}`].join('\n');
  return { subject, html, text };
}

export function alertSlack(locale: Locale, input: AlertMessageInput): { text: string; blocks: unknown[] } {
  const t = translator(locale);
  const { subject, lines, comment } = alertLines(locale, input);
  const body = [...lines, ...(comment === null ? [] : [`> ${comment.replace(/\n/g, ' ')}`])].map(escapeSlack).join('\n');
  const footer = `${escapeSlack(t('alert.footer', { rule: input.ruleName, workspace: input.workspace }))} <${escapeSlack(input.historyUrl)}|${escapeSlack(t('alert.history'))}>`;
  return {
    text: `${escapeSlack(subject)}\n${body}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: body.slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: footer }] },
    ],
  };
}

/** The signed webhook's body: {type, timestamp, data} as Standard Webhooks recommends. */
export function alertWebhookBody(input: AlertMessageInput): Record<string, unknown> {
  return {
    type: 'alert.fired',
    timestamp: input.firedAt.toISOString(),
    data: { alert: input.eventId, rule: input.ruleName, kind: input.kind, workspace: input.workspace, figure: input.figure, history: input.historyUrl },
  };
}

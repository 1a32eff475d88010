import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DateTime } from 'luxon';
import { runDemo } from '../src/demo/run.ts';
import { createApp } from '../src/http/app.ts';
import { translator, type Locale, type MessageKey } from '../src/i18n/index.ts';
import { smtpMailer } from '../src/jobs/mailer.ts';
import { dueAt, nextReport, parseSchedule, ScheduleError, SEND_MONTHLY_REPORT, sendMonthlyReportHandler, setMonthlyReportSchedule } from '../src/jobs/send-monthly-report.ts';
import { explainChange } from '../src/reports/explain.ts';
import { explanationSummary } from '../src/reports/explain-format.ts';
import { formatValue } from '../src/reports/format.ts';
import { monthlyReport, type MonthlyReport } from '../src/reports/monthly.ts';
import { escapeHtml, monthName, renderMonthlyReportHtml } from '../src/reports/monthly-html.ts';
import { htmlToPdf } from '../src/reports/monthly-pdf.ts';
import { overview } from '../src/reports/overview.ts';
import { themesReport } from '../src/reports/text-themes.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { openCasesFor } from '../src/storage/cases.ts';
import type { Database } from '../src/storage/database.ts';
import { JobWorker, listJobs } from '../src/storage/jobs.ts';
import { describeEachEngine } from './support/databases.ts';
import { startInbox } from './support/smtp.ts';

/** Where the PDFs and their page images land, to be looked at after a run. */
const OUTPUT = new URL('../test-output/monthly-report/', import.meta.url).pathname;
mkdirSync(OUTPUT, { recursive: true });

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"';
const LOCALES: Locale[] = ['en', 'ar', 'lt'];

/** CSAT answers (1–5) for one touchpoint and month: `satisfied` of every 10 score 5, the rest 2. */
async function answers(db: Database, workspaceId: number, touchpoint: string, month: string, count: number, satisfied: number) {
  await db.query(
    `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, touchpoint, channel)
     SELECT $1, $2 || '-' || i, 'csat', CASE WHEN i % 10 < $3 THEN 5 ELSE 2 END, 1, 5, ($4 || '-10')::timestamptz + (i % 15) * interval '1 hour', $5, 'email'
     FROM generate_series(1, $6) AS i`,
    [workspaceId, `${touchpoint}-${month}`, satisfied, month, touchpoint, count],
  );
}

/** The text of a page as the HTML shows it: tags out, entities back, whitespace folded. */
const visibleText = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** Whether the page's text holds `part` (spaces of any kind alike: Intl writes no-break spaces). */
const has = (text: string, part: string) => text.includes(part.replace(/\s+/g, ' '));

/** pdftotext's output without the bidi controls it wraps right-to-left runs in. */
const pdfText = (path: string) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');

describeEachEngine('monthly CX report', (t) => {
  let demo: { report: MonthlyReport; html: Record<Locale, string> } | undefined;

  test('a demo month: every KPI is the overview’s, with n and interval, in three languages; a hostile comment stays text', async () => {
    const { workspace } = await runDemo(t.db, { seed: 7, workspace: `monthly-demo-${t.db.engine}-${Date.now()}`, responses: 6000, months: 8, endMonth: '2026-10', reportDir: mkdtempSync(join(tmpdir(), 'sada-monthly-')) });
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, touchpoint, comment, language)
       VALUES ($1, '0-hostile', 'csat', 1, 1, 5, '2026-10-15T10:00:00Z', 'checkout', $2, 'en')`,
      [workspace.id, HOSTILE],
    );
    const report = await monthlyReport(t.db, workspace, { month: '2026-10' });
    const expected = await overview(t.db, workspace, { period: 'month', at: '2026-10-01', trend: 6 });
    assert.equal(report.overview.label, '2026-10');
    assert.deepEqual(report.headline.map((c) => c.metric), ['nps', 'csat', 'ces', 'esat', 'enps']);
    for (const card of [...report.headline, ...report.support, ...report.retention]) {
      const same = expected.cards.find((c) => c.metric === card.metric)!;
      assert.deepEqual(card.current, same.current, `${card.metric} is the overview's card`);
    }
    const csat = report.headline.find((c) => c.metric === 'csat')!;
    assert.ok(csat.current!.n > 100 && csat.current!.ci, 'CSAT has answers and an interval');
    for (const { metric, explanation } of report.explained) {
      const again = await explainChange(t.db, workspace, { metric, from: '2026-09', to: '2026-10' });
      assert.equal(explanation.change, again.change, `${metric}: the explain API's change`);
      assert.equal(explanationSummary(explanation, 'en'), explanationSummary(again, 'en'));
    }
    assert.ok(report.explained.length > 0, 'the largest changes are explained');
    assert.equal(report.quotes.lowest[0]?.id, '0-hostile', 'the hostile comment is among the lowest scores');
    assert.ok(report.quotes.highest.length > 0 && report.quotes.highest.every((q) => q.score === q.scaleMax || q.score > (q.scaleMin + q.scaleMax) / 2));
    // The month's themes are GET /api/v1/text/themes over the month's comments, in the workspace's time zone.
    const month = DateTime.fromFormat('2026-10', 'yyyy-MM', { zone: workspace.timezone });
    const themes = await themesReport(t.db, workspace, { from: month.toJSDate(), to: month.plus({ months: 1 }).toJSDate() });
    assert.ok(report.themes.comments > 0 && report.themes.themes.length > 0, 'the demo month has themes');
    assert.equal(report.themes.comments, themes.comments);
    assert.deepEqual(report.themes.themes.map((theme) => [theme.label, theme.volume]), themes.themes.slice(0, 5).map((theme) => [theme.label, theme.volume]));
    assert.equal(report.alerts.total, 0);

    const html = {} as Record<Locale, string>;
    for (const locale of LOCALES) {
      const page = renderMonthlyReportHtml(report, locale);
      html[locale] = page;
      const tr = translator(locale);
      const text = visibleText(page);
      assert.match(page, /^<!DOCTYPE html>\n<html lang="[a-z]{2}" dir="(ltr|rtl)">/);
      assert.ok(page.includes(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`), `${locale}: lang and direction`);
      assert.ok(page.includes('<meta charset="utf-8">'));
      assert.doesNotMatch(page, /<(script|img|link|iframe|object|embed)\b|\b(src|href)="|url\(/i, `${locale}: no script, no markup from comments, no external request`);
      assert.ok(page.includes(escapeHtml(HOSTILE)), `${locale}: the hostile comment is shown as text`);
      assert.ok(has(text, tr('monthly.title', { month: monthName('2026-10', locale) })), `${locale}: title`);
      for (const card of report.headline.filter((c) => c.current)) {
        const { value, n, ci } = card.current!;
        assert.ok(has(text, formatValue(value, card.unit, locale)), `${locale} ${card.metric}: value ${formatValue(value, card.unit, locale)}`);
        assert.ok(has(text, tr('monthly.n', { n })), `${locale} ${card.metric}: n = ${n}`);
        assert.ok(has(text, tr('monthly.ci', { ci: `${formatValue(ci![0], card.unit, locale)} – ${formatValue(ci![1], card.unit, locale)}` })), `${locale} ${card.metric}: its interval`);
      }
      for (const { explanation } of report.explained) assert.ok(has(text, explanationSummary(explanation, locale)), `${locale}: the explanation's sentence`);
      assert.ok(has(text, tr('monthly.themes.intro', { comments: report.themes.comments })), `${locale}: the themes' sentence`);
      for (const theme of report.themes.themes) assert.ok(page.includes(`<bdi dir="auto">${escapeHtml(theme.label)}</bdi>`), `${locale}: theme ${theme.label}`);
      for (const step of report.journey.steps) assert.ok(text.includes(step.touchpoint), `${locale}: journey step ${step.touchpoint}`);
      for (const key of ['monthly.section.kpis', 'monthly.section.changes', 'monthly.section.themes', 'monthly.section.quotes', 'monthly.section.journey', 'monthly.section.support', 'monthly.section.retention', 'monthly.section.alerts', 'monthly.section.cases', 'monthly.themes.theme', 'monthly.alerts.none', 'monthly.agenda.actions'] as MessageKey[]) {
        assert.ok(has(text, tr(key)), `${locale}: ${key}`);
      }
      if (report.journey.weakest) assert.ok(has(text, tr('monthly.agenda.weakest', { touchpoint: report.journey.weakest.touchpoint, metric: tr(`metric.${report.journey.weakest.metric}` as MessageKey) })), `${locale}: the weakest step is on the agenda`);
    }
    assert.match(html.ar, /فترة الثقة/);
    assert.notEqual(html.en, html.lt);
    demo = { report, html };
  });

  test('PDF in English, Arabic and Lithuanian: A4 pages as images, the text in logical order', async (context) => {
    if (t.db.engine !== 'pglite') return context.skip('the PDF is made from the same HTML on both engines');
    assert.ok(demo, 'the demo test ran first');
    const words: Record<Locale, string[]> = {
      en: ['Monthly CX report', 'October 2026', 'Headline KPIs', 'Net Promoter Score', 'What changed and why', 'Agenda for the meeting'],
      // Words without the lam-alef ligature (pdftotext writes its two letters in visual order).
      ar: ['تقرير تجربة', 'أكتوبر', 'المؤشرات الرئيسية', 'رحلة العميل', 'جدول أعمال اجتماع'],
      lt: ['Mėnesio klientų patirties ataskaita', 'Pagrindiniai rodikliai', 'Kas pasikeitė ir kodėl', 'Kliento kelionė', 'Susitikimo darbotvarkė'],
    };
    for (const locale of LOCALES) {
      const pdf = await htmlToPdf(demo.html[locale]);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const path = join(OUTPUT, `monthly-2026-10-${locale}.pdf`);
      writeFileSync(path, pdf);
      const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
      assert.match(info, /Page size:\s+59\d\.\d+ x 841\.\d+ pts \(A4\)/, `${locale}: A4`);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      assert.ok(pages >= 3 && pages <= 8, `${locale}: ${pages} pages`);
      execFileSync('pdftoppm', ['-r', '70', '-png', path, join(OUTPUT, `monthly-2026-10-${locale}`)]);
      const images = readdirSync(OUTPUT).filter((f) => f.startsWith(`monthly-2026-10-${locale}-`) && f.endsWith('.png'));
      assert.equal(images.length, pages, `${locale}: one image per page`);
      const text = pdfText(path);
      let last = -1;
      for (const word of words[locale]) {
        const at = text.indexOf(word, last + 1);
        assert.ok(at > last, `${locale}: "${word}" comes after the words before it (logical order); text starts: ${text.slice(0, 300)}`);
        last = at;
      }
      const csat = demo.report.headline.find((c) => c.metric === 'csat')!.current!;
      const bare = (x: string) => x.replace(/[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
      assert.ok(bare(text).includes(bare(formatValue(csat.value, 'percent', locale))), `${locale}: the CSAT value ${formatValue(csat.value, 'percent', locale)} is in the PDF`);
      if (locale === 'ar') {
        // Letters come out as the Arabic letters themselves (U+0600–06FF), not as presentation forms,
        // and a whole line reads in logical order: title words first to last.
        assert.doesNotMatch(text, /[\uFE70-\uFEFF]/);
        assert.match(text, /تقرير تجربة [^\n]+ الشهري — أكتوبر/);
      }
    }
  });

  test('a planted drop: on the agenda first, explained by the touchpoint that caused it', async () => {
    const ws = await t.workspace('monthly-drop');
    for (const touchpoint of ['website', 'support', 'shipping']) await answers(t.db, ws.id, touchpoint, '2026-09', 200, 8);
    await answers(t.db, ws.id, 'website', '2026-10', 200, 8);
    await answers(t.db, ws.id, 'support', '2026-10', 200, 8);
    await answers(t.db, ws.id, 'shipping', '2026-10', 200, 4);
    const report = await monthlyReport(t.db, ws, { month: '2026-10' });
    const csat = report.headline.find((c) => c.metric === 'csat')!;
    assert.ok(Math.abs(csat.current!.value! - 200 / 3) < 1e-9);
    assert.equal(csat.current!.change!.significant, true);
    assert.equal(report.agenda[0]?.kind, 'significant_drop');
    assert.equal(report.agenda[0]?.metric, 'csat');
    assert.ok(Math.abs(report.agenda[0]!.delta! - (200 / 3 - 80)) < 1e-9);
    const cause = report.agenda.find((a) => a.kind === 'leading_cause');
    assert.equal(cause?.explanation?.contributions[0]?.group, 'shipping');
    assert.deepEqual(report.agenda.find((a) => a.kind === 'weakest_step')?.touchpoint, 'shipping');
    assert.equal(report.explained[0]?.metric, 'csat');
    const en = visibleText(renderMonthlyReportHtml(report, 'en'));
    assert.match(en, /Customer satisfaction \(CSAT\) fell by 13\.3 points since September 2026, beyond the noise/);
    assert.match(en, /Review the cause found for Customer satisfaction \(CSAT\): Customer satisfaction \(CSAT\) fell by 13\.3 points from 2026-09 to 2026-10 \(significant\)\. The largest part, 13\.3 points, comes from touchpoint “shipping”/);
    const ar = visibleText(renderMonthlyReportHtml(report, 'ar'));
    assert.ok(has(ar, translator('ar')('monthly.agenda.drop', { metric: translator('ar')('metric.csat'), delta: translator('ar')('explain.points', { points: new Intl.NumberFormat('ar', { maximumFractionDigits: 1 }).format(80 - 200 / 3) }), month: monthName('2026-09', 'ar') })));
    // An empty month is a report too, saying there is nothing.
    const empty = await monthlyReport(t.db, ws, { month: '2026-12' });
    assert.equal(empty.headline.find((c) => c.metric === 'csat')!.current, null);
    assert.ok(has(visibleText(renderMonthlyReportHtml(empty, 'lt')), translator('lt')('monthly.noData')));
    await assert.rejects(monthlyReport(t.db, ws, { month: '2026-13' }), /month must be a calendar month written YYYY-MM/);
  });

  test('alerts fired in the month are listed and put on the agenda', async () => {
    const ws = await t.workspace('monthly-alerts');
    await answers(t.db, ws.id, 'website', '2026-10', 50, 8);
    const [rule] = await t.db.query<{ id: number }>(`INSERT INTO alert_rules (workspace_id, name, kind, metric, created_by) VALUES ($1, $2, 'threshold', 'csat', 'test') RETURNING id`, [ws.id, 'CSAT <under> 85']);
    const figure = { metric: 'csat', periodName: 'month', period: '2026-10', value: 80, n: 50, ci: [67, 89], threshold: 85, direction: 'below' };
    for (const [key, at, suppressed] of [['a', '2026-10-20T08:00:00Z', false], ['b', '2026-10-21T08:00:00Z', true], ['c', '2026-11-02T08:00:00Z', false]] as const) {
      await t.db.query(`INSERT INTO alert_events (workspace_id, rule_id, rule_name, kind, dedupe_key, period, figure, suppressed, fired_at) VALUES ($1, $2, 'CSAT <under> 85', 'threshold', $3, '2026-10', $4::jsonb, $5, $6)`, [ws.id, rule!.id, key, JSON.stringify(figure), suppressed, at]);
    }
    const report = await monthlyReport(t.db, ws, { month: '2026-10' });
    assert.equal(report.alerts.total, 1);
    assert.equal(report.alerts.suppressed, 1);
    assert.equal(report.alerts.alerts.length, 1);
    assert.deepEqual(report.agenda.find((a) => a.kind === 'alerts')?.count, 1);
    const page = renderMonthlyReportHtml(report, 'en');
    assert.ok(page.includes('CSAT &lt;under&gt; 85'));
    assert.match(visibleText(page), /1 alert was sent this month; 1 more fired within a rule’s cool-down and were not sent\./);
    assert.match(visibleText(page), /Customer satisfaction \(CSAT\) was 80% in 2026-10 \(n = 50, 95% interval 67% to 89%\), below 85%\./);
    assert.match(visibleText(page), /1 alert fired this month: review/);
  });

  test('the closed loop: the month’s case metrics are the cases API’s, overdue cases go on the agenda', async () => {
    const ws = await t.workspace('monthly-cases');
    await t.db.query(
      `INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, submitted_at, customer_id) VALUES
         ($1, 'low', 'csat', 1, 1, 5, '2026-10-05T09:00:00Z', 'c1'), ($1, 'again', 'csat', 5, 1, 5, '2026-10-20T09:00:00Z', 'c1'),
         ($1, 'low2', 'csat', 2, 1, 5, '2026-10-06T09:00:00Z', 'c2')`,
      [ws.id],
    );
    assert.equal((await openCasesFor(t.db, ws.id, ['low', 'again', 'low2'])).length, 2, 'the two low answers open cases');
    // Opened in October (a backfill would open them now): one resolved within its SLA, one overdue.
    await t.db.query(`UPDATE cases SET opened_at = answered_at, due_at = answered_at + interval '48 hours' WHERE workspace_id = $1`, [ws.id]);
    await t.db.query(`UPDATE cases SET status = 'resolved', resolved_at = opened_at + interval '5 hours' WHERE workspace_id = $1 AND response_id = 'low2'`, [ws.id]);
    const report = await monthlyReport(t.db, ws, { month: '2026-10' });
    const token = 'a-monthly-report-test-token-long-enough';
    const app = createApp({ db: t.db, version: 'test', apiToken: token });
    const api = await (await app.request(`/api/v1/cases/metrics?workspace=${ws.name}&from=2026-10-01&to=2026-10-31`, { headers: { authorization: `Bearer ${token}` } })).json();
    const { opened } = report.cases;
    assert.equal(opened.cases, 2);
    assert.equal(opened.cases, api.cases);
    assert.deepEqual([opened.timeToClose.estimate, opened.timeToClose.n, opened.timeToClose.censored], [api.timeToClose.estimate, api.timeToClose.n, api.timeToClose.censored]);
    assert.deepEqual([opened.timeToClose.estimate, opened.timeToClose.n], [5 * 3600, 1]);
    assert.deepEqual([opened.withinSla.x, opened.withinSla.n, opened.withinSla.ci], [api.withinSla.x, api.withinSla.n, api.withinSla.ci]);
    assert.deepEqual([opened.withinSla.x, opened.withinSla.n], [1, 2], 'the resolved one in time, the open one past its due date');
    assert.deepEqual([opened.recovery.x, opened.recovery.n], [api.recovery.x, api.recovery.n]);
    assert.deepEqual([opened.recovery.x, opened.recovery.n, opened.recovery.awaiting], [1, 1, 1], 'c1 answered 5 after 1; c2 has not answered again');
    assert.equal(report.cases.overdueNow, 1);
    assert.deepEqual(report.agenda.find((a) => a.kind === 'overdue_cases')?.count, 1);
    const en = visibleText(renderMonthlyReportHtml(report, 'en'));
    assert.match(en, /2 follow-up cases were opened this month\. 1 case is overdue now\./);
    assert.match(en, /Closed within the SLA 50\.0% 95% CI [\d.]+% – [\d.]+% n = 2/);
    assert.match(en, /1 follow-up case is overdue: give each an owner and close the loop\./);
    const ar = visibleText(renderMonthlyReportHtml(report, 'ar'));
    assert.ok(has(ar, translator('ar')('monthly.cases.opened', { count: 2 })), 'Arabic dual');
  });

  test('GET /api/v1/reports/monthly: viewers read the page or the PDF; bad input is a 400 people can act on; another workspace is a 404', async () => {
    const ws = await t.workspace('monthly-api');
    const other = await t.workspace('monthly-api-other');
    await answers(t.db, ws.id, 'website', '2026-10', 40, 8);
    const viewer = (await createApiKey(t.db, { workspaceId: ws.id, name: 'viewer', role: 'viewer' })).secret;
    const outsider = (await createApiKey(t.db, { workspaceId: other.id, name: 'admin', role: 'admin' })).secret;
    const app = createApp({ db: t.db, version: 'test' });
    const get = (query: string, key = viewer) => app.request(`/api/v1/reports/monthly?${query}`, { headers: { authorization: `Bearer ${key}` } });
    const html = await get(`workspace=${ws.name}&month=2026-10&lang=ar`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(html.headers.get('content-security-policy') ?? '', /default-src 'none'; style-src 'unsafe-inline'/);
    const page = await html.text();
    assert.match(page, /<html lang="ar" dir="rtl">/);
    const report = await monthlyReport(t.db, ws, { month: '2026-10' });
    assert.equal(page, renderMonthlyReportHtml(report, 'ar'), 'the same page as the CLI writes');
    const pdf = await get(`workspace=${ws.name}&month=2026-10&lang=lt&format=pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.headers.get('content-disposition') ?? '', /attachment; filename="sada-monthly-api-[^"]+-2026-10-lt\.pdf"/);
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1'), '%PDF-');
    for (const [query, message] of [['month=2026-13', /month must be a calendar month written YYYY-MM/], ['', /month is required/], ['month=2026-10&lang=fr', /lang must be one of en, ar, lt/], ['month=2026-10&format=docx', /format must be html or pdf/]] as const) {
      const bad = await get(`workspace=${ws.name}&${query}`);
      assert.equal(bad.status, 400, query);
      const body = await bad.json();
      assert.equal(body.error, 'bad_request');
      assert.match(body.message, message);
    }
    const foreign = await get(`workspace=${ws.name}&month=2026-10`, outsider);
    assert.equal(foreign.status, 404);
    assert.doesNotMatch(await foreign.text(), /website/);
  });

  test('the scheduled e-mail: the previous month’s report as HTML with the PDF attached, sent once across restarts', async () => {
    const ws = await t.workspace('monthly-mail');
    await answers(t.db, ws.id, 'website', '2026-10', 60, 7);
    assert.throws(() => parseSchedule({ recipients: ['not-an-address'], language: 'en', day: 3 }), ScheduleError);
    assert.throws(() => parseSchedule({ recipients: ['a@example.test'], language: 'fr', day: 3 }), /language must be one of en, ar, lt/);
    assert.throws(() => parseSchedule({ recipients: ['a@example.test'], language: 'en', day: 31 }), /from 1 to 28/);
    // The schedule's arithmetic: day 3 at 07:00 in the workspace's zone, for the month before.
    assert.deepEqual(nextReport(3, 'Europe/Vilnius', new Date('2026-11-02T12:00:00Z')), { month: '2026-10', runAt: new Date('2026-11-03T05:00:00Z') });
    assert.deepEqual(nextReport(3, 'UTC', new Date('2026-11-03T07:00:01Z')), { month: '2026-11', runAt: new Date('2026-12-03T07:00:00Z') });
    assert.deepEqual(dueAt('2026-12', 28, 'Asia/Riyadh'), new Date('2027-01-28T04:00:00Z'));

    const schedule = parseSchedule({ recipients: ['cx-lead@example.test', ' ops@example.test'], language: 'ar', day: 3 });
    const next = await setMonthlyReportSchedule(t.db, ws, schedule, new Date('2026-11-02T12:00:00Z'));
    assert.equal(next?.month, '2026-10');
    // Saving it again (a restart, a second admin) queues nothing more.
    await setMonthlyReportSchedule(t.db, ws, schedule, new Date('2026-11-02T12:00:00Z'));
    assert.deepEqual((await listJobs(t.db, ws.id, SEND_MONTHLY_REPORT)).map((j) => [j.status, j.payload.month]), [['queued', '2026-10']]);

    const inbox = await startInbox();
    const mailer = smtpMailer(`smtp://127.0.0.1:${inbox.port}`, 'Sada <reports@example.test>');
    try {
      const run = async () => {
        const worker = new JobWorker(t.db, { [SEND_MONTHLY_REPORT]: sendMonthlyReportHandler({ db: t.db, mailer }) }, { workspaceIds: [ws.id], log: () => {} });
        await worker.runOnce();
        await worker.stop();
      };
      await run();
      const [mail] = await inbox.next(1, 20_000);
      assert.deepEqual(mail!.to && !Array.isArray(mail!.to) ? mail!.to.value.map((a) => a.address) : [], ['cx-lead@example.test', 'ops@example.test']);
      assert.equal(mail!.subject, translator('ar')('monthly.email.subject', { month: monthName('2026-10', 'ar'), workspace: ws.name }));
      assert.match(String(mail!.html), /<html lang="ar" dir="rtl">/);
      assert.equal(mail!.attachments.length, 1);
      assert.equal(mail!.attachments[0]!.contentType, 'application/pdf');
      assert.equal(mail!.attachments[0]!.filename, `sada-${ws.name}-2026-10-ar.pdf`);
      assert.equal(mail!.attachments[0]!.content.subarray(0, 5).toString('latin1'), '%PDF-');
      const jobs = await listJobs(t.db, ws.id, SEND_MONTHLY_REPORT);
      assert.deepEqual(jobs.map((j) => [j.status, j.payload.month]), [['done', '2026-10'], ['queued', '2026-11']]);
      assert.deepEqual(new Date(jobs[1]!.run_at), dueAt('2026-11', 3, ws.timezone));
      // Keep November's report (due on 3 December, maybe already past) out of the rest of this test.
      await t.db.query(`UPDATE jobs SET run_at = now() + interval '30 days' WHERE workspace_id = $1 AND kind = $2 AND status = 'queued'`, [ws.id, SEND_MONTHLY_REPORT]);

      // A restart: the schedule saved again and a new worker. October was sent: never again.
      await setMonthlyReportSchedule(t.db, ws, schedule, new Date('2026-11-02T12:00:00Z'));
      await t.db.query(`UPDATE jobs SET run_at = now() + interval '30 days' WHERE workspace_id = $1 AND kind = $2 AND status = 'queued'`, [ws.id, SEND_MONTHLY_REPORT]);
      await run();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(inbox.messages.length, 0, 'nothing more was sent');
      assert.deepEqual((await listJobs(t.db, ws.id, SEND_MONTHLY_REPORT)).map((j) => [j.status, j.payload.month]), [['done', '2026-10'], ['queued', '2026-11']]);

      // Turned off: the waiting job goes, and a job left over finds no schedule and sends nothing.
      await setMonthlyReportSchedule(t.db, ws, null);
      assert.deepEqual((await listJobs(t.db, ws.id, SEND_MONTHLY_REPORT)).map((j) => j.status), ['done']);
    } finally {
      mailer.close();
      await inbox.close();
    }
  });
});

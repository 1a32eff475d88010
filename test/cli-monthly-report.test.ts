import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sada } from './support/cli.ts';

/** `sada report monthly` and `sada report schedule` as a person types them (embedded database). */
test('sada report monthly writes the HTML or PDF; bad month, language or format say what to type; sada report schedule', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sada-cli-monthly-'));
  const env = { SADA_DATA_DIR: join(dir, 'data'), SADA_DATABASE_URL: '', LANG: 'en_US.UTF-8' };
  const created = await sada(['survey', 'create', 'examples/surveys/website.json', '--workspace', 'acme'], env);
  assert.equal(created.code, 0, created.stderr);

  const html = join(dir, 'report.html');
  const ok = await sada(['report', 'monthly', '--month', '2026-10', '--lang', 'ar', '--format', 'html', '--out', html, '--workspace', 'acme'], env);
  assert.equal(ok.code, 0, ok.stderr);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<html lang="ar" dir="rtl">/);
  assert.match(page, /تقرير تجربة العملاء الشهري/);

  const pdf = join(dir, 'report.pdf');
  const printed = await sada(['report', 'monthly', '--month', '2026-10', '--lang', 'lt', '--format', 'pdf', '--out', pdf, '-w', 'acme'], env);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');

  for (const [args, message] of [
    [['--month', '10/2026', '--lang', 'en', '--format', 'html', '--out', html], /--month must be a calendar month written YYYY-MM \(e\.g\. 2026-10\), not "10\/2026"/],
    [['--month', '2026-10', '--lang', 'de', '--format', 'html', '--out', html], /--lang must be one of en, ar, lt, not "de"/],
    [['--month', '2026-10', '--lang', 'en', '--format', 'docx', '--out', html], /--format must be html or pdf, not "docx"/],
    [['--month', '2026-10', '--lang', 'en', '--format', 'html'], /--out must name the file to write/],
    [['--month', '2026-10', '--lang', 'en', '--format', 'html', '--out', html, '--workspace', 'nope'], /there is no workspace "nope"/],
  ] as const) {
    const bad = await sada(['report', 'monthly', ...args, ...((args as readonly string[]).includes('--workspace') ? [] : ['--workspace', 'acme'])], env);
    assert.equal(bad.code, 1, args.join(' '));
    assert.match(bad.stderr, message);
  }
  // The metric report is as before, and says what is missing without --metric.
  const metric = await sada(['report', '--metric', 'csat', '--workspace', 'acme', '--format', 'json'], env);
  assert.equal(metric.code, 0, metric.stderr);
  assert.equal(JSON.parse(metric.stdout).metric, 'csat');
  const noMetric = await sada(['report', '--workspace', 'acme'], env);
  assert.equal(noMetric.code, 1);
  assert.match(noMetric.stderr, /say which metric: --metric <name>/);

  const scheduled = await sada(['report', 'schedule', '--workspace', 'acme', '--to', 'lead@example.test,ops@example.test', '--lang', 'ar', '--day', '3'], env);
  assert.equal(scheduled.code, 0, scheduled.stderr);
  assert.match(scheduled.stdout, /goes to lead@example\.test, ops@example\.test at \d{4}-\d{2}-03T07:00:00\.000Z/);
  const shown = await sada(['report', 'schedule', '--workspace', 'acme'], env);
  assert.match(shown.stdout, /goes to lead@example\.test, ops@example\.test in ar on day 3 of each month/);
  const badDay = await sada(['report', 'schedule', '--workspace', 'acme', '--to', 'lead@example.test', '--day', '31'], env);
  assert.equal(badDay.code, 1);
  assert.match(badDay.stderr, /day must be a day of the month from 1 to 28/);
  const off = await sada(['report', 'schedule', '--workspace', 'acme', '--off'], env);
  assert.match(off.stdout, /no longer sent/);
});

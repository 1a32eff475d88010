import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { LOCALES } from '../../i18n/index.ts';
import { MONTH, monthlyReport } from '../../reports/monthly.ts';
import { renderMonthlyReportHtml } from '../../reports/monthly-html.ts';
import { htmlToPdf, PdfUnavailable } from '../../reports/monthly-pdf.ts';
import type { Database } from '../../storage/database.ts';
import { pickLocale } from '../locale.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { workspaceOf } from '../workspace-access.ts';

/**
 * GET /api/v1/reports/monthly?month=2026-10&lang=ar&format=html|pdf — the monthly CX report
 * (docs/reports.md), the same page `sada report monthly` writes. Viewers may read it. The HTML
 * is served with a policy that allows its own inline styles and nothing else: no script, no
 * request anywhere.
 */

export const monthlyReportQuery = z.object({
  month: z.string({ required_error: 'month is required: a calendar month written YYYY-MM, e.g. 2026-10' }).regex(MONTH, 'month must be a calendar month written YYYY-MM, e.g. 2026-10').describe('The month, YYYY-MM'),
  lang: z.enum(LOCALES, { errorMap: () => ({ message: `lang must be one of ${LOCALES.join(', ')}` }) }).optional().describe('Language (default: the caller’s); Arabic is right to left'),
  format: z.enum(['html', 'pdf'], { errorMap: () => ({ message: 'format must be html or pdf' }) }).default('html').describe('html (a printable page) or pdf (A4)'),
});

const op = apiOperation({
  method: 'get',
  path: '/api/v1/reports/monthly',
  tag: 'metrics',
  role: 'viewer',
  summary: 'The monthly CX report as a printable HTML page or an A4 PDF',
  query: monthlyReportQuery,
  responses: { 200: 'text/html or application/pdf', 400: 'Not a valid month, language or format', 503: 'PDF needs Chromium on the server' },
});

const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function monthlyReportRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  routes.get('/reports/monthly', async (c) => {
    const workspace = await workspaceOf(c, { db, defaultWorkspace }, 'viewer');
    const query = parseQuery(c, op.query!) as z.output<typeof monthlyReportQuery>;
    const locale = query.lang ?? pickLocale(c);
    const html = renderMonthlyReportHtml(await monthlyReport(db, workspace, { month: query.month }), locale);
    const name = `sada-${workspace.name}-${query.month}-${locale}`;
    c.header('Cache-Control', 'private, no-store');
    if (query.format === 'html') {
      c.header('Content-Security-Policy', REPORT_CSP);
      c.header('Content-Disposition', `inline; filename="${name}.html"`);
      return c.html(html);
    }
    let pdf: Buffer;
    try {
      pdf = await htmlToPdf(html);
    } catch (error) {
      if (error instanceof PdfUnavailable) throw new HTTPException(503, { message: `${error.message}. The HTML report (format=html) can be printed to PDF from a browser.` });
      throw error;
    }
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `attachment; filename="${name}.pdf"`);
    return c.body(new Uint8Array(pdf));
  });
  return routes;
}

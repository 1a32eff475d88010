import { Hono } from 'hono';
import { z } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { AT_RISK_REASONS, type AtRiskReason } from '../../metrics/at-risk.ts';
import { atRiskReport } from '../../reports/at-risk.ts';
import { customerProfile, isProfileAttribute, PROFILE_ATTRIBUTES } from '../../reports/customer-profile.ts';
import { ReportError } from '../../reports/metric-report.ts';
import { parseMonths } from '../../reports/report-window.ts';
import { retentionReport } from '../../reports/retention.ts';
import type { Database } from '../../storage/database.ts';
import { apiOperation, parseQuery } from '../openapi.ts';
import { text } from '../query-params.ts';
import { workspaceOf } from '../workspace-access.ts';

export const MAX_AT_RISK_LIMIT = 5000;

const months = text('How many months back from the latest with data');
const atRiskQuery = z.object({
  limit: text(`How many, 1 to ${MAX_AT_RISK_LIMIT}; default 100`),
  reason: text(`${AT_RISK_REASONS.join(' or ')}; default both`),
  segment: z.array(z.string()).describe('Only these segments; repeat for several').optional(),
});
const profileQuery = z.object({ attribute: text(`One of ${PROFILE_ATTRIBUTES.join(', ')}; default segment`), months, currency: text('Revenue in this currency (ISO 4217)') });
const retentionQuery = z.object({ months, segment: text('Only this segment') });
apiOperation({ method: 'get', path: '/api/v1/customers/at-risk', tag: 'customers', role: 'viewer', summary: 'Customers at risk of leaving', query: atRiskQuery, responses: { 200: 'Customers', 400: 'Not a valid limit or reason' } });
apiOperation({ method: 'get', path: '/api/v1/customers/profile', tag: 'customers', role: 'viewer', summary: 'Satisfaction, retention and revenue by one profile attribute', query: profileQuery, responses: { 200: 'Profile', 400: 'Not a valid attribute or window' } });
apiOperation({ method: 'get', path: '/api/v1/retention', tag: 'customers', role: 'viewer', summary: 'Churn, retention, repeat purchases and cohorts by month', query: retentionQuery, responses: { 200: 'Retention', 400: 'Not a valid window' } });

/**
 * The retention and customer pages' API (viewers may read):
 * - GET /api/v1/customers/at-risk?workspace=&limit=&reason=overdue|detractor&segment= — customers
 *   at risk for a win-back offer (docs/metrics.md#customers-at-risk).
 * - GET /api/v1/customers/profile?workspace=&attribute=&months=&currency= — the ideal-customer
 *   profile: satisfaction, retention and revenue by one profile attribute.
 * - GET /api/v1/retention?workspace=&months=&segment= — churn, retention, repeat purchases and cohorts.
 */
export function customerRoutes(db: Database, defaultWorkspace: string): Hono {
  const routes = new Hono();
  const access = { db, defaultWorkspace };

  const answer = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ReportError) throw new HTTPException(400, { message: error.message });
      throw error;
    }
  };

  routes.get('/customers/at-risk', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, atRiskQuery);
    const limitText = query.limit;
    const limit = limitText === undefined || limitText === '' ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AT_RISK_LIMIT) {
      throw new HTTPException(400, { message: `limit must be a whole number from 1 to ${MAX_AT_RISK_LIMIT}, not "${limitText}"` });
    }
    const reason = query.reason || undefined;
    if (reason !== undefined && !(AT_RISK_REASONS as readonly string[]).includes(reason)) {
      throw new HTTPException(400, { message: `reason must be ${AT_RISK_REASONS.join(' or ')} (or left out for both), not "${reason}"` });
    }
    const segments = (query.segment ?? []).filter((s) => s !== '');
    return c.json(await answer(() => atRiskReport(db, workspace, { limit, reason: reason as AtRiskReason | undefined, segments })));
  });

  routes.get('/customers/profile', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, profileQuery);
    const attribute = query.attribute || 'segment';
    if (!isProfileAttribute(attribute)) throw new HTTPException(400, { message: `attribute must be one of ${PROFILE_ATTRIBUTES.join(', ')}, not "${attribute}"` });
    return c.json(await answer(async () => customerProfile(db, workspace, { attribute, months: parseMonths(query.months), currency: query.currency || undefined })));
  });

  routes.get('/retention', async (c) => {
    const workspace = await workspaceOf(c, access, 'viewer');
    const query = parseQuery(c, retentionQuery);
    return c.json(await answer(async () => retentionReport(db, workspace, { months: parseMonths(query.months), segment: query.segment || undefined })));
  });
  return routes;
}

import {
  DETRACTOR_WINDOW_DAYS,
  GAP_FACTOR,
  MIN_ORDERS,
  WORKSPACE_GAP_PERCENTILE,
  type AtRiskReason,
  type ScoredAnswer,
} from '../metrics/at-risk.ts';
import type { Database } from './database.ts';
import { KEPT_ORDER } from './metrics/lifecycle.ts';

/**
 * The customers at risk (docs/metrics.md#customers-at-risk), found in SQL with the rule of
 * src/metrics/at-risk.ts: overdue buyers (longer without an order than max(1.5 × their median
 * gap, the workspace's p80 gap)) and recent detractors (their latest NPS or CSAT answer of the
 * last 90 days is 0–6 or bottom-box). The report re-checks every row with the pure rule.
 */

const DAY_SECONDS = 86_400;

/** The 80th percentile (type 1) of days between a customer's consecutive orders, rounded up, at least 1; null without repeat buyers. */
export async function orderGapP80Days(db: Pick<Database, 'query'>, workspaceId: number, asOf?: Date): Promise<number | null> {
  const [row] = await db.query<{ days: number | null }>(
    `SELECT percentile_disc(${WORKSPACE_GAP_PERCENTILE}) WITHIN GROUP (ORDER BY gap) AS days FROM (
       SELECT extract(epoch FROM o.placed_at - lag(o.placed_at) OVER (PARTITION BY o.customer_id ORDER BY o.placed_at)) / ${DAY_SECONDS} AS gap
       FROM orders o WHERE o.workspace_id = $1 AND o.customer_id IS NOT NULL AND ${KEPT_ORDER} AND ($2::timestamptz IS NULL OR o.placed_at <= $2)
     ) gaps WHERE gap IS NOT NULL`,
    [workspaceId, asOf ?? null],
  );
  return row?.days == null ? null : Math.max(1, Math.ceil(Number(row.days)));
}

export interface AtRiskQuery {
  workspaceId: number;
  asOf: Date;
  /** The workspace's p80 gap (orderGapP80Days); null: nobody can be overdue. */
  workspaceGapDays: number | null;
  reason?: AtRiskReason;
  segments?: string[];
  limit: number;
}

export interface AtRiskRow {
  customerId: string;
  name: string | null;
  email: string | null;
  segment: string | null;
  orders: number;
  lastOrderAt: Date | null;
  usualGapDays: number | null;
  /** The customer's latest NPS and CSAT answers within the detractor window. */
  windowAnswers: ScoredAnswer[];
  /** The customer's latest NPS or CSAT answer at or before the as-of moment, of any date. */
  lastAnswer: ScoredAnswer | null;
}

export interface AtRiskCounts {
  /** At risk for any reason (with the segment filter, without the reason filter). */
  any: number;
  overdue: number;
  detractor: number;
  /** Rows matching every filter (before the limit). */
  matching: number;
}

const DETRACTOR_SQL = `(
  (l.kind = 'nps' AND l.scale_max = 10 AND l.scale_min IN (0, 1) AND l.score <= 6)
  OR (l.kind = 'csat' AND l.scale_max - l.scale_min <= 1 AND l.score <= l.scale_min)
  OR (l.kind = 'csat' AND l.scale_max - l.scale_min > 1 AND l.score <= l.scale_min + 1))`;

/** The CTEs ending in `at_risk`; `params` must hold only the workspace id: the as-of moment becomes $2. */
function candidatesSql(query: AtRiskQuery, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const asOf = param(query.asOf);
  const windowStart = param(new Date(query.asOf.getTime() - DETRACTOR_WINDOW_DAYS * DAY_SECONDS * 1000));
  const gap = param(query.workspaceGapDays);
  const segmentFilter = query.segments && query.segments.length > 0 ? `AND c.segment = ANY(${param(query.segments)}::text[])` : '';
  return `
    WITH kept AS (
      SELECT o.customer_id, o.placed_at,
        extract(epoch FROM o.placed_at - lag(o.placed_at) OVER (PARTITION BY o.customer_id ORDER BY o.placed_at)) / ${DAY_SECONDS} AS gap
      FROM orders o
      WHERE o.workspace_id = $1 AND o.customer_id IS NOT NULL AND ${KEPT_ORDER} AND o.placed_at <= ${asOf}
    ),
    buyers AS (
      SELECT customer_id, count(*)::integer AS orders, max(placed_at) AS last_order,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS usual_gap
      FROM kept GROUP BY customer_id
    ),
    overdue AS (
      SELECT customer_id,
        last_order + make_interval(secs => greatest(${GAP_FACTOR} * usual_gap, ${gap}::double precision) * ${DAY_SECONDS}) AS since
      FROM buyers
      WHERE orders >= ${MIN_ORDERS} AND ${gap}::double precision IS NOT NULL AND usual_gap IS NOT NULL
        AND extract(epoch FROM ${asOf}::timestamptz - last_order) / ${DAY_SECONDS} > greatest(${GAP_FACTOR} * usual_gap, ${gap}::double precision)
    ),
    latest AS (
      SELECT DISTINCT ON (r.customer_id, r.kind) r.customer_id, r.kind, r.score, r.scale_min, r.scale_max, r.submitted_at
      FROM responses r
      WHERE r.workspace_id = $1 AND r.kind IN ('nps', 'csat') AND r.customer_id IS NOT NULL AND r.score IS NOT NULL
        AND r.submitted_at > ${windowStart} AND r.submitted_at <= ${asOf}
      ORDER BY r.customer_id, r.kind, r.submitted_at DESC, r.id DESC
    ),
    detractors AS (
      SELECT l.customer_id, max(l.submitted_at) AS since FROM latest l WHERE ${DETRACTOR_SQL} GROUP BY l.customer_id
    ),
    candidates AS (
      SELECT coalesce(o.customer_id, d.customer_id) AS customer_id,
        o.customer_id IS NOT NULL AS is_overdue, d.customer_id IS NOT NULL AS is_detractor,
        greatest(o.since, d.since) AS since
      FROM overdue o FULL JOIN detractors d ON d.customer_id = o.customer_id
    ),
    at_risk AS (
      SELECT x.*, c.name, c.email, c.segment
      FROM candidates x LEFT JOIN customers c ON c.workspace_id = $1 AND c.id = x.customer_id
      WHERE true ${segmentFilter}
    )`;
}

const reasonCondition = (reason: AtRiskReason | undefined) => (reason === 'overdue' ? 'is_overdue' : reason === 'detractor' ? 'is_detractor' : 'true');

export async function atRiskCounts(db: Pick<Database, 'query'>, query: AtRiskQuery): Promise<AtRiskCounts> {
  const params: unknown[] = [query.workspaceId];
  const [row] = await db.query<Record<string, unknown>>(
    `${candidatesSql(query, params)}
     SELECT count(*)::integer AS any, count(*) FILTER (WHERE is_overdue)::integer AS overdue,
       count(*) FILTER (WHERE is_detractor)::integer AS detractor,
       count(*) FILTER (WHERE ${reasonCondition(query.reason)})::integer AS matching
     FROM at_risk`,
    params,
  );
  return { any: Number(row?.any ?? 0), overdue: Number(row?.overdue ?? 0), detractor: Number(row?.detractor ?? 0), matching: Number(row?.matching ?? 0) };
}

interface RawAnswer {
  kind: 'nps' | 'csat';
  score: number;
  scale_min: number;
  scale_max: number;
  submitted_at: string | Date;
}

const answerOf = (a: RawAnswer): ScoredAnswer => ({
  kind: a.kind,
  score: Number(a.score),
  scaleMin: Number(a.scale_min),
  scaleMax: Number(a.scale_max),
  submittedAt: new Date(a.submitted_at),
});

/** The at-risk customers matching the filters, the most recent to become at risk first. */
export async function atRiskCustomers(db: Pick<Database, 'query'>, query: AtRiskQuery): Promise<AtRiskRow[]> {
  const params: unknown[] = [query.workspaceId];
  const cte = candidatesSql(query, params);
  params.push(query.limit);
  const limit = `$${params.length}`;
  const rows = await db.query<Record<string, unknown>>(
    `${cte}
     SELECT a.customer_id, a.name, a.email, a.segment, a.since,
       b.orders, b.last_order, b.usual_gap,
       (SELECT json_agg(json_build_object('kind', l.kind, 'score', l.score, 'scale_min', l.scale_min, 'scale_max', l.scale_max, 'submitted_at', l.submitted_at))
          FROM latest l WHERE l.customer_id = a.customer_id) AS window_answers,
       (SELECT json_build_object('kind', r.kind, 'score', r.score, 'scale_min', r.scale_min, 'scale_max', r.scale_max, 'submitted_at', r.submitted_at)
          FROM responses r
          WHERE r.workspace_id = $1 AND r.customer_id = a.customer_id AND r.kind IN ('nps', 'csat') AND r.score IS NOT NULL AND r.submitted_at <= $2
          ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1) AS last_answer
     FROM at_risk a LEFT JOIN buyers b ON b.customer_id = a.customer_id
     WHERE ${reasonCondition(query.reason)}
     ORDER BY a.since DESC, a.customer_id
     LIMIT ${limit}`,
    params,
  );
  return rows.map((row) => {
    const windowAnswers = (parseJson(row.window_answers) as RawAnswer[] | null) ?? [];
    const last = parseJson(row.last_answer) as RawAnswer | null;
    return {
      customerId: String(row.customer_id),
      name: (row.name as string | null) ?? null,
      email: (row.email as string | null) ?? null,
      segment: (row.segment as string | null) ?? null,
      orders: Number(row.orders ?? 0),
      lastOrderAt: row.last_order ? new Date(row.last_order as string) : null,
      usualGapDays: row.usual_gap == null ? null : Number(row.usual_gap),
      windowAnswers: windowAnswers.map(answerOf),
      lastAnswer: last ? answerOf(last) : null,
    };
  });
}

const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : (value ?? null));

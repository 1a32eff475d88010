import type { Database } from './database.ts';
import type { StoredSentiment } from './text-sentiment.ts';

/**
 * The Responses page's reads: customers' answers and comments, filtered and searched, a page at a
 * time in a stable order (newest first, then id: keyset pagination, so a page never repeats or
 * skips a row when answers arrive in between); and one customer's responses, tickets and orders
 * in time order. Every query starts from the workspace: a customer id of another workspace finds
 * nothing. Employees' answers (ESAT, eNPS) are not listed: they are confidential
 * (docs/metrics.md#employee-survey-confidentiality).
 */

export interface ResponseFilter {
  /** Words or a phrase to find in comments (and chosen answers), case-insensitive. */
  q?: string;
  kinds?: string[];
  scoreMin?: number;
  scoreMax?: number;
  languages?: string[];
  touchpoints?: string[];
  surveys?: string[];
  /** Only answers of customers in these segments (customers.segment). */
  segments?: string[];
  /** Only answers that have a comment. */
  withComment?: boolean;
  /** Inclusive start and exclusive end. */
  from?: Date;
  to?: Date;
}

/** Where the previous page ended: the last row's time (microseconds, UTC) and id. */
export interface ResponseCursor {
  at: string;
  id: string;
}

export interface ListedResponse {
  id: string;
  kind: string;
  score: number | null;
  scaleMin: number | null;
  scaleMax: number | null;
  answer: string | null;
  comment: string | null;
  language: string | null;
  touchpoint: string | null;
  channel: string | null;
  surveyId: string | null;
  questionId: string | null;
  customerId: string | null;
  customerName: string | null;
  submittedAt: string;
  /** The stored sentiment of an unscored comment (`score_sentiment` job, docs/text-analysis.md); null when it has none (a scored answer's score is its label). */
  sentiment: StoredSentiment | null;
}

interface Row {
  id: string;
  kind: string;
  score: number | null;
  scale_min: number | null;
  scale_max: number | null;
  answer: string | null;
  comment: string | null;
  language: string | null;
  touchpoint: string | null;
  channel: string | null;
  survey_id: string | null;
  question_id: string | null;
  customer_id: string | null;
  customer_name: string | null;
  submitted_at: Date;
  cursor_at: string;
  sentiment_label?: StoredSentiment['label'] | null;
  sentiment_p_negative?: number | null;
  sentiment_method?: StoredSentiment['method'] | null;
  sentiment_language?: string | null;
}

/** LIKE treats % _ and \ as patterns: a search is for the text as typed. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The employee kinds: never listed here. */
export const EMPLOYEE_KINDS = ['esat', 'enps'] as const;

function filterSql(workspaceId: number, filter: ResponseFilter): { where: string[]; params: unknown[] } {
  const params: unknown[] = [workspaceId];
  const p = (value: unknown) => (params.push(value), `$${params.length}`);
  const where = ['r.workspace_id = $1', 'r.employee_id IS NULL', `r.kind <> ALL(${p(EMPLOYEE_KINDS)}::text[])`];
  if (filter.kinds?.length) where.push(`r.kind = ANY(${p(filter.kinds)}::text[])`);
  if (filter.scoreMin !== undefined) where.push(`r.score >= ${p(filter.scoreMin)}`);
  if (filter.scoreMax !== undefined) where.push(`r.score <= ${p(filter.scoreMax)}`);
  if (filter.languages?.length) where.push(`r.language = ANY(${p(filter.languages)}::text[])`);
  if (filter.touchpoints?.length) where.push(`r.touchpoint = ANY(${p(filter.touchpoints)}::text[])`);
  if (filter.surveys?.length) where.push(`r.survey_id = ANY(${p(filter.surveys)}::text[])`);
  if (filter.segments?.length) {
    where.push(`EXISTS (SELECT 1 FROM customers c WHERE c.workspace_id = r.workspace_id AND c.id = r.customer_id AND c.segment = ANY(${p(filter.segments)}::text[]))`);
  }
  if (filter.withComment) where.push(`r.comment IS NOT NULL AND r.comment <> ''`);
  if (filter.from) where.push(`r.submitted_at >= ${p(filter.from)}`);
  if (filter.to) where.push(`r.submitted_at < ${p(filter.to)}`);
  if (filter.q) {
    const pattern = p(likePattern(filter.q));
    where.push(`(r.comment ILIKE ${pattern} ESCAPE '\\' OR r.answer ILIKE ${pattern} ESCAPE '\\')`);
  }
  return { where, params };
}

export async function listResponses(
  db: Database,
  workspaceId: number,
  filter: ResponseFilter,
  page: { limit: number; after?: ResponseCursor },
): Promise<{ responses: ListedResponse[]; next: ResponseCursor | null }> {
  const { where, params } = filterSql(workspaceId, filter);
  if (page.after) {
    params.push(page.after.at, page.after.id);
    where.push(`(r.submitted_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(page.limit + 1);
  const rows = await db.query<Row>(
    `SELECT r.id, r.kind, r.score, r.scale_min, r.scale_max, r.answer, r.comment, r.language, r.touchpoint, r.channel,
            r.survey_id, r.question_id, r.customer_id, c.name AS customer_name, r.submitted_at,
            to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
            s.label AS sentiment_label, s.p_negative AS sentiment_p_negative, s.method AS sentiment_method, s.language AS sentiment_language
     FROM responses r
     LEFT JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
     LEFT JOIN text_sentiment s ON s.workspace_id = r.workspace_id AND s.source = 'response' AND s.record_id = r.id
     WHERE ${where.join(' AND ')}
     ORDER BY r.submitted_at DESC, r.id DESC
     LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return { responses: shown.map(listed), next: more && last ? { at: last.cursor_at, id: last.id } : null };
}

/** How many responses the filter matches (shown above the list). */
export async function countResponses(db: Database, workspaceId: number, filter: ResponseFilter): Promise<number> {
  const { where, params } = filterSql(workspaceId, filter);
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM responses r WHERE ${where.join(' AND ')}`, params);
  return row?.n ?? 0;
}

/** The values the filters offer: languages, touchpoints, surveys and kinds present among customers' answers. */
export async function responseFacets(db: Database, workspaceId: number): Promise<{ kinds: string[]; languages: string[]; touchpoints: string[]; surveys: string[] }> {
  const rows = await db.query<{ facet: string; value: string }>(
    `SELECT DISTINCT 'kind' AS facet, kind AS value FROM responses WHERE workspace_id = $1 AND employee_id IS NULL AND kind <> ALL($2::text[])
     UNION SELECT DISTINCT 'language', language FROM responses WHERE workspace_id = $1 AND employee_id IS NULL AND kind <> ALL($2::text[]) AND language IS NOT NULL
     UNION SELECT DISTINCT 'touchpoint', touchpoint FROM responses WHERE workspace_id = $1 AND employee_id IS NULL AND kind <> ALL($2::text[]) AND touchpoint IS NOT NULL
     UNION SELECT DISTINCT 'survey', survey_id FROM responses WHERE workspace_id = $1 AND employee_id IS NULL AND kind <> ALL($2::text[]) AND survey_id IS NOT NULL`,
    [workspaceId, EMPLOYEE_KINDS],
  );
  const of = (facet: string) => rows.filter((r) => r.facet === facet).map((r) => r.value).sort();
  return { kinds: of('kind'), languages: of('language'), touchpoints: of('touchpoint'), surveys: of('survey') };
}

function listed(row: Row): ListedResponse {
  return {
    id: row.id,
    kind: row.kind,
    score: row.score,
    scaleMin: row.scale_min,
    scaleMax: row.scale_max,
    answer: row.answer,
    comment: row.comment,
    language: row.language,
    touchpoint: row.touchpoint,
    channel: row.channel,
    surveyId: row.survey_id,
    questionId: row.question_id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    submittedAt: new Date(row.submitted_at).toISOString(),
    sentiment: row.sentiment_label
      ? { label: row.sentiment_label, pNegative: row.sentiment_p_negative === null || row.sentiment_p_negative === undefined ? null : Number(row.sentiment_p_negative), method: row.sentiment_method!, language: row.sentiment_language! }
      : null,
  };
}

export interface TimelineCustomer {
  id: string;
  name: string | null;
  segment: string | null;
  country: string | null;
  plan: string | null;
  signupAt: string | null;
}

export type TimelineEvent =
  | { type: 'response'; at: string; id: string; kind: string; score: number | null; scaleMin: number | null; scaleMax: number | null; answer: string | null; comment: string | null; language: string | null; touchpoint: string | null; surveyId: string | null }
  | { type: 'ticket'; at: string; id: string; subject: string | null; channel: string | null; category: string | null; status: string | null; resolvedAt: string | null }
  | { type: 'order'; at: string; id: string; amount: number | null; currency: string | null; status: string | null; channel: string | null; items: number | null };

/** At most this many of each kind of event (the newest); the answer says when some were left out. */
export const TIMELINE_LIMIT = 500;

const iso = (value: Date | null) => (value === null ? null : new Date(value).toISOString());

/** One customer of the workspace with their responses, tickets and orders, oldest first; undefined when the workspace has no such customer. */
export async function customerTimeline(db: Database, workspaceId: number, customerId: string): Promise<{ customer: TimelineCustomer; events: TimelineEvent[]; truncated: boolean } | undefined> {
  const [customer] = await db.query<{ id: string; name: string | null; segment: string | null; country: string | null; plan: string | null; signup_at: Date | null }>(
    `SELECT id, name, segment, country, plan, signup_at FROM customers WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, customerId],
  );
  if (!customer) return undefined;
  const params = [workspaceId, customerId, TIMELINE_LIMIT];
  const [responses, tickets, orders] = await Promise.all([
    db.query<Row>(
      `SELECT id, kind, score, scale_min, scale_max, answer, comment, language, touchpoint, survey_id, submitted_at FROM responses
       WHERE workspace_id = $1 AND customer_id = $2 AND employee_id IS NULL ORDER BY submitted_at DESC, id DESC LIMIT $3`,
      params,
    ),
    db.query<{ id: string; created_at: Date; subject: string | null; channel: string | null; category: string | null; status: string | null; resolved_at: Date | null }>(
      `SELECT id, created_at, subject, channel, category, status, resolved_at FROM tickets
       WHERE workspace_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
      params,
    ),
    db.query<{ id: string; placed_at: Date; amount: number | null; currency: string | null; status: string | null; channel: string | null; items: number | null }>(
      `SELECT id, placed_at, amount, currency, status, channel, items FROM orders
       WHERE workspace_id = $1 AND customer_id = $2 ORDER BY placed_at DESC, id DESC LIMIT $3`,
      params,
    ),
  ]);
  const events: TimelineEvent[] = [
    ...responses.map((r): TimelineEvent => ({
      type: 'response', at: iso(r.submitted_at)!, id: r.id, kind: r.kind, score: r.score, scaleMin: r.scale_min, scaleMax: r.scale_max,
      answer: r.answer, comment: r.comment, language: r.language, touchpoint: r.touchpoint, surveyId: r.survey_id,
    })),
    ...tickets.map((t): TimelineEvent => ({
      type: 'ticket', at: iso(t.created_at)!, id: t.id, subject: t.subject, channel: t.channel, category: t.category, status: t.status, resolvedAt: iso(t.resolved_at),
    })),
    ...orders.map((o): TimelineEvent => ({
      type: 'order', at: iso(o.placed_at)!, id: o.id, amount: o.amount, currency: o.currency, status: o.status, channel: o.channel, items: o.items,
    })),
  ];
  const order = { order: 0, ticket: 1, response: 2 } as const;
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : order[a.type] - order[b.type] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  return {
    customer: { id: customer.id, name: customer.name, segment: customer.segment, country: customer.country, plan: customer.plan, signupAt: iso(customer.signup_at) },
    events,
    truncated: [responses, tickets, orders].some((list) => list.length === TIMELINE_LIMIT),
  };
}

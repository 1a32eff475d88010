/**
 * What a metric can be broken down by and filtered on. Parsing is pure; the SQL for each
 * dimension lives in storage/metrics/dimension-sql.ts.
 */

export const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

/** Customer columns that can be named directly (`customer.country`); others read attributes. */
export const CUSTOMER_COLUMNS = ['segment', 'age_band', 'gender', 'country', 'city', 'sector', 'headcount', 'plan'] as const;

export type Dimension =
  | { type: 'period'; period: Period; name: string }
  /** A column of the metric's own table (channel, agent_id, …). */
  | { type: 'column'; column: string; name: string }
  /** A profile field of the customer the record belongs to. */
  | { type: 'customer'; field: string; name: string }
  /** A key in the record's own attributes (anything the import kept). */
  | { type: 'attribute'; key: string; name: string }
  /** The team of the employee who answered (ESAT by team), else of the agent who served the customer (CSAT by team) or of the ticket. */
  | { type: 'team'; name: string };

/** Record columns each source can group by, under the names users type. */
export const SOURCE_COLUMNS = {
  responses: { touchpoint: 'touchpoint', channel: 'channel', survey: 'survey_id', question: 'question_id', language: 'language', agent: 'agent_id', kind: 'kind' },
  tickets: { channel: 'channel', agent: 'agent_id', category: 'category', priority: 'priority', status: 'status' },
  orders: { channel: 'channel', status: 'status', currency: 'currency' },
  subscriptions: { plan: 'plan', status: 'status' },
  visits: { page: 'page', source: 'source', device: 'device', intent: 'intent' },
} as const satisfies Record<string, Record<string, string>>;
export type MetricSource = keyof typeof SOURCE_COLUMNS;

export class DimensionError extends Error {}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,62}$/;

/**
 * Reads a dimension as users write it: `month`, `channel`, `segment`, `customer.country`,
 * `attribute.release_channel` (or `attributes.…`), `team`.
 */
export function parseDimension(source: MetricSource, text: string): Dimension {
  const name = text.trim();
  if ((PERIODS as readonly string[]).includes(name)) return { type: 'period', period: name as Period, name };
  const columns: Record<string, string> = SOURCE_COLUMNS[source];
  if (Object.hasOwn(columns, name)) return { type: 'column', column: columns[name]!, name };
  if (name === 'segment') return { type: 'customer', field: 'segment', name };
  if (name === 'team' && (source === 'responses' || source === 'tickets')) return { type: 'team', name };
  const dot = name.indexOf('.');
  if (dot > 0) {
    const prefix = name.slice(0, dot);
    const rest = name.slice(dot + 1);
    if (!NAME.test(rest)) throw new DimensionError(`"${rest}" is not a field name`);
    if (prefix === 'customer') return { type: 'customer', field: rest, name };
    if (prefix === 'attribute' || prefix === 'attributes') return { type: 'attribute', key: rest, name: `attribute.${rest}` };
  }
  const known = [...PERIODS, ...Object.keys(columns), 'segment', ...(source === 'responses' || source === 'tickets' ? ['team'] : []), 'customer.<field>', 'attribute.<key>'];
  throw new DimensionError(`cannot break ${source} down by "${name}". Try: ${known.join(', ')}`);
}

export interface Filter {
  dimension: Dimension;
  values: string[];
}

/** `channel=email`, `customer.country=LT,SA` (a comma means "any of"). */
export function parseFilter(source: MetricSource, text: string): Filter {
  const at = text.indexOf('=');
  if (at <= 0) throw new DimensionError(`--where "${text}" should look like dimension=value, e.g. channel=email`);
  const dimension = parseDimension(source, text.slice(0, at));
  if (dimension.type === 'period') throw new DimensionError('filter periods with --from and --to');
  const values = text
    .slice(at + 1)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (values.length === 0) throw new DimensionError(`--where "${text}" has no value`);
  return { dimension, values };
}

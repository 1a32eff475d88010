import { CUSTOMER_COLUMNS, type Dimension, type Filter, type MetricSource } from '../../metrics/dimensions.ts';

/**
 * Builds the FROM / WHERE / GROUP BY of a metric query over one source table. Every value the
 * user typed goes in as a parameter; identifiers come only from fixed lists, so no user text is
 * ever spliced into SQL. Every query starts from `workspace_id = $1`.
 */

export const PERIOD_FORMATS = {
  day: ['day', 'YYYY-MM-DD'],
  week: ['week', 'IYYY-"W"IW'],
  month: ['month', 'YYYY-MM'],
  quarter: ['quarter', 'YYYY-"Q"Q'],
  year: ['year', 'YYYY'],
} as const;

const ALIAS: Record<MetricSource, string> = { responses: 'r', tickets: 't', orders: 'o', subscriptions: 's', visits: 'v' };

export interface MetricScope {
  workspaceId: number;
  /** IANA zone that periods are cut in. */
  timezone: string;
  from?: Date;
  /** Exclusive end. */
  to?: Date;
  by: Dimension[];
  where: Filter[];
}

export class SqlBuilder {
  readonly params: unknown[];
  readonly alias: string;
  readonly #joins = new Map<string, string>();
  readonly #where: string[] = [];
  readonly keys: { name: string; sql: string }[] = [];

  constructor(
    readonly source: MetricSource,
    readonly scope: MetricScope,
    /** The timestamp that places a record in a period (and in --from/--to). */
    readonly anchor: string,
  ) {
    this.alias = ALIAS[source];
    this.params = [scope.workspaceId];
    this.#where.push(`${this.alias}.workspace_id = $1`);
    if (scope.from) this.#where.push(`${this.col(anchor)} >= ${this.param(scope.from)}`);
    if (scope.to) this.#where.push(`${this.col(anchor)} < ${this.param(scope.to)}`);
    for (const filter of scope.where) {
      this.#where.push(`${this.dimension(filter.dimension)} = ANY(${this.param(filter.values)}::text[])`);
    }
    for (const dimension of scope.by) this.keys.push({ name: dimension.name, sql: this.dimension(dimension) });
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  col(column: string): string {
    return `${this.alias}.${column}`;
  }

  where(condition: string): this {
    this.#where.push(condition);
    return this;
  }

  /** Joins the customer of the record (records refer to customers by the source's id). */
  customer(): string {
    if (this.source === 'responses' || this.source === 'tickets' || this.source === 'orders' || this.source === 'subscriptions' || this.source === 'visits') {
      this.#joins.set('c', `LEFT JOIN customers c ON c.workspace_id = ${this.alias}.workspace_id AND c.id = ${this.alias}.customer_id`);
    }
    return 'c';
  }

  /** Joins the employee who answered (responses) or the agent (tickets). */
  employee(): string {
    const column = this.source === 'responses' ? 'employee_id' : 'agent_id';
    this.#joins.set('e', `LEFT JOIN employees e ON e.workspace_id = ${this.alias}.workspace_id AND e.id = ${this.alias}.${column}`);
    return 'e';
  }

  /** Joins the agent who served the customer (responses). */
  agent(): string {
    this.#joins.set('ea', `LEFT JOIN employees ea ON ea.workspace_id = ${this.alias}.workspace_id AND ea.id = ${this.alias}.agent_id`);
    return 'ea';
  }

  dimension(dimension: Dimension): string {
    switch (dimension.type) {
      case 'period': {
        const [unit, format] = PERIOD_FORMATS[dimension.period];
        return `to_char(date_trunc('${unit}', ${this.col(this.anchor)} AT TIME ZONE ${this.param(this.scope.timezone)}), '${format}')`;
      }
      case 'column':
        return `${this.col(dimension.column)}::text`;
      case 'customer': {
        const c = this.customer();
        if (dimension.field === 'headcount_band') return headcountBandSql(c);
        return (CUSTOMER_COLUMNS as readonly string[]).includes(dimension.field)
          ? `${c}.${dimension.field}::text`
          : `${c}.attributes ->> ${this.param(dimension.field)}`;
      }
      case 'attribute':
        return `${this.col('attributes')} ->> ${this.param(dimension.key)}`;
      case 'team':
        if (this.source === 'tickets') return `coalesce(${this.col('team_id')}, ${this.employee()}.team_id)`;
        // An employee's answer (ESAT, eNPS) belongs to their team; a customer's to the team of the agent who served them.
        if (this.source === 'responses') return `coalesce(${this.employee()}.team_id, ${this.agent()}.team_id)`;
        return `${this.employee()}.team_id`;
    }
  }

  /** SELECT list of the group keys, as k0, k1, … */
  keySelect(): string {
    return this.keys.map((k, i) => `${k.sql} AS k${i}`).join(', ');
  }

  groupBy(extra: string[] = []): string {
    const all = [...this.keys.map((_, i) => `k${i}`), ...extra];
    return all.length > 0 ? `GROUP BY ${all.join(', ')}` : '';
  }

  from(): string {
    return `FROM ${this.source} ${this.alias} ${[...this.#joins.values()].join(' ')} WHERE ${this.#where.join(' AND ')}`;
  }

  /** Builds `SELECT <keys>, <columns> FROM … WHERE … GROUP BY keys, <extra>`. */
  select(columns: string[], groupExtra: string[] = []): string {
    const keys = this.keySelect();
    // from() must run after the select list: dimension SQL may add joins and parameters.
    const list = [keys, ...columns].filter((c) => c !== '').join(', ');
    return `SELECT ${list} ${this.from()} ${this.groupBy(groupExtra)}`;
  }
}

/**
 * `customer.headcount_band`: a company's headcount in the EU's size classes (micro 1–9, small
 * 10–49, medium 50–249, large 250+, the last split at 1,000), so companies group by size instead
 * of one group per exact headcount. Customers without a headcount get null.
 */
export function headcountBandSql(customer: string): string {
  const h = `${customer}.headcount`;
  return `CASE WHEN ${h} IS NULL THEN NULL WHEN ${h} < 10 THEN '1-9' WHEN ${h} < 50 THEN '10-49' WHEN ${h} < 250 THEN '50-249' WHEN ${h} < 1000 THEN '250-999' ELSE '1000+' END`;
}

export type KeyedRow = Record<string, unknown>;

/** Reads the group keys (k0, k1, …) of a result row into {dimension name: value}. */
export function groupKey(builder: { keys: { name: string }[] }, row: KeyedRow): Record<string, string | null> {
  const key: Record<string, string | null> = {};
  builder.keys.forEach((k, i) => {
    const value = row[`k${i}`];
    key[k.name] = value === null || value === undefined ? null : String(value);
  });
  return key;
}

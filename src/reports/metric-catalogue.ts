import { METRIC_NAMES, METRICS, type MetricDefinition, type MetricName } from '../metrics/definitions.ts';
import { CUSTOMER_COLUMNS, PERIODS, type MetricSource } from '../metrics/dimensions.ts';

/**
 * What the Explore page offers for each metric: its title, unit, source and definition, the
 * breakdowns and filters GET /api/v1/metrics/<name> accepts for it (dimensions.ts parses them;
 * this is the short list worth showing people, not every attribute key the import kept), and
 * whether it reads as a trend over periods and as one before/after value. Pure.
 */

export interface CatalogueEntry {
  name: MetricName;
  title: string;
  unit: MetricDefinition['unit'];
  source: MetricSource;
  definition: string;
  /** It can be broken down by day, week, month, quarter or year (consistency and cohorts cannot). */
  trend: boolean;
  /** One value for a date range, so two ranges can be compared (annotations' before/after). */
  beforeAfter: boolean;
  breakdowns: string[];
  filters: string[];
}

/** Customer profile fields, by the names the metric API takes. */
export const CUSTOMER_BREAKDOWNS = CUSTOMER_COLUMNS.map((column) => (column === 'segment' ? column : `customer.${column}`));

const OWN: Record<MetricSource, string[]> = {
  responses: ['touchpoint', 'channel', 'survey', 'language', 'agent', 'team', 'question'],
  tickets: ['channel', 'agent', 'team', 'category', 'priority', 'status'],
  orders: ['channel', 'status', 'currency'],
  subscriptions: [],
  visits: ['page', 'source', 'device'],
};

/** Metrics read per customer (churn, retention, cohorts) take customer fields only (metric-report.ts). */
const PER_CUSTOMER: ReadonlySet<MetricName> = new Set(['churn', 'retention', 'cohorts']);
/** Several groups even without a breakdown (per intent, agent, cohort or currency): no single before/after value. */
const MANY_GROUPS: ReadonlySet<string> = new Set(['intent', 'consistency', 'cohorts', 'revenue_per_customer']);

export function catalogueEntry(name: MetricName): CatalogueEntry {
  const definition = METRICS[name];
  const own = PER_CUSTOMER.has(name) ? [] : OWN[definition.source];
  let breakdowns = [...own, ...CUSTOMER_BREAKDOWNS];
  let filters = [...own, ...CUSTOMER_BREAKDOWNS];
  if (name === 'consistency') {
    breakdowns = ['agent', 'team'];
    filters = filters.filter((f) => f !== 'agent' && f !== 'team');
  }
  return {
    name,
    title: definition.title,
    unit: definition.unit,
    source: definition.source,
    definition: definition.definition,
    trend: name !== 'consistency' && name !== 'cohorts',
    beforeAfter: !MANY_GROUPS.has(name),
    breakdowns,
    filters,
  };
}

export function metricCatalogue(): { periods: readonly string[]; metrics: CatalogueEntry[] } {
  return { periods: PERIODS, metrics: METRIC_NAMES.map(catalogueEntry) };
}

/** The JSON the app reads, as the server writes it (src/reports/*.ts, src/metrics/compute.ts). */

export type Unit = 'nps' | 'percent' | 'seconds' | 'money' | 'count';
export type Period = 'day' | 'week' | 'month' | 'quarter' | 'year';
export type Interval = [number, number];

export interface Change {
  from: string;
  delta: number;
  ci: Interval | null;
  pValue: number | null;
  significant: boolean;
  smallSample: boolean;
  of?: 'mean';
}

export interface MetricGroup {
  key: Record<string, string | null>;
  value: number | null;
  n: number;
  ci: Interval | null;
  change?: Change;
  [detail: string]: unknown;
}

export interface MetricResult {
  metric: string;
  title: string;
  unit: Unit;
  definition: string;
  workspace: string;
  timezone: string;
  from: string | null;
  to: string | null;
  by: string[];
  where: string[];
  computedFrom: 'rollups' | 'raw rows';
  groups: MetricGroup[];
  tests?: unknown;
  observedUntil?: string;
}

export interface TrendPoint {
  period: string;
  value: number | null;
  n: number;
  ci: Interval | null;
}

export interface OverviewCard {
  metric: string;
  title: string;
  unit: Unit;
  definition: string;
  current: MetricGroup | null;
  trend: TrendPoint[];
  error?: string;
}

export interface Overview {
  workspace: string;
  timezone: string;
  period: Period;
  label: string;
  from: string;
  to: string;
  where: string[];
  segments: string[];
  cards: OverviewCard[];
}

export interface Me {
  user: { id: number | string; email: string; name: string | null; locale: string | null } | null;
  workspaces: Array<{ name: string; timezone?: string; role: 'admin' | 'analyst' | 'viewer' }>;
}

/** Workspace names appear in URLs and on the command line: lower-case letters, digits, ., _ and -. */
export const WORKSPACE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function workspaceNameProblem(name: string): string | undefined {
  if (WORKSPACE_NAME.test(name)) return undefined;
  return `"${name}" is not a workspace name: use 1–63 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit`;
}

/** A workspace's weekly opening hours: ISO weekdays (1 = Monday) and local opening and closing times. */
export interface BusinessHours {
  days: number[];
  opens: string;
  closes: string;
}

/** Opening hours for business-hours figures: settings.businessHours, else Monday–Friday 09:00–17:00. */
export function businessHoursOf(settings: Record<string, unknown>): BusinessHours {
  const custom = (settings as { businessHours?: Partial<BusinessHours> }).businessHours ?? {};
  return { days: custom.days ?? [1, 2, 3, 4, 5], opens: custom.opens ?? '09:00', closes: custom.closes ?? '17:00' };
}

/** Days without an order after which a shop's customer counts as churned, unless settings.churnDays says otherwise. */
export const DEFAULT_CHURN_DAYS = 90;

/** The churn window of a workspace without subscriptions (settings.churnDays, docs/metrics.md). */
export function churnDaysOf(settings: Record<string, unknown>): number {
  const value = (settings as { churnDays?: unknown }).churnDays;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : DEFAULT_CHURN_DAYS;
}

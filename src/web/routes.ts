/**
 * The dashboard's pages, in the order of its navigation. Shared by the server (which answers
 * each path with the app's HTML, behind sign-in) and by the app (its router and menu).
 */
export const DASHBOARD_PAGES = [
  'overview',
  'explore',
  'journey',
  'support',
  'retention',
  'customers',
  'people',
  'visitors',
  'responses',
  'cases',
  'surveys',
  'import',
  'annotations',
  'alerts',
  'benchmarks',
  'assessment',
  'settings',
] as const;

export type DashboardPage = (typeof DASHBOARD_PAGES)[number];

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
  /** Whether GET /api/v1/explain can split its change (absent: no). */
  explainable?: boolean;
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

/** Surveys (src/http/routes/surveys.ts; the document is docs/surveys.md's, checked by surveySchema). */
export type SurveyTexts = Record<string, string>;
export type SurveyQuestionKind = 'nps' | 'csat' | 'ces' | 'esat' | 'enps' | 'intent' | 'choice' | 'profile' | 'text';

export interface SurveyQuestionDoc {
  id: string;
  kind: SurveyQuestionKind;
  text: SurveyTexts;
  scale?: { min: number; max: number };
  lowLabel?: SurveyTexts;
  highLabel?: SurveyTexts;
  followUp?: { text: SurveyTexts; low?: SurveyTexts; middle?: SurveyTexts; high?: SurveyTexts };
  field?: string;
  choices?: Array<{ id: string; text: SurveyTexts }>;
  allowOther?: boolean;
  required?: boolean;
}

export interface SurveyDoc {
  id: string;
  name: string;
  touchpoint: string;
  channel?: string;
  status?: 'open' | 'closed';
  access?: 'public' | 'personal';
  audience?: 'customers' | 'employees';
  defaultLanguage: string;
  languages: string[];
  questions: SurveyQuestionDoc[];
  thankYou?: SurveyTexts;
  incentive?: { kind: 'code'; code: string; text: SurveyTexts } | { kind: 'pool'; text: SurveyTexts };
  reviewConsent?: { text: SurveyTexts };
  limits?: { singleUse?: boolean; cooldownDays?: number; maxResponses?: number };
}

export interface SurveySummary {
  id: string;
  name: string;
  touchpoint: string | null;
  status: 'open' | 'closed';
  completed: number;
  /** Scores received from every source (live and imported), from the rollups. */
  scores: number;
  updatedAt: string | null;
  editable: boolean;
  access: 'public' | 'personal' | null;
  audience: 'customers' | 'employees' | null;
  kinds: SurveyQuestionKind[];
  languages: string[];
}

export interface SurveyShare {
  link: string;
  qr: string | null;
  embed: string | null;
  calls: string | null;
  personalLink: string;
}

export interface SurveyDetail {
  workspace: string;
  survey: SurveyDoc;
  completed: number;
  share: SurveyShare;
}

export interface SurveyIssue {
  path: string;
  message: string;
}

export interface SurveyPreview {
  valid: boolean;
  issues?: SurveyIssue[];
  language: string;
  dir: 'ltr' | 'rtl';
  html: string;
  steps: { followUp: boolean; second: boolean };
}

/** GET /api/v1/metrics (src/reports/metric-catalogue.ts). */
export interface CatalogueEntry {
  name: string;
  title: string;
  unit: Unit;
  source: string;
  definition: string;
  trend: boolean;
  beforeAfter: boolean;
  breakdowns: string[];
  filters: string[];
}

export interface MetricCatalogue {
  workspace: string;
  timezone: string;
  /** The last day anything happened in the workspace (YYYY-MM-DD), null when empty. */
  latest: string | null;
  periods: Period[];
  metrics: CatalogueEntry[];
}

/** GET /api/v1/annotations (src/storage/annotations.ts). */
export interface AnnotationJson {
  id: number;
  day: string;
  text: string;
  note: string | null;
  category: string | null;
  metric: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The label of the period the day falls in, when the list was asked for with ?period=. */
  period?: string;
}

export interface ImpactWindow {
  from: string;
  to: string;
  value: number | null;
  n: number;
  ci: Interval | null;
}

/** GET /api/v1/annotations/:id/impact (src/reports/annotation-impact.ts). */
export interface AnnotationImpact {
  annotation: AnnotationJson;
  metric: string;
  title: string;
  unit: Unit;
  definition: string;
  day: string;
  days: number;
  before: ImpactWindow;
  after: ImpactWindow;
  change: Omit<Change, 'from'> | null;
  afterComplete: boolean;
}

// Import page (src/http/routes/imports.ts) ------------------------------------------------------

export interface ImportField {
  name: string;
  type: 'text' | 'key' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'json';
  required: boolean;
  doc: string;
  oneOf?: string[];
}

/** GET /api/v1/imports/kinds */
export interface ImportCatalogue {
  kinds: Array<{ name: string; doc: string; fields: ImportField[] }>;
  presets: Array<{ name: string; title: string; sources: Array<{ name: string; title: string; kind: string }> }>;
  dateFormats: string[];
  maxBytes: number;
}

export interface PresetOffer {
  spec: string;
  tool: string;
  toolTitle: string;
  source: string;
  sourceTitle: string;
  kind: string;
}

/** POST /api/v1/imports */
export interface UploadJson {
  id: string;
  name: string;
  size: number;
  format: string;
  columns: string[];
  rows: Array<{ line: number; cells: Record<string, string> }>;
  unit: 'line' | 'element';
  jsonPath?: string;
  presets: PresetOffer[];
  problems: Array<{ line: number; reason: string }>;
}

export interface RowProblemJson {
  line: number;
  column: string;
  field: string;
  value: string;
  reason: string;
}

/** POST /api/v1/imports/:id/preview */
export interface ImportPreview {
  fields: string[];
  rows: Array<{ line: number; ok: boolean; values?: Record<string, unknown>; problems?: RowProblemJson[] }>;
}

/** POST /api/v1/imports/:id/dry-run and /commit */
export interface ImportSummaryJson {
  id: string;
  name: string;
  workspace: string;
  kind: string;
  status: 'done' | 'interrupted';
  dryRun: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  preset?: string;
  unit: 'line' | 'element';
  firstRejects: RowProblemJson[];
  warnings: string[];
  seconds: number;
}

// Settings page (src/http/routes/settings.ts, accounts.ts) ---------------------------------------

export interface ScoringJson {
  positiveFrom: Record<string, number>;
  easyFrom: Record<string, number>;
  cesHighIsEasy: boolean;
}

export interface BusinessHoursJson {
  days: number[];
  opens: string;
  closes: string;
}

/** GET/PATCH /api/v1/workspace-settings */
export interface WorkspaceSettingsJson {
  workspace: string;
  timezone: string;
  businessHours: BusinessHoursJson;
  metrics: ScoringJson;
  churnDays: number;
  scales: string[];
  role: 'admin' | 'analyst' | 'viewer';
  changed?: string[];
  rebuilt?: string[];
}

export interface MemberJson {
  id: number;
  email: string;
  name: string | null;
  locale: string | null;
  role: 'admin' | 'analyst' | 'viewer';
  memberSince: string;
}

export interface ApiKeyJson {
  id: number;
  name: string;
  role: 'admin' | 'analyst' | 'viewer';
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface HookReceiverJson {
  tool: string;
  title: string;
  url: string;
  secretFrom: 'tool' | 'sada';
  proof: string;
  secretSet: boolean;
  updatedAt: string | null;
}

export interface AuditEntryJson {
  id: number;
  at: string;
  actor: { kind: string; label: string };
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** People (src/reports/people.ts): employee results hide groups of fewer than minAnswers answers. */
export interface PeopleReportJson {
  workspace: string;
  timezone: string;
  period: Period;
  from: string | null;
  to: string | null;
  minAnswers: number;
  teams: Array<{ id: string; name: string | null }>;
  esat: MetricResult;
  enps: MetricResult;
  esatTotal: MetricResult;
  enpsTotal: MetricResult;
  esatByTeam: MetricResult;
  enpsByTeam: MetricResult;
  csatByTeam: MetricResult;
  npsByTeam: MetricResult;
  csat: MetricResult;
}

/** Responses (src/storage/response-list.ts, src/http/routes/responses.ts). */
export interface ListedResponseJson {
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
}

export interface ResponsePageJson {
  workspace: string;
  timezone: string;
  /** On the first page only. */
  total?: number;
  limit: number;
  responses: ListedResponseJson[];
  next: string | null;
}

export interface ResponseFacetsJson {
  kinds: string[];
  languages: string[];
  touchpoints: string[];
  surveys: string[];
}

export type TimelineEventJson =
  | { type: 'response'; at: string; id: string; kind: string; score: number | null; scaleMin: number | null; scaleMax: number | null; answer: string | null; comment: string | null; language: string | null; touchpoint: string | null; surveyId: string | null }
  | { type: 'ticket'; at: string; id: string; subject: string | null; channel: string | null; category: string | null; status: string | null; resolvedAt: string | null }
  | { type: 'order'; at: string; id: string; amount: number | null; currency: string | null; status: string | null; channel: string | null; items: number | null };

export interface TimelineJson {
  workspace: string;
  timezone: string;
  customer: { id: string; name: string | null; segment: string | null; country: string | null; plan: string | null; signupAt: string | null };
  events: TimelineEventJson[];
  truncated: boolean;
}

/** GET /api/v1/support/distribution (src/reports/support.ts). */
export interface DurationDistributionJson {
  measure: string;
  title: string;
  from: string | null;
  to: string | null;
  where: string[];
  n: number;
  edges: number[];
  buckets: Array<{ from: number; to: number | null; n: number }>;
  summary: { n: number; median: number | null; median_ci: Interval | null; p90: number | null; p90_ci: Interval | null; mean: number | null; mean_ci: Interval | null } | null;
}

/** GET /api/v1/support/agents. */
export interface SupportAgentsJson {
  agents: Array<{ id: string; name: string | null; team: string | null }>;
}

/** The consistency metric's `tests` (src/metrics/consistency.ts). */
export interface ConsistencyTestsJson {
  unit: string;
  fcr: ConsistencyRateJson;
  resolution: ConsistencyRateJson & { horizonDays: number; asOf: string | null };
  kruskalWallis: Array<{
    category: string | null;
    statistic: number | null;
    df: number;
    pValue: number | null;
    pHolm: number | null;
    significant: boolean;
    n: number;
    groups: number;
    warnings: string[];
  }>;
}

export interface ConsistencyRateJson {
  pooled: number | null;
  count: number;
  n: number;
  withoutUnit: number;
  chiSquare: { statistic: number | null; df: number; pValue: number | null; significant: boolean; groups: number; minExpected: number | null; warnings: string[] };
}

/** GET /api/v1/journey (src/reports/journey.ts). */
export interface JourneyJson {
  workspace: string;
  timezone: string;
  from: string | null;
  to: string | null;
  where: string[];
  months: string[];
  segments: string[];
  minN: number;
  steps: Array<{ touchpoint: string; csat: MetricGroup | null; ces: MetricGroup | null; nps: MetricGroup | null }>;
  outside: { csat: MetricGroup | null; ces: MetricGroup | null; nps: MetricGroup | null };
  weakest: { touchpoint: string; metric: string; value: number; n: number; best: { touchpoint: string; value: number; n: number }; separated: boolean } | null;
}

/** GET /api/v1/retention (src/reports/retention.ts). */
export interface RetentionData {
  workspace: string;
  timezone: string;
  window: { months: number; from: string; to: string; lastMonth: string };
  segment: string | null;
  churn: MetricResult & { basis?: string };
  retention: MetricResult & { basis?: string };
  repeatPurchase: MetricResult;
  repeatPurchaseWindow: MetricResult;
  cohorts: MetricResult & { basis?: string };
  segments: string[];
}

export type AtRiskReason = 'overdue' | 'detractor';

/** GET /api/v1/customers/at-risk (src/reports/at-risk.ts). */
export interface AtRiskData {
  workspace: string;
  timezone: string;
  asOf: string | null;
  rule: { gapFactor: number; minOrders: number; detractorWindowDays: number; workspaceGapDays: number | null };
  reason: AtRiskReason | null;
  segments: string[];
  limit: number;
  counts: { any: number; overdue: number; detractor: number; matching: number };
  availableSegments: string[];
  customers: Array<{
    id: string;
    name: string | null;
    email: string | null;
    segment: string | null;
    orders: number;
    lastOrderAt: string | null;
    usualGapDays: number | null;
    daysSinceLastOrder: number | null;
    overdueAfterDays: number | null;
    overdueDays: number | null;
    lastScore: { kind: 'nps' | 'csat'; score: number; scaleMin: number; scaleMax: number; submittedAt: string } | null;
    reasons: AtRiskReason[];
    since: string;
  }>;
}

export type ProfileMeasure = 'csat' | 'nps' | 'retention' | 'churn' | 'revenue_per_customer';

/** GET /api/v1/customers/profile (src/reports/customer-profile.ts). */
export interface CustomerProfileData {
  workspace: string;
  timezone: string;
  attribute: string;
  window: { months: number; from: string; to: string; lastMonth: string };
  currency: string | null;
  currencies: Array<{ currency: string; customers: number }>;
  basis: string | null;
  minRankedN: number;
  rows: Array<{ value: string | null; customers: number; measures: Partial<Record<ProfileMeasure, { value: number | null; n: number; ci: Interval | null }>> }>;
  unavailable: Partial<Record<ProfileMeasure, string>>;
}

/** A competitor or industry figure (src/http/routes/benchmarks.ts). */
export interface BenchmarkJson {
  id: number;
  metric: string;
  label: string;
  kind: 'competitor' | 'industry';
  value: number;
  asOf: string;
  sourceUrl: string;
  n: number | null;
  margin: number | null;
  note: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The self-assessment (src/http/routes/assessments.ts). */
export interface AssessmentSection {
  points: number;
  max: number;
  percent: number;
}
export interface AssessmentJson {
  id: number;
  questionnaireVersion: number;
  answers: Record<string, number>;
  note: string | null;
  createdBy: string;
  createdAt: string;
  score: { practices: AssessmentSection; steps: AssessmentSection; total: AssessmentSection };
}
export interface AssessmentsJson {
  questionnaire: { version: number; scale: number[]; practices: Array<{ key: string; features: string[] }>; steps: Array<{ key: string; features: string[] }> };
  assessments: AssessmentJson[];
}

import type { RecordKindName, StoredRecord } from '../domain/record-kinds.ts';
import {
  AGE_BANDS,
  CANCEL_REASONS,
  COMMENTS,
  COMPANY_WORDS,
  COUNTRIES,
  NAMES,
  PLANS,
  SECTORS,
  TEAMS,
  TICKET_SUBJECTS,
  type CommentTopic,
  type Country,
  type Language,
  type NamePool,
  type PlanId,
  type TicketCategory,
  type VisitIntent,
} from './company.ts';
import { Rng, seedKeys, Weighted } from './random.ts';

/**
 * The demo company (see docs/demo.md): a pure, seeded generator of every record kind Sada
 * imports. Nothing here reads the clock, the disk or the database; the same options give the
 * same records, byte for byte.
 *
 * Each entity (customer i, order k, ticket j, visit v …) is computed from its own PRNG keyed by
 * (seed, stream, index), so any entity can be recomputed alone in O(1). That is what keeps memory
 * flat: survey responses about ticket j recompute ticket j instead of remembering it, and
 * nothing but the staff roster and a few per-month tables is ever held in memory.
 */

// ---------------------------------------------------------------------------------------------
// Options and plan

/** The seed `sada demo` uses when none is given. */
export const DEFAULT_SEED = 1;
export const DEFAULT_RESPONSES = 50_000;
export const DEFAULT_MONTHS = 18;
/** The last month of the demo unless the options say otherwise (fixed, never the clock). */
export const DEFAULT_END_MONTH = '2026-10';
export const MIN_RESPONSES = 100;
export const MAX_RESPONSES = 10_000_000;
export const MIN_MONTHS = 3;
export const MAX_MONTHS = 60;

export interface DemoOptions {
  /** Any non-negative safe integer; the same seed gives the same company. */
  seed: number;
  /** Target number of survey responses (the generator lands within a few percent). */
  responses?: number;
  /** Number of months of history, ending with endMonth. */
  months?: number;
  /** Last month of history, `YYYY-MM` (default DEFAULT_END_MONTH). */
  endMonth?: string;
}

/** The record kinds the demo writes, in the order run.ts imports them. */
export const DEMO_KINDS = ['teams', 'employees', 'customers', 'subscriptions', 'orders', 'tickets', 'visits', 'responses'] as const;
export type DemoKind = (typeof DEMO_KINDS)[number] & RecordKindName;

/** Extra columns each kind carries; imported as attributes (keepUnmappedAsAttributes). */
export const DEMO_ATTRIBUTES: Record<DemoKind, readonly string[]> = {
  teams: ['location', 'function'],
  employees: ['location', 'language'],
  customers: ['language', 'acquisition'],
  subscriptions: ['billing'],
  orders: ['carrier', 'payment_method', 'promised_days'],
  tickets: ['language'],
  visits: ['country'],
  responses: ['sent_via'],
};

export type IncidentId = 'new-agent-low-fcr' | 'bot-launch' | 'chat-understaffed' | 'carrier-delay' | 'price-change' | 'payment-outage';

export interface PlantedIncident {
  id: IncidentId;
  /** `incident`: something went wrong; `change`: a deliberate change with a visible effect. */
  kind: 'incident' | 'change';
  title: string;
  /** 0 = the last month of the demo, 1 = the month before, … */
  monthsBeforeEnd: number;
  durationMonths: number;
  /** Where it happens, in the values the data uses. */
  where: {
    country?: string;
    channel?: string;
    channels?: readonly string[];
    plan?: string;
    touchpoint?: string;
    team_id?: string;
    agent_id?: string;
    carrier?: string;
    payment_method?: string;
  };
  cause: string;
  /** What an analyst should find, in the metrics Sada computes. */
  expectedEffect: string;
}

/**
 * The planted incidents. Their months are relative to the end of the demo so that they fall
 * inside any history of 10 months or more; `resolveIncidents` turns them into calendar months.
 * With the defaults (18 months ending 2026-10) they are 2026-01 … 2026-09.
 */
export const PLANTED_INCIDENTS: readonly PlantedIncident[] = [
  {
    id: 'new-agent-low-fcr',
    kind: 'incident',
    title: 'A new agent with poor first-contact resolution',
    monthsBeforeEnd: 9,
    durationMonths: 3,
    where: { team_id: 'support-ar', agent_id: 'E-9001' },
    cause: 'Tariq Haddad (E-9001) joined the Arabic support team without product training.',
    expectedEffect:
      'E-9001 resolves about 40% of tickets at first contact against about 70% for the rest of the team in his first three months (about 55% after); his tickets are reopened more, take more contacts and time, and get lower support CSAT. The team\'s FCR dips a few points.',
  },
  {
    id: 'bot-launch',
    kind: 'change',
    title: 'A support bot answers messaging and chat',
    monthsBeforeEnd: 8,
    durationMonths: 9,
    where: { channels: ['messaging', 'chat'] },
    cause: 'A bot was launched on WhatsApp-style messaging and the web chat for delivery, account, product and general questions.',
    expectedEffect:
      'From this month about 30% of eligible messaging and chat tickets are handled_by_bot (none before), with no human first response, cost 0.40 each and slightly lower support CSAT than human answers.',
  },
  {
    id: 'chat-understaffed',
    kind: 'incident',
    title: 'Chat understaffed',
    monthsBeforeEnd: 6,
    durationMonths: 1,
    where: { channel: 'chat' },
    cause: 'Three support agents (one per language team) left at the start of the month; their replacements started a month later.',
    expectedEffect:
      'Median chat FRT is about 2.6× the usual; abandoned chats rise from ~3% to ~10%; support CSAT on chat drops; support agents\' ESAT drops that month (workload comments).',
  },
  {
    id: 'carrier-delay',
    kind: 'incident',
    title: 'Carrier sorting-hub outage in Lithuania',
    monthsBeforeEnd: 4,
    durationMonths: 1,
    where: { country: 'Lithuania', carrier: 'Amber Express', touchpoint: 'shipping' },
    cause: 'Amber Express, the Lithuanian carrier, lost its sorting hub for the month: parcels shipped that month arrive 4–9 days late.',
    expectedEffect:
      'Shipping CSAT (top-2-box) for Lithuanian orders falls from about 80% to about 30% for orders placed that month; "where is my order" tickets and track-order visits from Lithuania jump; Lithuanian NPS dips and membership churn in Lithuania rises (reason: delivery problems).',
  },
  {
    id: 'price-change',
    kind: 'change',
    title: 'Palm Club Plus price raised',
    monthsBeforeEnd: 3,
    durationMonths: 2,
    where: { plan: 'club-plus', touchpoint: 'renewal' },
    cause: 'The club-plus membership went from 9.99 to 12.99 EUR a month (in local currency) from the first day of the month.',
    expectedEffect:
      'club-plus churn is about 4× the usual in the month of the change and 2× the month after, mostly with cancel_reason "too expensive"; billing tickets from club-plus members rise; their NPS drops (price comments).',
  },
  {
    id: 'payment-outage',
    kind: 'incident',
    title: 'Mada card payments failing in Saudi Arabia',
    monthsBeforeEnd: 1,
    durationMonths: 1,
    where: { country: 'Saudi Arabia', payment_method: 'mada', touchpoint: 'checkout' },
    cause: 'The Saudi payment provider failed intermittently for the month, mada cards worst (other cards and Apple Pay less so; cash on delivery and invoices not at all).',
    expectedEffect:
      'About 60% of Saudi mada checkouts and 30% of other Saudi card checkouts fail at least once; cancelled orders in Saudi Arabia go from ~3% to ~20% (over 30% for mada); checkout CES and CSAT in Saudi Arabia drop; payment tickets and get-help visits from Saudi Arabia rise.',
  },
];

export interface ResolvedIncident extends PlantedIncident {
  /** First calendar month, `YYYY-MM`. */
  month: string;
  /** Every month it lasts inside the demo window. */
  months: string[];
  /** Index of the first month in the window (0 = first month of the demo). */
  monthIndex: number;
}

export interface DemoSizes {
  customers: number;
  orders: number;
  /** Tickets before merged duplicates (about 1% more are written). */
  tickets: number;
  visits: number;
  teams: number;
  employees: number;
  agents: number;
}

export interface DemoPlan {
  seed: number;
  responses: number;
  months: number;
  startMonth: string;
  endMonth: string;
  /** First instant of the window. */
  startsAt: Date;
  /** First instant after the window; every event is before it. */
  endsAt: Date;
  sizes: DemoSizes;
  incidents: ResolvedIncident[];
}

export class DemoOptionsError extends Error {}

function parseMonth(text: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]) - 1;
  if (!m || month < 0 || month > 11 || year < 1970 || year > 9999) throw new DemoOptionsError(`end month "${text}" should look like 2026-10`);
  return { year, month };
}

function monthLabel(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function normalise(options: DemoOptions): Required<DemoOptions> {
  const { seed } = options;
  const responses = options.responses ?? DEFAULT_RESPONSES;
  const months = options.months ?? DEFAULT_MONTHS;
  const endMonth = options.endMonth ?? DEFAULT_END_MONTH;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new DemoOptionsError(`the seed must be a whole number ≥ 0 (got ${seed})`);
  if (!Number.isInteger(responses) || responses < MIN_RESPONSES || responses > MAX_RESPONSES) {
    throw new DemoOptionsError(`responses must be a whole number from ${MIN_RESPONSES} to ${MAX_RESPONSES.toLocaleString('en')} (got ${responses})`);
  }
  if (!Number.isInteger(months) || months < MIN_MONTHS || months > MAX_MONTHS) {
    throw new DemoOptionsError(`months must be a whole number from ${MIN_MONTHS} to ${MAX_MONTHS} (got ${months})`);
  }
  parseMonth(endMonth);
  return { seed, responses, months, endMonth };
}

/** The incidents with their calendar months, for a window of `months` ending at `endMonth`. */
export function resolveIncidents(options: { months?: number; endMonth?: string }): ResolvedIncident[] {
  const months = options.months ?? DEFAULT_MONTHS;
  const { year, month } = parseMonth(options.endMonth ?? DEFAULT_END_MONTH);
  const resolved: ResolvedIncident[] = [];
  for (const incident of PLANTED_INCIDENTS) {
    const monthIndex = months - 1 - incident.monthsBeforeEnd;
    if (monthIndex < 0) continue;
    const labels: string[] = [];
    for (let k = 0; k < incident.durationMonths && monthIndex + k < months; k++) {
      labels.push(monthLabel(Date.UTC(year, month - incident.monthsBeforeEnd + k, 1)));
    }
    resolved.push({ ...incident, month: labels[0]!, months: labels, monthIndex });
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------
// Constants of the model

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Volume by calendar month (Jan … Dec): a White-Friday November and a December peak. */
const SEASON = [0.88, 0.85, 0.95, 0.98, 1.0, 0.95, 0.9, 0.93, 1.0, 1.05, 1.3, 1.6];
/** Hour-of-day weights in UTC (most customers are 2–3 hours ahead of UTC). */
const HOURS = new Weighted(
  [0.6, 0.4, 0.3, 0.3, 0.5, 1, 1.8, 2.6, 3.2, 3.5, 3.5, 3.3, 3.2, 3.1, 3, 2.9, 3, 3.3, 3.5, 3.3, 2.6, 1.8, 1.2, 0.8].map((w, h) => [h, w] as const),
);

/** Rates per customer per month, which size everything else from the response target. */
const ORDERS_PER_CUSTOMER_MONTH = 0.14;
const TICKETS_PER_CUSTOMER_MONTH = 0.045;
const VISITS_PER_CUSTOMER_MONTH = 0.25;
const PRE_WINDOW_CUSTOMERS = 0.45;
const TICKETS_PER_AGENT_MONTH = 320;

const RATE = {
  visitIntent: 0.25,
  visitCsat: 0.04,
  checkout: 0.12,
  shipping: 0.2,
  returns: 0.35,
  support: 0.3,
  onboarding: 0.3,
  profile: 0.12,
  nps: 0.3,
  renewal: 0.25,
  cancellation: 0.5,
  esat: 0.65,
  enps: 0.55,
};

/** Streams of the PRNG, one per kind of entity or decision. */
const S = {
  customer: 1,
  customerDetail: 2,
  subscription: 3,
  order: 4,
  ticket: 5,
  duplicate: 6,
  visit: 7,
  employee: 8,
  rVisit: 11,
  rOrder: 12,
  rTicket: 13,
  rCustomer: 14,
  rSubscription: 15,
  rEmployee: 16,
} as const;

const COUNTRY_PICK = new Weighted(COUNTRIES.map((c) => [c, c.weight] as const));
const LANGUAGE_PICK = new Map(COUNTRIES.map((c) => [c.name, new Weighted(c.languages)]));
const CITY_PICK = new Map(COUNTRIES.map((c) => [c.name, new Weighted(c.cities)]));
const AGE_PICK = new Weighted(AGE_BANDS);
const SEGMENT_PICK = new Weighted([
  ['consumer', 0.82],
  ['small business', 0.14],
  ['enterprise', 0.04],
] as const);
type Segment = 'consumer' | 'small business' | 'enterprise';
const ACQUISITION_PICK = new Weighted([
  ['organic-search', 0.3],
  ['paid-search', 0.2],
  ['social', 0.2],
  ['referral', 0.1],
  ['store', 0.08],
  ['email', 0.12],
] as const);
const ARABIC_REGIONS = new Set(['gulf', 'levant']);

const CHANNELS_ARABIC = new Weighted([
  ['email', 0.24],
  ['chat', 0.25],
  ['phone', 0.15],
  ['messaging', 0.27],
  ['social', 0.09],
] as const);
const CHANNELS_OTHER = new Weighted([
  ['email', 0.36],
  ['chat', 0.3],
  ['phone', 0.19],
  ['messaging', 0.08],
  ['social', 0.07],
] as const);
const CHANNELS_BUSINESS = new Weighted([
  ['email', 0.6],
  ['phone', 0.25],
  ['chat', 0.1],
  ['messaging', 0.05],
] as const);
type TicketChannel = 'email' | 'chat' | 'phone' | 'messaging' | 'social';

const CATEGORY_PICK = new Weighted<TicketCategory>([
  ['delivery', 0.25],
  ['returns', 0.14],
  ['payment', 0.07],
  ['product', 0.18],
  ['account', 0.1],
  ['billing', 0.07],
  ['damaged', 0.07],
  ['complaint', 0.05],
  ['other', 0.07],
]);
const PRIORITY_PICK = new Weighted([
  ['low', 0.2],
  ['normal', 0.56],
  ['high', 0.2],
  ['urgent', 0.04],
] as const);
const BOT_CATEGORIES = new Set<TicketCategory>(['delivery', 'account', 'product', 'other']);

/** Median first-response time by channel, in seconds. */
const FRT_MEDIAN: Record<TicketChannel, number> = { chat: 90, phone: 70, messaging: 15 * 60, social: 90 * 60, email: 5 * 3600 };
const FCR_BASE: Record<TicketChannel, number> = { phone: 0.8, chat: 0.78, messaging: 0.72, email: 0.66, social: 0.6 };
/** Time from first response to first resolution when solved at first contact: [median s, sigma]. */
const SOLVE_TIME: Record<TicketChannel, readonly [number, number]> = {
  chat: [15 * 60, 0.6],
  phone: [8 * 60, 0.5],
  messaging: [2 * 3600, 1],
  social: [5 * 3600, 1],
  email: [20 * 3600, 0.9],
};

const DEVICE_PICK = new Weighted([
  ['mobile', 0.63],
  ['desktop', 0.32],
  ['tablet', 0.05],
] as const);
const SOURCE_PICK = new Weighted([
  ['organic-search', 0.3],
  ['paid-search', 0.18],
  ['social', 0.17],
  ['email', 0.1],
  ['direct', 0.2],
  ['referral', 0.05],
] as const);
const INTENT_BASE: Record<VisitIntent, number> = {
  'buy-gift': 0.14,
  browse: 0.28,
  'compare-prices': 0.14,
  'track-order': 0.14,
  'return-item': 0.06,
  'get-help': 0.08,
  'business-order': 0.05,
  membership: 0.05,
};
const INTENT_CONVERSION: Record<VisitIntent, number> = {
  'buy-gift': 0.35,
  browse: 0.08,
  'compare-prices': 0.12,
  'track-order': 0.02,
  'return-item': 0.01,
  'get-help': 0.03,
  'business-order': 0.25,
  membership: 0.15,
};
const INTENT_PAGE: Record<VisitIntent, string> = {
  'buy-gift': '/gifts',
  browse: '/new-arrivals',
  'compare-prices': '/sale',
  'track-order': '/orders/track',
  'return-item': '/returns',
  'get-help': '/help',
  'business-order': '/business',
  membership: '/club',
};
const PAGE_PICK = new Weighted([
  ['/', 0.35],
  ['/new-arrivals', 0.15],
  ['/sale', 0.12],
  ['/gifts', 0.06],
  ['/product', 0.2],
  ['/orders/track', 0.05],
  ['/help', 0.04],
  ['/club', 0.03],
] as const);

// ---------------------------------------------------------------------------------------------
// Small helpers

const pad = (n: number, width = 7) => String(n).padStart(width, '0');
const floorSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;
const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const date = (ms: number) => new Date(floorSecond(ms));

/** A score on [min, max]: top-two points with probability `positivity`, else lower, mostly middling. */
function drawScore(rng: Rng, min: number, max: number, positivity: number): number {
  if (rng.chance(clamp(positivity, 0.02, 0.98))) return rng.chance(0.55) ? max : max - 1;
  const span = max - 1 - min; // points below the top two
  // weights rise towards the middle-high end: 1, 2, 3 … (low scores are rarer than middling ones)
  const total = (span * (span + 1)) / 2;
  let u = rng.next() * total;
  for (let k = 0; k < span; k++) {
    u -= k + 1;
    if (u < 0) return min + k;
  }
  return max - 2;
}

/** An NPS answer 0–10 from the shares of promoters and detractors. */
function drawNps(rng: Rng, promoters: number, detractors: number): number {
  const u = rng.next();
  if (u < promoters) return rng.chance(0.55) ? 10 : 9;
  if (u < promoters + detractors) {
    const w = [0.03, 0.02, 0.04, 0.06, 0.1, 0.3, 0.45];
    let v = rng.next();
    for (let s = 0; s < w.length; s++) if ((v -= w[s]!) < 0) return s;
    return 6;
  }
  return rng.chance(0.5) ? 8 : 7;
}

function sentimentOf(score: number, min: number, max: number): 'positive' | 'neutral' | 'negative' {
  if (score >= max - 1) return 'positive';
  return score <= min + (max - min) / 2 ? 'negative' : 'neutral';
}

function commentText(rng: Rng, topic: CommentTopic, language: Language): string {
  return rng.pick(COMMENTS[topic][language]);
}

/** Whether a scored answer gets a comment, and which topic it is about. */
function maybeComment(
  rng: Rng,
  sentiment: 'positive' | 'neutral' | 'negative',
  language: Language,
  topics: { positive: readonly CommentTopic[]; negative: readonly CommentTopic[] },
  rates = { positive: 0.18, neutral: 0.22, negative: 0.45 },
): string | null {
  if (!rng.chance(rates[sentiment])) return null;
  const topic =
    sentiment === 'positive' ? rng.pick(topics.positive) : sentiment === 'negative' ? rng.pick(topics.negative) : rng.chance(0.5) ? 'ok' : rng.pick(topics.negative);
  return commentText(rng, topic, language);
}

function personName(rng: Rng, pool: NamePool, female: boolean): string {
  const names = NAMES[pool];
  const first = rng.pick(female ? names.female : names.male);
  const surnames = names.surnames;
  const last = Array.isArray(surnames[0]) ? rng.pick((surnames as readonly [readonly string[], readonly string[]])[female ? 1 : 0]) : rng.pick(surnames as readonly string[]);
  return `${first} ${last}`;
}

// ---------------------------------------------------------------------------------------------
// Entities (internal shapes: the record plus the facts survey answers depend on)

interface CustomerCore {
  index: number;
  id: string;
  signupMs: number;
  country: Country;
  language: Language;
  segment: Segment;
  plan: PlanId | null;
}

interface Employee {
  index: number;
  record: StoredRecord;
  team: string;
  isAgent: boolean;
  hourlyCost: number;
  language: Language;
  /** Active in month m when firstMonth ≤ m < endMonth (window month indexes). */
  firstMonth: number;
  endMonth: number;
  fcrShift: number;
  csatShift: number;
  speed: number;
  esatShift: number;
  planted: boolean;
}

interface SubscriptionDraft {
  record: StoredRecord;
  startMs: number;
  endedMs: number | null;
  annual: boolean;
  reason: string | null;
}

interface OrderDraft {
  record: StoredRecord;
  customer: CustomerCore;
  placedMs: number;
  month: number;
  channel: string;
  lateDays: number;
  damaged: boolean;
  failures: number;
  deliveredMs: number | null;
  returnedMs: number | null;
}

interface TicketDraft {
  record: StoredRecord;
  customer: CustomerCore;
  month: number;
  channel: TicketChannel;
  category: TicketCategory;
  agent: Employee | undefined;
  bot: boolean;
  fcr: boolean;
  reopened: boolean;
  slow: boolean;
  fast: boolean;
  /** Solved (at least once) before the end of the window. */
  firstResolvedMs: number | null;
}

interface VisitDraft {
  record: StoredRecord;
  customer: CustomerCore | undefined;
  country: Country;
  intent: VisitIntent | null;
  visitedMs: number;
  month: number;
}

// ---------------------------------------------------------------------------------------------
// The world

class DemoWorld {
  readonly plan: DemoPlan;
  readonly #k: [number, number];
  readonly #months: number;
  /** monthStart[m] for m = 0 … months (the last is the end of the window). */
  readonly #monthStart: number[];
  readonly #calendarMonth: number[];
  readonly #start: number;
  readonly #end: number;
  readonly #customers: number;
  readonly #preCustomers: number;
  /** Cumulative share of in-window sign-ups at the start of each month (0 … 1). */
  readonly #signupCdf: number[];
  readonly #orderMonth: Weighted<number>;
  readonly #ticketMonth: Weighted<number>;
  readonly #visitMonth: Weighted<number>;
  /** Extra tickets an incident brings in a month, as a share of the month's usual volume. */
  readonly #ticketExtras: Array<Array<readonly [IncidentId, number]>>;
  readonly #incidentMonth: Partial<Record<IncidentId, number>>;
  readonly employees: Employee[];
  readonly #agentsByTeamMonth: Map<string, number[][]>;

  constructor(options: DemoOptions) {
    const o = normalise(options);
    this.#k = seedKeys(o.seed);
    this.#months = o.months;
    const { year, month } = parseMonth(o.endMonth);
    this.#monthStart = Array.from({ length: o.months + 1 }, (_, m) => Date.UTC(year, month - o.months + 1 + m, 1));
    this.#calendarMonth = this.#monthStart.map((ms) => new Date(ms).getUTCMonth());
    this.#start = this.#monthStart[0]!;
    this.#end = this.#monthStart[o.months]!;

    const incidents = resolveIncidents(o);
    this.#incidentMonth = Object.fromEntries(incidents.map((i) => [i.id, i.monthIndex]));
    const growth = (m: number) => 0.85 + (0.3 * m) / Math.max(1, o.months - 1);
    const season = (m: number) => SEASON[this.#calendarMonth[m]!]!;
    const monthIndexes = Array.from({ length: o.months }, (_, m) => m);
    this.#ticketExtras = monthIndexes.map((m) => {
      const extras: Array<readonly [IncidentId, number]> = [];
      if (this.active('carrier-delay', m)) extras.push(['carrier-delay', 0.12]);
      if (this.active('payment-outage', m)) extras.push(['payment-outage', 0.06]);
      if (this.active('price-change', m, 2)) extras.push(['price-change', 0.05]);
      return extras;
    });
    const orderWeights = monthIndexes.map((m) => season(m) * growth(m));
    const ticketWeights = monthIndexes.map((m) => season(m) ** 1.15 * growth(m) * (1 + this.#ticketExtras[m]!.reduce((s, [, x]) => s + x, 0)));
    const visitWeights = monthIndexes.map((m) => season(m) ** 0.8 * growth(m));
    const signupWeights = monthIndexes.map((m) => season(m) ** 0.5 * growth(m));
    this.#orderMonth = new Weighted(orderWeights.map((w, m) => [m, w] as const));
    this.#ticketMonth = new Weighted(ticketWeights.map((w, m) => [m, w] as const));
    this.#visitMonth = new Weighted(visitWeights.map((w, m) => [m, w] as const));
    const signupTotal = signupWeights.reduce((a, b) => a + b, 0);
    this.#signupCdf = [0];
    for (const w of signupWeights) this.#signupCdf.push(this.#signupCdf[this.#signupCdf.length - 1]! + w / signupTotal);
    this.#signupCdf[o.months] = 1;

    // Sizes: everything scales with the number of customers, chosen to land on the response target.
    const perCustomer = this.#responsesPerCustomer();
    let customers = Math.max(50, Math.round(o.responses / perCustomer));
    let agents = 0;
    let staff = 0;
    for (let pass = 0; pass < 2; pass++) {
      const tickets = customers * TICKETS_PER_CUSTOMER_MONTH * o.months;
      agents = Math.max(10, Math.round(tickets / o.months / TICKETS_PER_AGENT_MONTH));
      staff = Math.max(16, Math.round(agents * 1.3));
      const employeeResponses = (agents + staff + 4) * 1.08 * o.months * (RATE.esat + RATE.enps / 3);
      customers = Math.max(50, Math.round(Math.max(o.responses - employeeResponses, o.responses * 0.5) / perCustomer));
    }
    this.#customers = customers;
    this.#preCustomers = Math.max(1, Math.round(customers * PRE_WINDOW_CUSTOMERS));
    this.employees = this.#buildStaff(agents, staff);
    this.#agentsByTeamMonth = new Map();
    for (const team of TEAMS.filter((t) => t.support)) {
      this.#agentsByTeamMonth.set(
        team.id,
        monthIndexes.map((m) => this.employees.filter((e) => e.isAgent && e.team === team.id && e.firstMonth <= m && m < e.endMonth).map((e) => e.index)),
      );
    }

    this.plan = {
      seed: o.seed,
      responses: o.responses,
      months: o.months,
      startMonth: monthLabel(this.#start),
      endMonth: o.endMonth,
      startsAt: new Date(this.#start),
      endsAt: new Date(this.#end),
      sizes: {
        customers,
        orders: Math.round(customers * ORDERS_PER_CUSTOMER_MONTH * o.months),
        tickets: Math.round(customers * TICKETS_PER_CUSTOMER_MONTH * o.months),
        visits: Math.round(customers * VISITS_PER_CUSTOMER_MONTH * o.months),
        teams: TEAMS.length,
        employees: this.employees.length,
        agents: this.employees.filter((e) => e.isAgent).length,
      },
      incidents,
    };
  }

  /** Expected survey responses per customer over the window (see the generators below). */
  #responsesPerCustomer(): number {
    const months = this.#months;
    const visits = VISITS_PER_CUSTOMER_MONTH * (RATE.visitIntent + RATE.visitCsat);
    const orders = ORDERS_PER_CUSTOMER_MONTH * (0.9 * RATE.checkout * 2 + 0.1 * 0.1 * 2 + 0.82 * RATE.shipping + 0.05 * RATE.returns);
    const tickets = TICKETS_PER_CUSTOMER_MONTH * 0.86 * RATE.support * 2;
    const nps = (RATE.nps / 6) * 0.78;
    const memberships = 0.33 * (0.024 * RATE.cancellation * 2 + (0.3 / 12) * RATE.renewal);
    const once = (1 - PRE_WINDOW_CUSTOMERS) * RATE.onboarding * 2 * 0.97 + RATE.profile * 1.95 * (1 - PRE_WINDOW_CUSTOMERS * 0.9);
    return months * (visits + orders + tickets + nps + memberships) + once;
  }

  /** Whether an incident is on in window month m (for `span` months from its start). */
  active(id: IncidentId, m: number, span = 1): boolean {
    const start = this.#incidentMonth[id];
    return start !== undefined && m >= start && m < start + span;
  }

  since(id: IncidentId, m: number): boolean {
    const start = this.#incidentMonth[id];
    return start !== undefined && m >= start;
  }

  rng(stream: number, ...keys: number[]): Rng {
    return new Rng(this.#k[0], this.#k[1], stream, ...keys);
  }

  monthOf(ms: number): number {
    const s = this.#monthStart;
    if (ms < this.#start) return -1;
    let m = Math.min(this.#months - 1, Math.floor((ms - this.#start) / (30.44 * DAY)));
    while (m > 0 && ms < s[m]!) m--;
    while (m < this.#months - 1 && ms >= s[m + 1]!) m++;
    return m;
  }

  /** A moment in window month m, following the hour-of-day curve. */
  timeIn(m: number, rng: Rng): number {
    const start = this.#monthStart[m]!;
    const days = Math.round((this.#monthStart[m + 1]! - start) / DAY);
    const t = start + rng.int(days) * DAY + HOURS.pick(rng) * HOUR + rng.int(3600) * SECOND;
    return Math.min(t, this.#monthStart[m + 1]! - SECOND);
  }

  get end(): number {
    return this.#end;
  }

  get start(): number {
    return this.#start;
  }

  get months(): number {
    return this.#months;
  }

  monthStart(m: number): number {
    return this.#monthStart[m]!;
  }

  calendarMonth(m: number): number {
    return this.#calendarMonth[m]!;
  }

  // --- customers ------------------------------------------------------------------------------

  /** Customers are numbered in sign-up order; this is when customer i signed up. */
  #signupAt(i: number, r: number): number {
    const pre = this.#preCustomers;
    if (i < pre) {
      const span = 3 * 365 * DAY;
      return floorSecond(this.#start - span + ((i + r) / pre) * span);
    }
    const u = (i - pre + r) / (this.#customers - pre);
    const cdf = this.#signupCdf;
    let m = 0;
    while (m < this.#months - 1 && u >= cdf[m + 1]!) m++;
    const frac = clamp((u - cdf[m]!) / (cdf[m + 1]! - cdf[m]!), 0, 0.999999);
    return floorSecond(this.#monthStart[m]! + frac * (this.#monthStart[m + 1]! - this.#monthStart[m]!));
  }

  /** A customer who had signed up before `t` (every one of them equally likely). */
  customerBefore(t: number, rng: Rng): number {
    const pre = this.#preCustomers;
    let count = pre;
    if (t >= this.#start) {
      const m = this.monthOf(t);
      const s = this.#monthStart;
      const within = (t - s[m]!) / (s[m + 1]! - s[m]!);
      const g = this.#signupCdf[m]! + within * (this.#signupCdf[m + 1]! - this.#signupCdf[m]!);
      count = pre + Math.floor((this.#customers - pre) * g);
    }
    return rng.int(Math.max(1, Math.min(count, this.#customers)));
  }

  customerCore(i: number): CustomerCore {
    const rng = this.rng(S.customer, i);
    const signupMs = this.#signupAt(i, rng.next());
    const country = COUNTRY_PICK.pick(rng);
    const language = LANGUAGE_PICK.get(country.name)!.pick(rng);
    const segment = SEGMENT_PICK.pick(rng) as Segment;
    let plan: PlanId | null = null;
    const u = rng.next();
    if (segment === 'consumer') plan = u < 0.19 ? 'club-basic' : u < 0.32 ? 'club-plus' : null;
    else plan = u < (segment === 'enterprise' ? 0.8 : 0.55) ? 'business' : null;
    return { index: i, id: `C-${pad(i + 1)}`, signupMs, country, language, segment, plan };
  }

  customerRecord(i: number): StoredRecord {
    const core = this.customerCore(i);
    const rng = this.rng(S.customerDetail, i);
    const { country, language, segment } = core;
    const consumer = segment === 'consumer';
    const g = rng.next();
    const gender = !consumer ? null : g < 0.5 ? 'female' : g < 0.97 ? 'male' : 'prefer not to say';
    const female = gender === 'female' || (gender !== 'male' && rng.chance(0.5));
    const arabic = ARABIC_REGIONS.has(country.region);
    const pool: NamePool = arabic
      ? language === 'ar' && rng.chance(0.7)
        ? 'arabic'
        : 'arabic-latin'
      : country.region === 'baltic'
        ? 'lithuanian'
        : country.name === 'Germany'
          ? 'german'
          : 'english';
    let name: string;
    let sector: string | null = null;
    let headcount: number | null = null;
    if (consumer) {
      name = personName(rng, pool, female);
    } else {
      sector = rng.pick(SECTORS);
      const words = COMPANY_WORDS[pool === 'arabic' || pool === 'arabic-latin' ? 'arabic' : pool];
      name = `${rng.pick(words.stems)} ${words.sector[sector]} ${words.suffix}`;
      headcount =
        segment === 'small business'
          ? Math.round(clamp(rng.logNormal(12, 0.7), 2, 49))
          : Math.round(clamp(rng.logNormal(400, 1), 50, 20000));
    }
    return {
      id: core.id,
      name,
      email: `${consumer ? 'customer' : 'buyer'}.${i + 1}@example.com`,
      segment,
      age_band: consumer && rng.chance(0.9) ? AGE_PICK.pick(rng) : null,
      gender,
      country: country.name,
      city: CITY_PICK.get(country.name)!.pick(rng),
      sector,
      headcount,
      plan: core.plan,
      signup_at: date(core.signupMs),
      attributes: { language, acquisition: ACQUISITION_PICK.pick(rng) },
    };
  }

  // --- staff ----------------------------------------------------------------------------------

  #buildStaff(agents: number, staff: number): Employee[] {
    const employees: Employee[] = [];
    const months = this.#months;
    const support = TEAMS.filter((t) => t.support);
    const other = TEAMS.filter((t) => !t.support);
    const understaffed = this.#incidentMonth['chat-understaffed'];
    const newAgentMonth = this.#incidentMonth['new-agent-low-fcr'];
    const add = (teamId: string, isAgent: boolean, role: string, hiredMs: number, firstMonth: number, planted = false, id?: string, name?: string) => {
      const team = TEAMS.find((t) => t.id === teamId)!;
      const index = employees.length;
      const rng = this.rng(S.employee, index);
      const female = rng.chance(0.5);
      const employee: Employee = {
        index,
        record: {},
        team: teamId,
        isAgent,
        hourlyCost: round2(team.hourlyCost[0] + rng.next() * (team.hourlyCost[1] - team.hourlyCost[0])),
        language: new Weighted(team.languages).pick(rng),
        firstMonth,
        endMonth: months,
        fcrShift: clamp(rng.normal() * 0.05, -0.1, 0.1),
        csatShift: clamp(rng.normal() * 0.03, -0.06, 0.06),
        speed: clamp(rng.logNormal(1, 0.15), 0.75, 1.35),
        esatShift: clamp(rng.normal() * 0.08, -0.2, 0.15),
        planted,
      };
      const employeeId = id ?? `E-${pad(index + 1, 4)}`;
      employee.record = {
        id: employeeId,
        name: name ?? personName(rng, team.names === 'arabic' && isAgent ? 'arabic-latin' : team.names, female),
        email: `${employeeId.toLowerCase()}@birchpalm.example`,
        team_id: teamId,
        role,
        is_agent: isAgent,
        hourly_cost: employee.hourlyCost,
        hired_at: date(hiredMs),
        left_at: null,
        attributes: { location: team.location, language: employee.language },
      };
      employees.push(employee);
      return employee;
    };
    const leave = (e: Employee, m: number) => {
      e.endMonth = m;
      e.record.left_at = new Date(this.#monthStart[m]!);
    };
    const preHire = (index: number) => {
      const rng = this.rng(S.employee, 100_000 + index);
      return floorSecond(this.#start - (30 + rng.int(6 * 365)) * DAY - rng.int(8) * HOUR);
    };
    const hireAt = (m: number) => this.#monthStart[m]! - 7 * DAY + 8 * HOUR;

    const counts = (total: number, teams: typeof TEAMS, min: number) => teams.map((t) => Math.max(min, Math.round(total * t.share)));
    const supportCounts = counts(agents, support, 2);
    const otherCounts = counts(staff, other, 1);
    const roster: Employee[] = [];
    support.forEach((team, t) => {
      add(team.id, false, 'Team lead', preHire(employees.length), 0);
      for (let n = 0; n < supportCounts[t]!; n++) {
        const rng = this.rng(S.employee, 200_000 + employees.length);
        roster.push(add(team.id, true, rng.chance(0.25) ? team.roles[team.roles.length - 1]! : team.roles[0]!, preHire(employees.length), 0));
      }
    });
    other.forEach((team, t) => {
      for (let n = 0; n < otherCounts[t]!; n++) {
        const rng = this.rng(S.employee, 200_000 + employees.length);
        roster.push(add(team.id, false, rng.pick(team.roles), preHire(employees.length), 0));
      }
    });
    // The understaffed month: one agent of each language team leaves; the replacement starts a month late.
    const leavers = new Set<Employee>();
    if (understaffed !== undefined) {
      for (const teamId of ['support-ar', 'support-baltic', 'support-en']) {
        const agent = roster.find((e) => e.team === teamId && e.isAgent && !leavers.has(e));
        if (!agent) continue;
        leavers.add(agent);
        leave(agent, understaffed);
        if (understaffed + 1 < months) add(teamId, true, 'Support agent', hireAt(understaffed + 1), understaffed + 1);
      }
    }
    // Ordinary turnover: about 12% a year leave; the replacement starts the same month.
    for (const e of roster) {
      if (leavers.has(e)) continue;
      const rng = this.rng(S.employee, 300_000 + e.index);
      if (months < 4 || !rng.chance((0.12 * months) / 12)) continue;
      const m = 2 + rng.int(months - 2);
      if (understaffed !== undefined && Math.abs(m - understaffed) <= 1) continue;
      leave(e, m);
      add(e.team, e.isAgent, String(e.record.role), hireAt(m), m);
    }
    if (newAgentMonth !== undefined) {
      add('support-ar', true, 'Support agent', hireAt(newAgentMonth), newAgentMonth, true, 'E-9001', 'Tariq Haddad');
    }
    return employees;
  }

  agentFor(team: string, m: number, rng: Rng): Employee | undefined {
    const active = this.#agentsByTeamMonth.get(team)?.[m];
    if (!active || active.length === 0) return undefined;
    return this.employees[active[rng.int(active.length)]!];
  }

  // --- subscriptions --------------------------------------------------------------------------

  subscription(core: CustomerCore): SubscriptionDraft | null {
    if (!core.plan) return null;
    const plan = core.plan;
    const rng = this.rng(S.subscription, core.index);
    let startMs = floorSecond(core.signupMs + rng.next() * 2 * DAY);
    if (startMs >= this.#end) startMs = core.signupMs;
    const annual = rng.chance(plan === 'business' ? 0.6 : 0.3);
    const lt = core.country.name === 'Lithuania';
    let endedMs: number | null = null;
    let reason: string | null = null;
    const first = Math.max(-36, this.monthOf(startMs) === -1 ? -Math.ceil((this.#start - startMs) / (30.44 * DAY)) : this.monthOf(startMs));
    for (let m = first; m < this.#months; m++) {
      const monthStart = m >= 0 ? this.#monthStart[m]! : this.#start + m * 30.44 * DAY;
      const monthEnd = m >= 0 ? this.#monthStart[m + 1]! : monthStart + 30.44 * DAY;
      if (monthEnd <= startMs) continue;
      let hazard = PLANS[plan].hazard * (annual ? 0.45 : 1);
      const tenure = (monthStart - startMs) / (30.44 * DAY);
      if (tenure < 3) hazard *= 1.3;
      const priceShock = plan !== 'club-plus' || m < 0 ? 1 : this.active('price-change', m) ? 4 : this.active('price-change', m - 1) ? 2 : 1;
      const carrierShock = lt && m >= 0 && (this.active('carrier-delay', m) || this.active('carrier-delay', m - 1)) ? 1.8 : 1;
      hazard *= priceShock * carrierShock;
      if (!rng.chance(hazard)) continue;
      const at = floorSecond(Math.max(startMs + DAY, monthStart + rng.next() * (monthEnd - monthStart)));
      if (at >= this.#end) break;
      endedMs = at;
      const u = rng.next();
      if (priceShock > 1 && u < 0.72) reason = CANCEL_REASONS.price;
      else if (carrierShock > 1 && u < 0.5) reason = CANCEL_REASONS.delivery;
      else {
        const v = rng.next();
        reason =
          plan === 'business' && v < 0.2
            ? CANCEL_REASONS.closed
            : v < 0.45
              ? CANCEL_REASONS.unused
              : v < 0.65
                ? CANCEL_REASONS.price
                : v < 0.78
                  ? CANCEL_REASONS.competitor
                  : v < 0.87
                    ? CANCEL_REASONS.delivery
                    : v < 0.94
                      ? CANCEL_REASONS.support
                      : CANCEL_REASONS.moving;
      }
      break;
    }
    const priceMonth = this.#incidentMonth['price-change'];
    const raised = plan === 'club-plus' && priceMonth !== undefined && (endedMs ?? this.#end) > this.#monthStart[priceMonth]!;
    const monthly = plan === 'club-plus' && raised ? PLANS['club-plus'].raisedPrice : PLANS[plan].price;
    const amount = (annual ? monthly * 10 : monthly) * core.country.perEuro;
    const status = endedMs !== null ? 'cancelled' : rng.chance(0.02) ? 'past-due' : 'active';
    return {
      record: {
        id: `S-${pad(core.index + 1)}`,
        customer_id: core.id,
        started_at: date(startMs),
        ended_at: endedMs === null ? null : date(endedMs),
        plan,
        status,
        recurring_amount: round2(amount),
        currency: core.country.currency,
        cancel_reason: reason,
        attributes: { billing: annual ? 'annual' : 'monthly' },
      },
      startMs,
      endedMs,
      annual,
      reason,
    };
  }

  // --- orders ---------------------------------------------------------------------------------

  order(k: number): OrderDraft {
    const rng = this.rng(S.order, k);
    const month = this.#orderMonth.pick(rng);
    const placedMs = floorSecond(this.timeIn(month, rng));
    const customer = this.customerCore(this.customerBefore(placedMs, rng));
    const { country, segment } = customer;
    const business = segment !== 'consumer';
    const channel = country.store && rng.chance(0.12) ? 'in-store' : rng.chance(0.38) ? 'app' : 'web';
    const items = business ? rng.between(3, 40) : ([1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6] as const)[rng.int(12)]!;
    const euros = business ? rng.logNormal(380, 0.7) : rng.logNormal(45, 0.55) * items ** 0.6;
    let method: string;
    const v = rng.next();
    if (business && v < 0.6) method = 'invoice';
    else if (country.name === 'Saudi Arabia') method = v < 0.45 ? 'mada' : v < 0.7 ? 'card' : v < 0.9 ? 'apple-pay' : 'cash-on-delivery';
    else if (ARABIC_REGIONS.has(country.region)) method = v < 0.55 ? 'card' : v < 0.75 ? 'apple-pay' : 'cash-on-delivery';
    else method = v < 0.6 ? 'card' : v < 0.8 ? 'paypal' : v < 0.95 ? 'apple-pay' : 'bank-link';
    if (channel === 'in-store' && method === 'cash-on-delivery') method = 'cash';

    const canFail = method !== 'cash-on-delivery' && method !== 'invoice' && method !== 'cash';
    // The outage hits the Saudi payment provider: mada cards worst, other cards and wallets too.
    const outage = canFail && country.name === 'Saudi Arabia' && this.active('payment-outage', month);
    const failP = outage ? (method === 'mada' ? 0.6 : 0.3) : 0.02;
    const failures = canFail && rng.chance(failP) ? (rng.chance(0.4) ? 2 : 1) : 0;
    const cancelled = failures > 0 ? rng.chance(outage ? 0.55 : 0.3) : rng.chance(0.025);

    let status: string;
    let deliveredMs: number | null = null;
    let returnedMs: number | null = null;
    let lateDays = 0;
    let damaged = false;
    const carrier = channel === 'in-store' ? null : country.carrier;
    const promised = country.promisedDays;
    if (cancelled) {
      status = 'cancelled';
    } else if (channel === 'in-store') {
      deliveredMs = placedMs + rng.between(1, 15) * MINUTE;
      status = 'delivered';
    } else {
      const r = rng.next();
      let days = r < 0.8 ? Math.max(1, promised - rng.int(2)) : r < 0.95 ? promised + rng.between(1, 2) : promised + rng.between(3, 6);
      const cm = this.#calendarMonth[month]!;
      if ((cm === 11 || cm === 10) && rng.chance(cm === 11 ? 0.5 : 0.25)) days += 1;
      if (country.name === 'Lithuania' && this.active('carrier-delay', month)) days += rng.between(4, 9);
      lateDays = days - promised;
      damaged = rng.chance(0.025);
      const at = placedMs + days * DAY + rng.int(10 * 3600) * SECOND;
      if (at < this.#end) {
        deliveredMs = at;
        status = 'delivered';
        const back = at + rng.between(3, 14) * DAY;
        if (rng.chance(damaged ? 0.6 : 0.045) && back < this.#end) {
          status = 'returned';
          returnedMs = back;
        } else if (rng.chance(0.012) && back < this.#end) {
          status = 'refunded';
        }
      } else {
        status = this.#end - placedMs < DAY ? 'paid' : 'fulfilled';
      }
    }
    return {
      record: {
        id: `O-${pad(k + 1)}`,
        customer_id: customer.id,
        placed_at: date(placedMs),
        amount: round2(euros * country.perEuro),
        currency: country.currency,
        status,
        channel,
        items,
        delivered_at: deliveredMs === null ? null : date(deliveredMs),
        attributes: { carrier, payment_method: method, promised_days: carrier ? String(promised) : null },
      },
      customer,
      placedMs,
      month,
      channel,
      lateDays,
      damaged,
      failures,
      deliveredMs,
      returnedMs,
    };
  }

  // --- tickets --------------------------------------------------------------------------------

  ticket(j: number): TicketDraft {
    const rng = this.rng(S.ticket, j);
    const month = this.#ticketMonth.pick(rng);
    const createdMs = floorSecond(this.timeIn(month, rng));
    const extras = this.#ticketExtras[month]!;
    let incident: IncidentId | undefined;
    if (extras.length > 0) {
      const total = extras.reduce((s, [, x]) => s + x, 0);
      let u = rng.next() * (1 + total);
      for (const [id, x] of extras) if ((u -= x) < 0 && !incident) incident = id;
    }
    let customer = this.customerCore(this.customerBefore(createdMs, rng));
    if (incident) {
      const wanted = (c: CustomerCore) =>
        incident === 'carrier-delay' ? c.country.name === 'Lithuania' : incident === 'payment-outage' ? c.country.name === 'Saudi Arabia' : c.plan === 'club-plus';
      for (let tries = 0; tries < 80 && !wanted(customer); tries++) customer = this.customerCore(this.customerBefore(createdMs, rng));
    }
    const { country, language } = customer;
    const business = customer.segment !== 'consumer';
    const channel = (business ? CHANNELS_BUSINESS : ARABIC_REGIONS.has(country.region) ? CHANNELS_ARABIC : CHANNELS_OTHER).pick(rng) as TicketChannel;
    let category = CATEGORY_PICK.pick(rng);
    if (incident === 'carrier-delay') category = rng.chance(0.85) ? 'delivery' : 'complaint';
    else if (incident === 'payment-outage') category = 'payment';
    else if (incident === 'price-change') category = 'billing';
    let priority: string = PRIORITY_PICK.pick(rng);
    if ((category === 'complaint' || category === 'damaged') && priority === 'low') priority = 'high';
    let team = country.team as string;
    if ((category === 'complaint' || priority === 'urgent') && rng.chance(0.5)) team = 'support-tier2';

    const understaffed = channel === 'chat' && this.active('chat-understaffed', month);
    const cm = this.#calendarMonth[month]!;
    const peak = cm === 11 ? 1.6 : cm === 10 ? 1.2 : 1;
    const bot = (channel === 'messaging' || channel === 'chat') && BOT_CATEGORIES.has(category) && this.since('bot-launch', month) && rng.chance(0.3);
    const abandoned = !bot && (channel === 'chat' || channel === 'phone' || channel === 'messaging') && rng.chance(understaffed ? 0.12 : cm === 11 ? 0.05 : 0.03);
    const agent = bot || abandoned ? undefined : this.agentFor(team, month, rng);

    const frtMedian = FRT_MEDIAN[channel];
    const frtSeconds = Math.max(
      5,
      Math.round(frtMedian * peak * (understaffed ? 2.6 : 1) * (priority === 'urgent' ? 0.5 : priority === 'high' ? 0.8 : 1) * rng.logNormal(1, 0.8)),
    );
    let fcrP = FCR_BASE[channel] + (agent?.fcrShift ?? 0);
    if (category === 'complaint') fcrP -= 0.15;
    if (category === 'damaged' || incident === 'carrier-delay') fcrP -= 0.1;
    if (agent?.planted) fcrP = month - this.#incidentMonth['new-agent-low-fcr']! < 3 ? 0.38 : 0.55;
    const fcr = bot || rng.chance(clamp(fcrP, 0.05, 0.97));
    const reopened = !fcr && rng.chance(0.4);
    const reopenCount = reopened ? (rng.chance(0.2) ? 2 : 1) : 0;
    const contacts = fcr ? 1 : Math.min(6, 2 + (rng.chance(0.5) ? 0 : rng.chance(0.5) ? 1 : rng.between(2, 4)));
    const speed = (agent?.speed ?? 1) * (agent?.planted ? 1.3 : 1);

    const record: StoredRecord = {
      id: `T-${pad(j + 1)}`,
      created_at: date(createdMs),
      customer_id: customer.id,
      channel,
      agent_id: agent ? String(agent.record.id) : null,
      team_id: bot ? null : team,
      category,
      priority,
      status: 'new',
      subject: TICKET_SUBJECTS[category][language],
      first_response_at: null,
      resolved_at: null,
      first_resolved_at: null,
      closed_at: null,
      reopen_count: 0,
      agent_reply_count: 0,
      customer_contact_count: 1,
      handle_seconds: 0,
      cost: 0,
      merged_into: null,
      handled_by_bot: bot,
      attributes: { language },
    };
    let firstResolvedMs: number | null = null;
    const end = this.#end;
    if (bot) {
      const solved = createdMs + Math.round(rng.logNormal(180, 0.5)) * SECOND;
      if (solved < end) {
        firstResolvedMs = solved;
        record.first_resolved_at = record.resolved_at = date(solved);
        record.status = solved + 4 * DAY < end ? 'closed' : 'solved';
        if (record.status === 'closed') record.closed_at = date(solved + 4 * DAY);
      } else record.status = 'open';
      record.cost = 0.4;
    } else if (abandoned) {
      record.status = 'abandoned';
      record.team_id = team;
    } else {
      const firstResponse = createdMs + frtSeconds * SECOND;
      const [solveMedian, solveSigma] = SOLVE_TIME[channel];
      let firstSolve = firstResponse + Math.round(rng.logNormal(solveMedian, solveSigma)) * SECOND;
      if (!fcr && !reopened) for (let c = 1; c < contacts; c++) firstSolve += Math.round(rng.logNormal(DAY / SECOND, 0.8)) * SECOND;
      let lastSolve = firstSolve;
      for (let r = 0; r < reopenCount; r++) lastSolve += Math.round(rng.logNormal((3 * DAY) / SECOND, 0.6)) * SECOND;
      const perContact =
        channel === 'phone' ? rng.logNormal(420, 0.4) + 60 : channel === 'chat' ? rng.logNormal(540, 0.5) : channel === 'messaging' ? rng.logNormal(300, 0.5) : rng.logNormal(240, 0.5);
      const replies =
        channel === 'phone'
          ? contacts
          : channel === 'chat'
            ? contacts * rng.between(3, 8)
            : channel === 'messaging'
              ? contacts * rng.between(2, 5)
              : contacts + (fcr ? 0 : rng.between(0, 1)) + reopenCount;
      const handle = Math.round(perContact * (channel === 'email' || channel === 'social' ? replies : contacts) * speed);
      record.handle_seconds = handle;
      record.cost = round2((handle / 3600) * (agent?.hourlyCost ?? 20));
      record.agent_reply_count = replies;
      record.customer_contact_count = contacts;
      record.reopen_count = reopenCount;
      if (firstResponse >= end) {
        record.status = 'new';
        record.agent_reply_count = 0;
        record.handle_seconds = 0;
        record.cost = 0;
        record.reopen_count = 0;
        record.customer_contact_count = 1;
      } else {
        record.first_response_at = date(firstResponse);
        if (firstSolve >= end) {
          record.status = rng.chance(0.4) ? 'pending' : 'open';
          record.reopen_count = 0;
        } else {
          firstResolvedMs = firstSolve;
          record.first_resolved_at = date(firstSolve);
          if (lastSolve >= end) {
            record.resolved_at = date(firstSolve);
            record.status = 'open';
          } else {
            record.resolved_at = date(lastSolve);
            const closed = lastSolve + 4 * DAY;
            record.status = closed < end ? 'closed' : 'solved';
            if (closed < end) record.closed_at = date(closed);
          }
        }
      }
    }
    return {
      record,
      customer,
      month,
      channel,
      category,
      agent,
      bot,
      fcr,
      reopened: reopenCount > 0,
      slow: frtSeconds > 3 * frtMedian,
      fast: frtSeconds < frtMedian,
      firstResolvedMs,
    };
  }

  /** About 2.5% of e-mail, social and messaging tickets have a duplicate merged into them. */
  duplicate(j: number, parent: TicketDraft): StoredRecord | undefined {
    if (parent.bot || parent.channel === 'chat' || parent.channel === 'phone' || parent.record.status === 'abandoned') return undefined;
    const rng = this.rng(S.duplicate, j);
    if (!rng.chance(0.025)) return undefined;
    const created = (parent.record.created_at as Date).getTime() + Math.round(rng.logNormal(1800, 1)) * SECOND;
    const merged = created + rng.between(2, 120) * MINUTE;
    if (merged >= this.#end) return undefined;
    return {
      ...parent.record,
      id: `${String(parent.record.id)}-2`,
      created_at: date(created),
      status: 'closed',
      first_response_at: null,
      resolved_at: date(merged),
      first_resolved_at: date(merged),
      closed_at: date(merged),
      reopen_count: 0,
      agent_reply_count: 0,
      customer_contact_count: 1,
      handle_seconds: 30,
      cost: round2((30 / 3600) * (parent.agent?.hourlyCost ?? 20)),
      merged_into: parent.record.id as string,
      handled_by_bot: false,
      attributes: { ...(parent.record.attributes as Record<string, unknown>) },
    };
  }

  // --- visits ---------------------------------------------------------------------------------

  visit(v: number): VisitDraft {
    const rng = this.rng(S.visit, v);
    const month = this.#visitMonth.pick(rng);
    const visitedMs = floorSecond(this.timeIn(month, rng));
    const customer = rng.chance(0.35) ? this.customerCore(this.customerBefore(visitedMs, rng)) : undefined;
    const country = customer?.country ?? COUNTRY_PICK.pick(rng);
    let intent: VisitIntent | null = null;
    if (rng.chance(RATE.visitIntent)) {
      const cm = this.#calendarMonth[month]!;
      const weights = { ...INTENT_BASE };
      if (cm === 10 || cm === 11) weights['buy-gift'] *= 2.2;
      if (customer && customer.segment !== 'consumer') weights['business-order'] *= 10;
      if (country.name === 'Lithuania' && this.active('carrier-delay', month)) weights['track-order'] *= 5;
      if (country.name === 'Saudi Arabia' && this.active('payment-outage', month)) weights['get-help'] *= 3;
      intent = new Weighted(Object.entries(weights) as Array<[VisitIntent, number]>).pick(rng);
    }
    const page = intent && rng.chance(0.7) ? INTENT_PAGE[intent] : PAGE_PICK.pick(rng);
    const conversion = (intent ? INTENT_CONVERSION[intent] : page === '/product' ? 0.06 : 0.03) * (this.#calendarMonth[month] === 11 ? 1.2 : 1);
    return {
      record: {
        id: `V-${pad(v + 1, 8)}`,
        visited_at: date(visitedMs),
        session_id: `s-${(rng.int(0x1_0000_0000) >>> 0).toString(16).padStart(8, '0')}${(rng.int(0x1_0000) >>> 0).toString(16).padStart(4, '0')}`,
        customer_id: customer?.id ?? null,
        page,
        source: SOURCE_PICK.pick(rng),
        device: DEVICE_PICK.pick(rng),
        intent,
        converted: rng.chance(conversion),
        attributes: { country: country.name },
      },
      customer,
      country,
      intent,
      visitedMs,
      month,
    };
  }

  get customers(): number {
    return this.#customers;
  }
}

// ---------------------------------------------------------------------------------------------
// Survey responses

interface ResponseFields {
  kind: string;
  score?: number | null;
  scale?: readonly [number, number];
  answer?: string | null;
  comment?: string | null;
  language: Language;
  at: number;
  survey: string;
  question: string;
  submission: string;
  customer?: string | null;
  employee?: string | null;
  touchpoint?: string | null;
  channel?: string | null;
  agent?: string | null;
  ticket?: string | null;
  order?: string | null;
  sentVia: string;
}

function response(id: string, f: ResponseFields): StoredRecord {
  return {
    id,
    kind: f.kind,
    score: f.score ?? null,
    scale_min: f.scale ? f.scale[0] : null,
    scale_max: f.scale ? f.scale[1] : null,
    answer: f.answer ?? null,
    comment: f.comment ?? null,
    language: f.language,
    submitted_at: date(f.at),
    survey_id: f.survey,
    question_id: f.question,
    submission_id: f.submission,
    customer_id: f.customer ?? null,
    employee_id: f.employee ?? null,
    touchpoint: f.touchpoint ?? null,
    channel: f.channel ?? null,
    agent_id: f.agent ?? null,
    ticket_id: f.ticket ?? null,
    order_id: f.order ?? null,
    attributes: { sent_via: f.sentVia },
  };
}

const CSAT5 = [1, 5] as const;
const CSAT10 = [1, 10] as const;
const CES7 = [1, 7] as const;
const NPS = [0, 10] as const;

function* visitResponses(world: DemoWorld, count: number): Generator<StoredRecord> {
  for (let v = 0; v < count; v++) {
    const visit = world.visit(v);
    const rng = world.rng(S.rVisit, v);
    const id = String(visit.record.id);
    const language: Language = visit.customer?.language ?? LANGUAGE_PICK.get(visit.country.name)!.pick(rng);
    const base = { language, customer: visit.customer?.id ?? null, touchpoint: 'website', channel: 'web', sentVia: 'widget' };
    if (visit.intent) {
      const at = visit.visitedMs + rng.between(5, 60) * SECOND;
      if (at < world.end) {
        yield response(`R-${id}-intent`, { ...base, kind: 'intent', answer: visit.intent, at, survey: 'website-intent', question: 'intent', submission: `SUB-${id}` });
      }
    }
    if (rng.chance(RATE.visitCsat)) {
      const at = visit.visitedMs + rng.between(1, 10) * MINUTE;
      if (at >= world.end) continue;
      let positivity = 0.72;
      if (visit.intent === 'track-order' && visit.country.name === 'Lithuania' && world.active('carrier-delay', visit.month)) positivity = 0.3;
      if (visit.intent === 'get-help') positivity -= 0.1;
      const score = drawScore(rng, 1, 10, positivity);
      const comment = maybeComment(rng, sentimentOf(score, 1, 10), language, {
        positive: ['good_quality', 'good_value', 'easy_checkout'],
        negative: visit.intent === 'track-order' ? ['late_delivery'] : ['hard_to_find'],
      });
      yield response(`R-${id}-csat`, { ...base, kind: 'csat', score, scale: CSAT10, comment, at, survey: 'website-csat', question: 'found-it', submission: `SUB-${id}-csat` });
    }
  }
}

function* orderResponses(world: DemoWorld, count: number): Generator<StoredRecord> {
  for (let k = 0; k < count; k++) {
    const order = world.order(k);
    const rng = world.rng(S.rOrder, k);
    const id = String(order.record.id);
    const { customer } = order;
    const language = customer.language;
    const base = { language, customer: customer.id, order: id, channel: order.channel };
    const checkoutRate = order.channel === 'in-store' ? 0.1 : RATE.checkout;
    if (rng.chance(checkoutRate)) {
      const at = order.placedMs + rng.between(1, 5) * MINUTE;
      if (at < world.end) {
        const failed = order.failures > 0;
        const csat = drawScore(rng, 1, 5, failed ? 0.25 : 0.87);
        const ces = drawScore(rng, 1, 5, failed ? 0.1 : 0.82);
        const comment = maybeComment(rng, sentimentOf(csat, 1, 5), language, {
          positive: ['easy_checkout', 'good_value'],
          negative: failed ? ['payment_failed'] : ['hard_to_find', 'ok'],
        });
        const sentVia = order.channel === 'in-store' ? 'in-store' : order.channel === 'app' ? 'in-app' : 'widget';
        const submission = `SUB-${id}-checkout`;
        yield response(`R-${id}-checkout-csat`, { ...base, kind: 'csat', score: csat, scale: CSAT5, comment, at, survey: 'checkout', question: 'csat', submission, touchpoint: 'checkout', sentVia });
        yield response(`R-${id}-checkout-ces`, { ...base, kind: 'ces', score: ces, scale: CSAT5, at, survey: 'checkout', question: 'ces', submission, touchpoint: 'checkout', sentVia });
      }
    }
    if (order.deliveredMs !== null && order.channel !== 'in-store' && rng.chance(RATE.shipping)) {
      const at = order.deliveredMs + rng.between(2, 48) * HOUR;
      if (at < world.end) {
        const positivity = order.damaged ? 0.1 : order.lateDays <= 0 ? 0.9 : order.lateDays <= 2 ? 0.55 : 0.2;
        const score = drawScore(rng, 1, 5, positivity);
        const comment = maybeComment(rng, sentimentOf(score, 1, 5), language, {
          positive: ['fast_delivery', 'good_quality'],
          negative: order.damaged ? ['damaged'] : order.lateDays > 0 ? ['late_delivery'] : ['ok', 'damaged'],
        });
        yield response(`R-${id}-shipping`, { ...base, kind: 'csat', score, scale: CSAT5, comment, at, survey: 'delivery', question: 'csat', submission: `SUB-${id}-delivery`, touchpoint: 'shipping', sentVia: 'sms' });
      }
    }
    if (order.returnedMs !== null && rng.chance(RATE.returns)) {
      const at = order.returnedMs + rng.between(1, 5) * DAY;
      if (at < world.end) {
        const score = drawScore(rng, 1, 5, 0.66);
        const comment = maybeComment(rng, sentimentOf(score, 1, 5), language, { positive: ['easy_return'], negative: ['return_hassle'] });
        yield response(`R-${id}-returns`, { ...base, kind: 'csat', score, scale: CSAT5, comment, at, survey: 'returns', question: 'csat', submission: `SUB-${id}-returns`, touchpoint: 'returns', sentVia: 'email' });
      }
    }
  }
}

function* ticketResponses(world: DemoWorld, count: number): Generator<StoredRecord> {
  for (let j = 0; j < count; j++) {
    const ticket = world.ticket(j);
    const rng = world.rng(S.rTicket, j);
    if (ticket.firstResolvedMs === null || !rng.chance(RATE.support)) continue;
    const at = ticket.firstResolvedMs + rng.between(10, 24 * 60) * MINUTE;
    if (at >= world.end) continue;
    const id = String(ticket.record.id);
    const { customer, agent } = ticket;
    let positivity = ticket.bot ? 0.72 : 0.88 + (agent?.csatShift ?? 0);
    if (!ticket.fcr) positivity -= 0.35;
    if (ticket.reopened) positivity -= 0.15;
    if (ticket.slow) positivity -= 0.2;
    if (agent?.planted) positivity -= 0.1;
    let ease = ticket.bot ? 0.75 : 0.82;
    if (!ticket.fcr) ease -= 0.4;
    if (ticket.slow) ease -= 0.1;
    const csat = drawScore(rng, 1, 5, positivity);
    const ces = drawScore(rng, 1, 7, ease);
    const categoryTopic: CommentTopic[] =
      ticket.category === 'delivery'
        ? ['late_delivery']
        : ticket.category === 'damaged'
          ? ['damaged']
          : ticket.category === 'returns'
            ? ['return_hassle']
            : ticket.category === 'payment'
              ? ['payment_failed']
              : ticket.category === 'billing' && customer.plan === 'club-plus' && world.active('price-change', ticket.month, 2)
                ? ['price_increase']
                : [];
    const negative: CommentTopic[] = ticket.bot
      ? ['bot_unhelpful']
      : [...(!ticket.fcr ? (['repeat_contact'] as const) : []), ...(ticket.slow ? (['slow_response'] as const) : []), ...categoryTopic];
    const comment = maybeComment(rng, sentimentOf(csat, 1, 5), customer.language, {
      positive: ticket.bot ? ['bot_helpful'] : ticket.fast ? ['quick_answer', 'helpful_agent'] : ['helpful_agent'],
      negative: negative.length > 0 ? negative : ['ok'],
    });
    const base = {
      language: customer.language,
      customer: customer.id,
      touchpoint: 'support',
      channel: ticket.channel,
      agent: agent ? String(agent.record.id) : null,
      ticket: id,
      at,
      survey: 'support-followup',
      submission: `SUB-${id}`,
      sentVia: ticket.channel === 'phone' ? 'sms' : ticket.channel === 'email' ? 'email' : 'in-conversation',
    };
    yield response(`R-${id}-csat`, { ...base, kind: 'csat', score: csat, scale: CSAT5, comment, question: 'csat' });
    yield response(`R-${id}-ces`, { ...base, kind: 'ces', score: ces, scale: CES7, question: 'ces' });
  }
}

const HEADCOUNT_BANDS = [
  [10, '1-10'],
  [50, '11-50'],
  [200, '51-200'],
  [1000, '201-1000'],
  [Infinity, '1000+'],
] as const;

function* customerResponses(world: DemoWorld): Generator<StoredRecord> {
  const months = world.months;
  for (let i = 0; i < world.customers; i++) {
    const core = world.customerCore(i);
    const rng = world.rng(S.rCustomer, i);
    const { id, language } = core;
    const base = { language, customer: id };
    // Onboarding, a few days after signing up.
    if (core.signupMs >= world.start && rng.chance(RATE.onboarding)) {
      const at = core.signupMs + rng.between(2 * 24, 7 * 24) * HOUR;
      if (at < world.end) {
        const ces = drawScore(rng, 1, 7, 0.74);
        const csat = drawScore(rng, 1, 5, 0.8);
        const comment = maybeComment(rng, sentimentOf(csat, 1, 5), language, { positive: ['easy_setup'], negative: ['confusing_setup'] });
        const submission = `SUB-${id}-onboarding`;
        const f = { ...base, at, survey: 'onboarding', submission, touchpoint: 'onboarding', channel: 'web', sentVia: 'email' };
        yield response(`R-${id}-onboarding-csat`, { ...f, kind: 'csat', score: csat, scale: CSAT5, comment, question: 'csat' });
        yield response(`R-${id}-onboarding-ces`, { ...f, kind: 'ces', score: ces, scale: CES7, question: 'ces' });
      }
    }
    // Profile questions after the first purchase.
    if (rng.chance(RATE.profile)) {
      const at = Math.max(core.signupMs, world.start) + rng.between(1, 14 * 24) * HOUR;
      if (at < world.end) {
        const detail = world.customerRecord(i);
        const f = { ...base, kind: 'profile', at, survey: 'profile', submission: `SUB-${id}-profile`, touchpoint: 'checkout', sentVia: 'email' };
        if (core.segment === 'consumer') {
          if (detail.age_band) yield response(`R-${id}-age_band`, { ...f, answer: String(detail.age_band), question: 'age_band' });
          if (detail.gender) yield response(`R-${id}-gender`, { ...f, answer: String(detail.gender), question: 'gender' });
        } else {
          yield response(`R-${id}-sector`, { ...f, answer: String(detail.sector), question: 'sector' });
          const headcount = Number(detail.headcount);
          yield response(`R-${id}-headcount`, { ...f, answer: HEADCOUNT_BANDS.find(([max]) => headcount <= max)![1], question: 'headcount' });
        }
      }
    }
    // Relationship NPS: every customer is asked every six months.
    const offset = rng.int(6);
    const subscription = core.plan === 'club-plus' ? world.subscription(core) : null;
    for (let m = offset; m < months; m += 6) {
      if (world.monthStart(m + 1) <= core.signupMs + DAY || !rng.chance(RATE.nps)) continue;
      const at = Math.max(world.timeIn(m, rng), core.signupMs + DAY);
      let promoters = 0.42 + (0.08 * m) / Math.max(1, months - 1);
      let detractors = 0.19 - (0.04 * m) / Math.max(1, months - 1);
      if (core.segment === 'enterprise') promoters -= 0.08;
      const lt = core.country.name === 'Lithuania' && (world.active('carrier-delay', m) || world.active('carrier-delay', m - 1));
      const price = subscription !== null && world.active('price-change', m, 2) && (subscription.endedMs === null || subscription.endedMs > world.monthStart(m));
      const sa = core.country.name === 'Saudi Arabia' && world.active('payment-outage', m);
      if (lt) (promoters -= 0.15), (detractors += 0.2);
      if (price) (promoters -= 0.2), (detractors += 0.28);
      if (sa) (promoters -= 0.04), (detractors += 0.08);
      const score = drawNps(rng, promoters, detractors);
      const sentiment = score >= 9 ? 'positive' : score <= 6 ? 'negative' : 'neutral';
      const negative: CommentTopic[] = lt ? ['late_delivery'] : price ? ['price_increase'] : sa ? ['payment_failed'] : ['slow_response', 'damaged', 'return_hassle', 'hard_to_find', 'late_delivery'];
      const comment = maybeComment(rng, sentiment, language, { positive: ['good_value', 'good_quality', 'fast_delivery', 'helpful_agent'], negative }, { positive: 0.3, neutral: 0.3, negative: 0.5 });
      const label = monthLabel(world.monthStart(m));
      yield response(`R-${id}-nps-${label}`, { ...base, kind: 'nps', score, scale: NPS, comment, at, survey: 'relationship-nps', question: 'nps', submission: `SUB-${id}-nps-${label}`, sentVia: 'email' });
    }
  }
}

function* subscriptionResponses(world: DemoWorld): Generator<StoredRecord> {
  for (let i = 0; i < world.customers; i++) {
    const core = world.customerCore(i);
    const sub = world.subscription(core);
    if (!sub) continue;
    const rng = world.rng(S.rSubscription, i);
    const id = String(sub.record.id);
    const base = { language: core.language, customer: core.id, channel: 'email', sentVia: 'email' };
    if (sub.annual) {
      for (let year = 1; year < 10; year++) {
        const anniversary = sub.startMs + year * 365 * DAY;
        if (anniversary >= world.end || (sub.endedMs !== null && anniversary >= sub.endedMs)) break;
        if (anniversary < world.start || !rng.chance(RATE.renewal)) continue;
        const at = anniversary + rng.between(1, 72) * HOUR;
        if (at >= world.end) continue;
        const m = world.monthOf(at);
        const raised = core.plan === 'club-plus' && world.since('price-change', m);
        const score = drawScore(rng, 1, 5, raised ? 0.45 : 0.8);
        const comment = maybeComment(rng, sentimentOf(score, 1, 5), core.language, { positive: ['good_value'], negative: raised ? ['price_increase'] : ['ok'] });
        yield response(`R-${id}-renewal-${year}`, { ...base, kind: 'csat', score, scale: CSAT5, comment, at, survey: 'renewal', question: 'csat', submission: `SUB-${id}-renewal-${year}`, touchpoint: 'renewal' });
      }
    }
    if (sub.endedMs !== null && sub.endedMs >= world.start && rng.chance(RATE.cancellation)) {
      const at = sub.endedMs + rng.between(5, 24 * 60) * MINUTE;
      if (at < world.end) {
        const score = drawScore(rng, 1, 5, 0.55);
        const f = { ...base, at, survey: 'cancellation', submission: `SUB-${id}-cancellation`, touchpoint: 'cancellation' };
        yield response(`R-${id}-cancellation-csat`, { ...f, kind: 'csat', score, scale: CSAT5, question: 'csat' });
        yield response(`R-${id}-cancellation-reason`, { ...f, kind: 'choice', answer: sub.reason, question: 'reason' });
      }
    }
  }
}

function* employeeResponses(world: DemoWorld): Generator<StoredRecord> {
  for (const e of world.employees) {
    const eid = String(e.record.id);
    for (let m = Math.max(0, e.firstMonth); m < e.endMonth; m++) {
      const rng = world.rng(S.rEmployee, e.index, m);
      const label = monthLabel(world.monthStart(m));
      const at = world.monthStart(m) + rng.between(14, 24) * DAY + rng.between(8, 17) * HOUR;
      const supportStaff = e.team.startsWith('support-');
      let positivity = 0.72 + e.esatShift;
      let overloaded = false;
      if (supportStaff && world.active('chat-understaffed', m)) (positivity = 0.35), (overloaded = true);
      else if (supportStaff && world.active('chat-understaffed', m - 1)) positivity -= 0.15;
      if (e.team === 'logistics' && world.active('carrier-delay', m)) (positivity -= 0.2), (overloaded = true);
      if (supportStaff && world.calendarMonth(m) === 11) positivity -= 0.08;
      const base = { language: e.language, employee: eid, sentVia: 'email' };
      const topics = { positive: ['good_team'] as CommentTopic[], negative: overloaded ? (['workload'] as CommentTopic[]) : (['workload', 'tools', 'training'] as CommentTopic[]) };
      if (rng.chance(RATE.esat)) {
        const score = drawScore(rng, 1, 5, positivity);
        const comment = maybeComment(rng, sentimentOf(score, 1, 5), e.language, topics);
        yield response(`R-${eid}-esat-${label}`, { ...base, kind: 'esat', score, scale: CSAT5, comment, at, survey: 'esat-pulse', question: 'esat', submission: `SUB-${eid}-${label}` });
      }
      if (world.calendarMonth(m) % 3 === 2 && rng.chance(RATE.enps)) {
        const score = drawNps(rng, clamp(0.3 + e.esatShift + (overloaded ? -0.15 : 0), 0.05, 0.8), clamp(0.25 - e.esatShift + (overloaded ? 0.2 : 0), 0.05, 0.8));
        yield response(`R-${eid}-enps-${label}`, { ...base, kind: 'enps', score, scale: NPS, at: at + MINUTE, survey: 'enps-quarterly', question: 'enps', submission: `SUB-${eid}-${label}` });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The public face

export interface Demo {
  readonly plan: DemoPlan;
  /** The records of one kind, generated lazily; iterate as many times as needed. */
  records(kind: DemoKind): Iterable<StoredRecord>;
}

/**
 * The demo company for these options. Records are StoredRecord-shaped: fields of the kind
 * (timestamps as Date, null when absent) plus `attributes` (the DEMO_ATTRIBUTES of the kind).
 */
export function createDemo(options: DemoOptions): Demo {
  const world = new DemoWorld(options);
  const { sizes } = world.plan;
  const generators: Record<DemoKind, () => Generator<StoredRecord>> = {
    *teams() {
      for (const team of TEAMS) yield { id: team.id, name: team.name, attributes: { location: team.location, function: team.support ? 'support' : team.id } };
    },
    *employees() {
      for (const e of world.employees) yield e.record;
    },
    *customers() {
      for (let i = 0; i < world.customers; i++) yield world.customerRecord(i);
    },
    *subscriptions() {
      for (let i = 0; i < world.customers; i++) {
        const sub = world.subscription(world.customerCore(i));
        if (sub) yield sub.record;
      }
    },
    *orders() {
      for (let k = 0; k < sizes.orders; k++) yield world.order(k).record;
    },
    *tickets() {
      for (let j = 0; j < sizes.tickets; j++) {
        const ticket = world.ticket(j);
        yield ticket.record;
        const duplicate = world.duplicate(j, ticket);
        if (duplicate) yield duplicate;
      }
    },
    *visits() {
      for (let v = 0; v < sizes.visits; v++) yield world.visit(v).record;
    },
    *responses() {
      yield* visitResponses(world, sizes.visits);
      yield* orderResponses(world, sizes.orders);
      yield* ticketResponses(world, sizes.tickets);
      yield* customerResponses(world);
      yield* subscriptionResponses(world);
      yield* employeeResponses(world);
    },
  };
  return {
    plan: world.plan,
    records: (kind) => ({ [Symbol.iterator]: () => generators[kind]() }),
  };
}

/** The plan (sizes, window, incidents) without generating anything. */
export function planDemo(options: DemoOptions): DemoPlan {
  return createDemo(options).plan;
}


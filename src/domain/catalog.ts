/**
 * The fixed vocabularies of CX data: touchpoints, channels, question kinds and their scales.
 * Workspaces may add their own touchpoints and channels; these are the ones every workspace has.
 */

/** Touchpoints in the order a customer meets them (the journey order the dashboard uses). */
export const BUILTIN_TOUCHPOINTS = [
  'website',
  'checkout',
  'onboarding',
  'support',
  'shipping',
  'returns',
  'renewal',
  'cancellation',
] as const;

export const BUILTIN_CHANNELS = [
  'email',
  'chat',
  'phone',
  'social',
  'messaging',
  'sms',
  'web',
  'app',
  'in-store',
] as const;

export const QUESTION_KINDS = [
  'nps',
  'csat',
  'ces',
  'esat',
  'enps',
  'rating',
  'intent',
  'profile',
  'text',
  'choice',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface Scale {
  min: number;
  max: number;
}

/**
 * The scale a question kind uses when the data does not say. Kinds without a default
 * (`rating`) must carry their scale; kinds without a score (`text`, `choice`, …) have none.
 */
export const DEFAULT_SCALES: Partial<Record<QuestionKind, Scale>> = {
  nps: { min: 0, max: 10 },
  enps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  esat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

/** Kinds whose answer is a number on a scale; the others carry `answer` text instead. */
export const SCORED_KINDS: ReadonlySet<QuestionKind> = new Set(['nps', 'enps', 'csat', 'esat', 'ces', 'rating']);

export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'abandoned'] as const;
export const ORDER_STATUSES = [
  'placed',
  'paid',
  'fulfilled',
  'delivered',
  'cancelled',
  'refunded',
  'returned',
] as const;
export const MESSAGE_AUTHORS = ['customer', 'agent', 'bot', 'system'] as const;

/** Touchpoint and channel keys are lower-case slugs so that "E-mail " and "email" are one channel. */
export function toKey(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^e-mail$/, 'email');
}

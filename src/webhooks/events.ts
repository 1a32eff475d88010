import type { Answer } from '../listening/answers.ts';
import type { Survey } from '../listening/survey.ts';

/**
 * The events outgoing webhooks carry (docs/webhooks.md), composed without I/O:
 *
 * - `response.created`: a respondent's first answers to a survey were stored (a new submission);
 * - `response.completed`: the submission was finished (at once, or by a later request).
 *
 * The body is `{"type", "timestamp", "data"}` (Standard Webhooks' recommended shape); `data` is
 * the submission with the answers it had when the event happened. The message id is derived
 * from the submission and the event, so it is the same however often it is sent.
 */

export const WEBHOOK_EVENTS = ['response.created', 'response.completed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface ResponseEventInput {
  submissionId: string;
  survey: Pick<Survey, 'id' | 'touchpoint'>;
  language: string;
  channel: string;
  completed: boolean;
  customerId?: string | null;
  employeeId?: string | null;
  orderId?: string | null;
  ticketId?: string | null;
  answers: Array<Pick<Answer, 'questionId' | 'kind' | 'score' | 'answer' | 'comment'>>;
}

/** One pending message: which event, its id, and its body (as JSON). */
export interface WebhookMessage {
  submissionId: string;
  event: WebhookEvent;
  messageId: string;
  payload: Record<string, unknown>;
}

export const messageIdOf = (submissionId: string, event: WebhookEvent) => `msg_${submissionId}_${event === 'response.created' ? 'created' : 'completed'}`;

export function responseEvent(event: WebhookEvent, input: ResponseEventInput, now = new Date()): WebhookMessage {
  return {
    submissionId: input.submissionId,
    event,
    messageId: messageIdOf(input.submissionId, event),
    payload: {
      type: event,
      timestamp: now.toISOString(),
      data: {
        submission: input.submissionId,
        survey: input.survey.id,
        touchpoint: input.survey.touchpoint ?? null,
        language: input.language,
        channel: input.channel,
        completed: input.completed,
        customer: input.customerId ?? null,
        employee: input.employeeId ?? null,
        order: input.orderId ?? null,
        ticket: input.ticketId ?? null,
        answers: input.answers.map((a) => ({ question: a.questionId, kind: a.kind, score: a.score, answer: a.answer, comment: a.comment })),
      },
    },
  };
}

/** The events a new submission raises: created, and completed when it came finished. */
export function eventsForNew(input: ResponseEventInput, now = new Date()): WebhookMessage[] {
  const created = responseEvent('response.created', input, now);
  return input.completed ? [created, responseEvent('response.completed', input, now)] : [created];
}

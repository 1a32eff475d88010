import { has, isObject } from './helpers.ts';
import { ANSWER_ROW_FIELDS, kindNamedIn, type ScaledKind } from './survey-questions.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Typeform: form responses (GET /forms/{form_id}/responses), one Sada response per answer.
 * docs/presets.md#typeform has the tables.
 */

/**
 * Scale questions the ref does not name: Typeform's own NPS question is NPS; a rating or an
 * opinion scale is a `rating` on Typeform's default scale (rating: 1–5 stars; opinion scale:
 * 0–10), kept out of NPS, CSAT and CES until its ref names what it measures.
 */
export const TYPEFORM_SCALES: Record<string, ScaledKind> = {
  nps: { kind: 'nps', min: 0, max: 10 },
  rating: { kind: 'rating', min: 1, max: 5 },
  opinion_scale: { kind: 'rating', min: 0, max: 10 },
};

/** Hidden fields that say who answered or about what (the form's author names them). */
export const TYPEFORM_HIDDEN: Record<string, 'customer' | 'order' | 'ticket'> = {
  customer_id: 'customer',
  user_id: 'customer',
  email: 'customer',
  order_id: 'order',
  ticket_id: 'ticket',
};

interface Answer {
  kind: string;
  score: number | null;
  min: number | null;
  max: number | null;
  answer: string | null;
  comment: string | null;
}

const none = { score: null, min: null, max: null, answer: null, comment: null };

/** One answer → kind, score or text, by its answer type and its question's type and ref. */
function answerOf(item: SourceRecord): Answer {
  const field = isObject(item.field) ? item.field : {};
  const type = String(item.type);
  const value = item[type];
  if (type === 'number' && typeof value === 'number') {
    const scale = kindNamedIn(field.ref, field.id) ?? TYPEFORM_SCALES[String(field.type)];
    if (scale) return { ...none, kind: scale.kind, score: value, min: scale.min, max: scale.max };
    return { ...none, kind: 'profile', answer: String(value) };
  }
  if (type === 'text') return { ...none, kind: 'text', comment: typeof value === 'string' ? value : null };
  if (type === 'choice' && isObject(value)) return { ...none, kind: 'choice', answer: String(value.label ?? value.other ?? '') || null };
  if (type === 'choices' && isObject(value)) {
    const labels = [...(Array.isArray(value.labels) ? value.labels : []), ...(typeof value.other === 'string' ? [value.other] : [])];
    return { ...none, kind: 'choice', answer: labels.join(', ') || null };
  }
  if (type === 'boolean' && typeof value === 'boolean') return { ...none, kind: 'choice', answer: value ? 'yes' : 'no' };
  // email, phone_number, date, url, file_url, payment…: what the person stated about themselves.
  return { ...none, kind: 'profile', answer: value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value) };
}

function isResponse(record: SourceRecord): boolean {
  return has(record, 'landed_at', 'submitted_at', 'answers') && (has(record, 'response_id') || has(record, 'token'));
}

export const typeform: Preset = {
  name: 'typeform',
  title: 'Typeform',
  docs: 'docs/presets.md#typeform',
  sources: [
    {
      name: 'responses',
      title: 'Responses, GET /forms/{form_id}/responses',
      kind: 'responses',
      format: 'json',
      path: 'items',
      detect: isResponse,
      shape(response) {
        const answers = Array.isArray(response.answers) ? response.answers.filter(isObject) : [];
        if (answers.length === 0) return { skip: 'responses without answers' };
        const hidden = isObject(response.hidden) ? response.hidden : {};
        const about: Record<'customer' | 'order' | 'ticket', unknown> = { customer: null, order: null, ticket: null };
        const shared: SourceRecord = {};
        for (const [key, value] of Object.entries(hidden)) {
          if (value === null || value === '') continue;
          const role = TYPEFORM_HIDDEN[key.toLowerCase()];
          if (role && about[role] === null) about[role] = value;
          else shared[`hidden_${key}`] = value;
        }
        if (Array.isArray(response.variables)) {
          for (const variable of response.variables.filter(isObject)) {
            const value = variable.type !== undefined ? variable[String(variable.type)] : undefined;
            if (typeof variable.key === 'string' && value !== undefined) shared[`variable_${variable.key}`] = value;
          }
        }
        if (isObject(response.calculated) && typeof response.calculated.score === 'number') shared.calculated_score = response.calculated.score;
        const responseId = response.response_id ?? response.token;
        return answers.map((item) => {
          const field = isObject(item.field) ? item.field : {};
          const answer = answerOf(item);
          return {
            ...response,
            sada_id: `${String(responseId)}:${String(field.id)}`,
            sada_submission: responseId,
            sada_question: field.id,
            sada_kind: answer.kind,
            sada_score: answer.score,
            sada_scale_min: answer.min,
            sada_scale_max: answer.max,
            sada_answer: answer.answer,
            sada_comment: answer.comment,
            sada_customer: about.customer,
            sada_order: about.order,
            sada_ticket: about.ticket,
            $attributes: { ...shared, field_type: field.type, field_ref: field.ref, answer_type: item.type },
          };
        });
      },
      reads: ['answers', 'hidden', 'variables', 'calculated', 'response_id', 'token'],
      mapping: {
        fields: {
          ...ANSWER_ROW_FIELDS,
          submitted_at: 'submitted_at',
          survey_id: 'form_id',
          submission_id: 'sada_submission',
          customer_id: 'sada_customer',
          order_id: 'sada_order',
          ticket_id: 'sada_ticket',
          'attributes.landed_at': 'landed_at',
          'attributes.platform': 'metadata.platform',
          'attributes.referer': 'metadata.referer',
          'attributes.browser': 'metadata.browser',
        },
      },
      ignore: {
        landing_id: 'the same id as response_id',
        'metadata.user_agent': "the respondent's browser string (browser and platform are kept)",
        'metadata.network_id': "a hash of the respondent's network",
        definition: "the form's questions, which a webhook delivery (form_response) sends with every response; each answer names its field",
      },
    },
  ],
};

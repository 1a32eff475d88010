import { has, hasColumns, isObject } from './helpers.ts';
import { ANSWER_ROW_FIELDS, kindNamedIn, scoreOf, type ScaledKind } from './survey-questions.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Formbricks: survey responses from the Management API (GET /api/v1/management/responses) and
 * from the responses download (CSV), one Sada response per answered question.
 * docs/presets.md#formbricks has the tables.
 */

/**
 * A number whose question the export does not name: a `rating` on 0–10, the widest scale
 * Formbricks asks on (NPS 0–10; ratings 1–3 up to 1–10), so every answer fits; it stays out of
 * NPS, CSAT and CES until the question's id (API) or headline (CSV) names what it measures.
 */
export const FORMBRICKS_UNNAMED_SCALE: ScaledKind = { kind: 'rating', min: 0, max: 10 };

/** Answers a call-to-action or consent question records: choices, not comments. */
export const FORMBRICKS_CHOICE_WORDS = new Set(['clicked', 'dismissed', 'accepted']);

interface Answer {
  sada_kind: string;
  sada_score: number | null;
  sada_scale_min: number | null;
  sada_scale_max: number | null;
  sada_answer: string | null;
  sada_comment: string | null;
}

const none = { sada_score: null, sada_scale_min: null, sada_scale_max: null, sada_answer: null, sada_comment: null };

/** One answer → its kind and value; `choice` when the export says the question is a choice question. */
function answerOf(value: unknown, names: unknown[], choice: boolean, numericText: boolean): Answer | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
  if (Array.isArray(value)) {
    const parts = value.filter((v) => v !== null && v !== '').map(String);
    return parts.length === 0 ? null : { ...none, sada_kind: 'choice', sada_answer: parts.join(', ') };
  }
  if (isObject(value)) return { ...none, sada_kind: 'choice', sada_answer: JSON.stringify(value) };
  if (choice) return { ...none, sada_kind: 'choice', sada_answer: String(value) };
  // The API answers a scale with a number (a numeric text is an open-text answer); the CSV writes
  // every answer as text, so there a number is a score when its question is named or it fits 0–10.
  const score = typeof value === 'number' || numericText ? scoreOf(value) : null;
  if (score !== null) {
    const named = kindNamedIn(...names);
    const scale = named ?? FORMBRICKS_UNNAMED_SCALE;
    if (named || typeof value === 'number' || (score >= scale.min && score <= scale.max)) {
      return { ...none, sada_kind: scale.kind, sada_score: score, sada_scale_min: scale.min, sada_scale_max: scale.max };
    }
  }
  const text = String(value);
  if (FORMBRICKS_CHOICE_WORDS.has(text.trim().toLowerCase())) return { ...none, sada_kind: 'choice', sada_answer: text };
  return { ...none, sada_kind: 'text', sada_comment: text };
}

function tagNames(tags: unknown): string[] | null {
  if (!Array.isArray(tags)) return null;
  const names = tags.map((tag) => (isObject(tag) ? (tag.name ?? tag.tag) : tag)).filter((name) => typeof name === 'string') as string[];
  return names.length > 0 ? names : null;
}

/** `2026-01-02 04:00:00 GMT+8` (the CSV's zone as Formbricks writes it) → ISO with an offset. */
export function formbricksTimestamp(text: unknown): string | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  if (!m) return text.trim();
  const [, date, time, sign, hours, minutes] = m;
  return `${date}T${time}${sign}${hours!.padStart(2, '0')}:${minutes ?? '00'}`;
}

function isApiResponse(record: SourceRecord): boolean {
  return has(record, 'id', 'createdAt', 'surveyId', 'data', 'finished');
}

/** Fixed columns of the download; every other column that is not a question is kept as an attribute under its name. */
const CSV_FIXED = ['No.', 'Response ID', 'Timestamp', 'Finished', 'Survey ID', 'User ID', 'Tags'];
const QUESTION_COLUMN = /^(\d+)\.\s+(.+)$/;
const OPTION_ID = ' - Option ID';

export const formbricks: Preset = {
  name: 'formbricks',
  title: 'Formbricks',
  docs: 'docs/presets.md#formbricks',
  sources: [
    {
      name: 'responses',
      title: 'Responses, Management API GET /api/v1/management/responses',
      kind: 'responses',
      format: 'json',
      path: 'data',
      detect: isApiResponse,
      shape(response) {
        const data = isObject(response.data) ? response.data : {};
        const ttc = isObject(response.ttc) ? response.ttc : {};
        const shared: SourceRecord = {};
        const person = isObject(response.person) ? response.person : isObject(response.contact) ? response.contact : {};
        const attributes = isObject(response.personAttributes) ? response.personAttributes : isObject(response.contactAttributes) ? response.contactAttributes : isObject(person.attributes) ? person.attributes : {};
        for (const [key, value] of Object.entries(attributes)) if (value !== null && value !== '') shared[`person_${key}`] = value;
        if (isObject(response.variables)) for (const [key, value] of Object.entries(response.variables)) shared[`variable_${key}`] = value;
        const tags = tagNames(response.tags);
        if (tags) shared.tags = tags;
        if (person.id !== undefined) shared.formbricks_person_id = person.id;
        const rows: SourceRecord[] = [];
        for (const [question, value] of Object.entries(data)) {
          const answer = answerOf(value, [question], false, false);
          if (!answer) continue;
          rows.push({
            ...response,
            ...answer,
            sada_id: `${String(response.id)}:${question}`,
            sada_question: question,
            sada_customer: person.userId ?? null,
            $attributes: { ...shared, ...(typeof ttc[question] === 'number' ? { ttc_ms: ttc[question] } : {}) },
          });
        }
        if (rows.length === 0) return { skip: 'responses without any answer (shown, then left before answering)' };
        return rows;
      },
      reads: ['data', 'ttc', 'person', 'contact', 'personAttributes', 'contactAttributes', 'variables', 'tags'],
      mapping: {
        fields: {
          ...ANSWER_ROW_FIELDS,
          language: { column: 'language', values: { default: null } },
          submitted_at: 'createdAt',
          survey_id: 'surveyId',
          submission_id: 'id',
          customer_id: 'sada_customer',
          'attributes.finished': 'finished',
          'attributes.updated_at': 'updatedAt',
          'attributes.source': 'meta.source',
          'attributes.url': 'meta.url',
          'attributes.action': 'meta.action',
          'attributes.country': 'meta.country',
          'attributes.browser': 'meta.userAgent.browser',
          'attributes.os': 'meta.userAgent.os',
          'attributes.device': 'meta.userAgent.device',
          'attributes.single_use_id': 'singleUseId',
          'attributes.display_id': 'displayId',
          'attributes.notes': 'notes',
        },
      },
    },
    {
      name: 'responses-csv',
      title: 'Responses download, Summary › Download › CSV',
      kind: 'responses',
      format: 'csv',
      detect: (header) => hasColumns(header, 'Response ID', 'Timestamp', 'Finished', 'Survey ID', 'User ID'),
      shape(row) {
        const shared: SourceRecord = {};
        const questions: [column: string, headline: string][] = [];
        for (const [column, value] of Object.entries(row)) {
          const question = QUESTION_COLUMN.exec(column);
          if (question && !column.endsWith(OPTION_ID)) questions.push([column, question[2]!]);
          else if (!question && !CSV_FIXED.includes(column) && typeof value === 'string' && value.trim() !== '') shared[column] = value;
        }
        const finished = typeof row.Finished === 'string' ? row.Finished.trim().toLowerCase() : '';
        if (finished === 'yes' || finished === 'no') shared.finished = finished === 'yes';
        const tags = typeof row.Tags === 'string' && row.Tags.trim() !== '' ? row.Tags.split(',').map((t) => t.trim()).filter(Boolean) : null;
        if (tags) shared.tags = tags;
        const rows: SourceRecord[] = [];
        for (const [column, headline] of questions) {
          const choice = Object.hasOwn(row, `${column}${OPTION_ID}`);
          const answer = answerOf(row[column], [headline], choice, true);
          if (!answer) continue;
          const optionId = row[`${column}${OPTION_ID}`];
          rows.push({
            ...row,
            ...answer,
            sada_id: `${String(row['Response ID'])}:${column}`,
            sada_question: headline,
            sada_submitted_at: formbricksTimestamp(row.Timestamp),
            $attributes: { ...shared, ...(typeof optionId === 'string' && optionId.trim() !== '' ? { option_id: optionId.trim() } : {}) },
          });
        }
        if (rows.length === 0) return { skip: 'responses without any answer (shown, then left before answering)' };
        return rows;
      },
      mapping: {
        fields: {
          ...ANSWER_ROW_FIELDS,
          submitted_at: 'sada_submitted_at',
          survey_id: 'Survey ID',
          submission_id: 'Response ID',
          customer_id: 'User ID',
        },
      },
      ignore: { 'No.': "the row's number in the download" },
      // Its columns depend on the survey (questions, meta, hidden fields, variables, person
      // attributes): the shape keeps each one, so no column is "unknown". No part is named "(none)".
      unknownScope: '(none)',
    },
  ],
};

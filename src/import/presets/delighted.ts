import { has, isObject, keep } from './helpers.ts';
import { ANSWER_ROW_FIELDS } from './survey-questions.ts';
import type { Preset, SourceRecord } from './types.ts';

/**
 * Delighted: survey responses (GET /v1/survey_responses.json) with their comments, additional
 * questions and person properties, and the people (GET /v1/people.json) as customers.
 * docs/presets.md#delighted has the tables.
 */

/**
 * Delighted survey types → Sada kind and scale. Other types (pmf, smileys, stars, thumbs…) are not
 * imported: the preset does not know their scales, and a score on a guessed scale would be wrong.
 */
export const DELIGHTED_SURVEY_TYPES: Record<string, { kind: string; min: number; max: number }> = {
  nps: { kind: 'nps', min: 0, max: 10 },
  enps: { kind: 'enps', min: 0, max: 10 },
  csat: { kind: 'csat', min: 1, max: 5 },
  ces: { kind: 'ces', min: 1, max: 7 },
};

/** An additional question's answer → the text a response row carries; null for a scale answer. */
function additionalRow(response: SourceRecord, extra: unknown): SourceRecord | null {
  if (!isObject(extra) || !isObject(extra.value)) return null;
  const question = isObject(extra.question) ? extra.question : {};
  const value = extra.value;
  const base = { sada_id: `${String(response.id)}:${String(extra.id ?? question.id)}`, sada_question: question.id ?? extra.id ?? null, sada_score: null, sada_scale_min: null, sada_scale_max: null };
  if (typeof value.free_response === 'string') return { ...base, sada_kind: 'text', sada_comment: value.free_response, sada_answer: null };
  const label = (choice: unknown) => (isObject(choice) ? choice.text : choice);
  if (value.select_one !== undefined && value.select_one !== null) return { ...base, sada_kind: 'choice', sada_comment: null, sada_answer: label(value.select_one) };
  if (Array.isArray(value.select_many)) return { ...base, sada_kind: 'choice', sada_comment: null, sada_answer: value.select_many.map(label).join(', ') };
  return null;
}

function isSurveyResponse(record: SourceRecord): boolean {
  return has(record, 'id', 'person', 'score', 'created_at') && (has(record, 'survey_type') || has(record, 'permalink'));
}

export const delighted: Preset = {
  name: 'delighted',
  title: 'Delighted',
  docs: 'docs/presets.md#delighted',
  sources: [
    {
      name: 'survey-responses',
      title: 'Survey responses, GET /v1/survey_responses.json',
      kind: 'responses',
      format: 'json',
      path: '',
      detect: isSurveyResponse,
      shape(response) {
        // The API has answered NPS only for years; a record without a type is an NPS answer.
        const type = typeof response.survey_type === 'string' ? response.survey_type.toLowerCase() : 'nps';
        const scale = DELIGHTED_SURVEY_TYPES[type];
        if (!scale) return { skip: `Delighted survey type "${type}": the preset does not know its scale` };
        // Person properties (Delighted's own, such as "Delighted Source", and the ones the account
        // sends) are kept as attributes property_<name>, on every row of the response.
        const properties: SourceRecord = {};
        if (isObject(response.person_properties)) {
          for (const [key, value] of Object.entries(response.person_properties)) {
            if (value !== null && value !== '') properties[`property_${key}`] = value;
          }
        }
        // The API gives the person's id; a webhook delivery (event_data) gives the person itself.
        const person = isObject(response.person) ? (response.person.id ?? null) : response.person;
        // Answers to additional questions: scale answers stay attributes (their scale is not in the export).
        const rows: SourceRecord[] = [];
        const scaleAnswers: SourceRecord = {};
        if (Array.isArray(response.additional_answers)) {
          for (const extra of response.additional_answers) {
            const row = additionalRow(response, extra);
            if (row) rows.push({ ...response, ...row, sada_person: person, $attributes: properties });
            else if (isObject(extra) && isObject(extra.value) && extra.value.scale !== undefined && extra.value.scale !== null) scaleAnswers[`additional_scale_${String(extra.id)}`] = extra.value.scale;
          }
        }
        const main = {
          ...response,
          sada_id: String(response.id),
          sada_kind: scale.kind,
          sada_score: response.score,
          sada_scale_min: scale.min,
          sada_scale_max: scale.max,
          sada_comment: response.comment,
          sada_answer: null,
          sada_question: type,
          sada_person: person,
          $attributes: { ...properties, ...scaleAnswers },
        };
        return [main, ...rows];
      },
      reads: ['survey_type', 'score', 'comment', 'person_properties', 'additional_answers', 'person'],
      mapping: {
        fields: {
          ...ANSWER_ROW_FIELDS,
          submitted_at: 'created_at',
          submission_id: 'id',
          customer_id: 'sada_person',
          'attributes.survey_type': 'survey_type',
          ...keep('updated_at', 'permalink', 'tags', 'notes'),
        },
      },
    },
    {
      name: 'people',
      title: 'People, GET /v1/people.json',
      kind: 'customers',
      format: 'json',
      path: '',
      detect: (record) => has(record, 'id', 'email', 'last_sent_at') && !has(record, 'score'),
      mapping: {
        fields: {
          id: { column: 'id', required: true },
          name: 'name',
          email: 'email',
          'attributes.delighted_created_at': 'created_at',
          ...keep('phone_number', 'last_sent_at', 'last_responded_at', 'next_survey_scheduled_at'),
        },
      },
    },
  ],
};

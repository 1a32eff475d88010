import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatPath, readFormatJson } from '../../../test/support/formats.ts';
import { mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { detectSources } from './index.ts';

const at = (iso: string) => new Date(iso);
type Doc = Record<string, unknown>;

describe('Delighted preset', () => {
  test('the sample is recognised as survey responses and people, and only as those', async () => {
    const found = detectSources(await sampleFile(formatPath('delighted-survey-responses.json'), 'json')).map((m) => `${m.preset.name}:${m.source.name}@${m.jsonPath}`);
    assert.deepEqual(found, ['delighted:survey-responses@survey_responses', 'delighted:people@people']);
  });

  test('survey responses: every answer lands as NPS on 0–10 with its comment, person and epoch time', async () => {
    const result = await mapSample('delighted-survey-responses.json', 'responses', 'delighted');
    assert.deepEqual([result.read, result.records.length, result.problems, result.skipped, result.warnings], [4, 4, [], 0, []]);
    assert.deepEqual(
      result.records.map((r) => [r.id, r.kind, r.score, r.scale_min, r.scale_max, r.comment, r.customer_id]),
      [
        ['210554372', 'nps', 8, 0, 10, 'Test Comment2', '980285131'],
        ['210554370', 'nps', 9, 0, 10, 'Test Comment1', '980285130'],
        ['210554373', 'nps', 3, 0, 10, 'Test Comment3', '1040825885'],
        ['210554376', 'nps', 0, 0, 10, 'Test Comment6', '1040826156'],
      ],
    );
    const [first] = result.records;
    // created_at 1641289688 (epoch seconds) = 2022-01-04T09:48:08Z.
    assert.deepEqual(first, {
      id: '210554372',
      kind: 'nps',
      score: 8,
      scale_min: 0,
      scale_max: 10,
      comment: 'Test Comment2',
      answer: null,
      submitted_at: at('2022-01-04T09:48:08Z'),
      question_id: 'nps',
      submission_id: '210554372',
      customer_id: '980285131',
      attributes: {
        survey_type: 'nps',
        updated_at: 1641289688,
        permalink: 'https://app.delighted.com/r/ALmUkRpgBNPkvxcniCKw7gCeS9RjnLw8',
      },
    });
  });

  test('survey types, person properties, additional answers and unknown fields', async () => {
    const [a, b, c, d] = readFormatJson<{ survey_responses: Doc[] }>('delighted-survey-responses.json').survey_responses;
    const doc = [
      {
        ...a,
        person_properties: { 'Delighted Source': 'Email', plan: 'pro', empty: '' },
        tags: ['billing'],
        notes: [{ id: '1', text: 'called back', user_email: 'x@example.com', created_at: 1641290000 }],
        additional_answers: [
          { id: '11', value: { free_response: 'faster shipping', scale: null, select_one: null, select_many: null }, question: { id: 'q1', type: 'free_response', text: 'What could we do better?' } },
          { id: '12', value: { free_response: null, scale: null, select_one: { id: 'c1', text: 'Price' }, select_many: null }, question: { id: 'q2', type: 'select_one', text: 'Why?' } },
          { id: '13', value: { free_response: null, scale: 4, select_one: null, select_many: null }, question: { id: 'q3', type: 'scale', text: 'Rate delivery' } },
        ],
        channel_of_survey: 'web',
      },
      { ...b, survey_type: 'csat', score: 4 },
      { ...c, survey_type: 'ces', score: 6 },
      { ...d, survey_type: 'enps', score: 10 },
      { ...d, id: '999', survey_type: 'pmf', score: 1 },
      { ...d, id: '998', survey_type: undefined, score: 7 },
    ];
    const result = await mapWithPreset(writeTemp(doc), 'responses', 'delighted');
    assert.deepEqual([result.read, result.records.length, result.skipped, result.problems], [6, 7, 1, []]);
    assert.deepEqual(result.warnings, [
      '1 record(s) not imported: Delighted survey type "pmf": the preset does not know its scale',
      'fields the delighted preset (survey-responses) does not know, kept as attributes: channel_of_survey',
    ]);
    const byId = new Map(result.records.map((r) => [r.id, r]));
    const main = byId.get('210554372')!;
    assert.deepEqual(main.attributes, {
      channel_of_survey: 'web',
      'property_Delighted Source': 'Email',
      property_plan: 'pro',
      additional_scale_13: 4,
      survey_type: 'nps',
      updated_at: 1641289688,
      permalink: 'https://app.delighted.com/r/ALmUkRpgBNPkvxcniCKw7gCeS9RjnLw8',
      tags: ['billing'],
      notes: [{ id: '1', text: 'called back', user_email: 'x@example.com', created_at: 1641290000 }],
    });
    const text = byId.get('210554372:11')!;
    assert.deepEqual([text.kind, text.score, text.comment, text.answer, text.question_id, text.submission_id, text.customer_id], ['text', null, 'faster shipping', null, 'q1', '210554372', '980285131']);
    assert.equal((text.attributes as Doc).property_plan, 'pro');
    const choice = byId.get('210554372:12')!;
    assert.deepEqual([choice.kind, choice.answer, choice.comment], ['choice', 'Price', null]);
    assert.deepEqual([byId.get('210554370')?.kind, byId.get('210554370')?.scale_min, byId.get('210554370')?.scale_max], ['csat', 1, 5]);
    assert.deepEqual([byId.get('210554373')?.kind, byId.get('210554373')?.scale_min, byId.get('210554373')?.scale_max], ['ces', 1, 7]);
    assert.deepEqual([byId.get('210554376')?.kind, byId.get('210554376')?.score], ['enps', 10]);
    assert.deepEqual([byId.get('998')?.kind, byId.get('998')?.question_id], ['nps', 'nps'], 'no survey_type: NPS');
  });

  test('people become customers', async () => {
    const result = await mapSample('delighted-survey-responses.json', 'customers', 'delighted');
    assert.deepEqual([result.read, result.problems, result.warnings], [1, [], []]);
    assert.deepEqual(result.records, [
      {
        id: '1046789978',
        name: 'Foo Test201',
        email: 'foo_test201@airbyte.io',
        attributes: { delighted_created_at: 1641455282, last_sent_at: 1641455283 },
      },
    ]);
  });
});

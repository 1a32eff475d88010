import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatPath, readFormatJson } from '../../../test/support/formats.ts';
import { mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { detectSources } from './index.ts';
import { kindNamedIn } from './survey-questions.ts';

const at = (iso: string) => new Date(iso);
type Doc = Record<string, unknown>;

describe('Typeform preset', () => {
  test('the sample is recognised as responses, and only as that', async () => {
    const found = detectSources(await sampleFile(formatPath('typeform-responses.json'), 'json')).map((m) => `${m.preset.name}:${m.source.name}@${m.jsonPath}`);
    assert.deepEqual(found, ['typeform:responses@items']);
  });

  test('a question becomes nps/csat/ces by its name, else by its type', () => {
    assert.deepEqual(kindNamedIn('nps'), { kind: 'nps', min: 0, max: 10 });
    assert.deepEqual(kindNamedIn('CSAT_delivery'), { kind: 'csat', min: 1, max: 5 });
    assert.deepEqual(kindNamedIn('checkout-ces-1-5'), { kind: 'ces', min: 1, max: 5 });
    assert.deepEqual(kindNamedIn('rating 1 10'), { kind: 'rating', min: 1, max: 10 });
    assert.deepEqual(kindNamedIn('enps'), { kind: 'enps', min: 0, max: 10 });
    assert.equal(kindNamedIn('rating'), undefined, 'rating needs its scale');
    assert.equal(kindNamedIn('f853e99096a32208', '01F8N53B7KPZ2A1DWGZTTK9SKG', 'npsx', 'process'), undefined, "Typeform's generated refs name nothing");
    assert.deepEqual(kindNamedIn(undefined, 'x', 'csat'), { kind: 'csat', min: 1, max: 5 }, 'the first name that names one');
  });

  test('responses: one Sada response per answer, every answer lands; scales, choices and texts as documented', async () => {
    const result = await mapSample('typeform-responses.json', 'responses', 'typeform');
    // 5 + 9 + 2 answers in the sample's three responses.
    assert.deepEqual([result.read, result.records.length, result.problems, result.skipped, result.warnings], [3, 16, [], 0, []]);
    assert.deepEqual(
      result.records.map((r) => [r.question_id, r.kind, r.score, r.scale_min, r.scale_max, r.answer, r.comment]),
      [
        ['63WvXUnvSCa9', 'text', null, null, null, null, 'Mr X'],
        ['kwpFrd2lI3ok', 'profile', null, null, null, 'mrx@airbyte.com', null],
        ['1Ua3d1mzhJwj', 'choice', null, null, null, 'Yes', null],
        ['MmrPLXSaCF5B', 'text', null, null, null, null, 'water'],
        ['gurSOcuvNnvb', 'text', null, null, null, null, 'do you know who I am ?'],
        ['qthblBc7InVU', 'choice', null, null, null, 'Center-right party', null],
        ['rB7FJUThFlu4', 'choice', null, null, null, 'Going in the wrong direction', null],
        // Opinion scale and ratings whose refs name nothing: `rating` on Typeform's default scales.
        ['vV7ISYSgZ94I', 'rating', 1, 0, 10, null, null],
        ['Mrq4qNeRInni', 'choice', null, null, null, 'Military & Defense', null],
        ['x9myjwStSn9a', 'rating', 1, 1, 5, null, null],
        ['zaP8jDAArI5x', 'rating', 1, 1, 5, null, null],
        ['VFmcjbHlFTzg', 'rating', 1, 1, 5, null, null],
        ['DgGh4ZkRBAyH', 'rating', 1, 1, 5, null, null],
        ['yC3UrwN1LKT8', 'rating', 5, 1, 5, null, null],
        ['8VK4KwNd0DgB', 'text', null, null, null, null, '11'],
        ['X6dq0mumvtKq', 'choice', null, null, null, 'Terrific!', null],
      ],
    );
    const opinion = result.records[7]!;
    assert.deepEqual(opinion, {
      id: 'x9ege1s9u758nla0bx9ege1bg63u7daz:vV7ISYSgZ94I',
      kind: 'rating',
      score: 1,
      scale_min: 0,
      scale_max: 10,
      answer: null,
      comment: null,
      submitted_at: at('2021-07-01T10:04:01Z'),
      survey_id: 'kRt99jlK',
      question_id: 'vV7ISYSgZ94I',
      submission_id: 'x9ege1s9u758nla0bx9ege1bg63u7daz',
      customer_id: null,
      ticket_id: null,
      order_id: null,
      attributes: {
        calculated_score: 0,
        field_type: 'opinion_scale',
        field_ref: 'f1939629f760be75',
        answer_type: 'number',
        landed_at: '2021-07-01T10:03:21Z',
        platform: 'other',
        referer: 'https://xe03v5buli4.typeform.com/to/kRt99jlK',
        browser: 'default',
      },
    });
  });

  test('named questions, Typeform NPS, hidden fields, other answer types; out-of-scale scores rejected with the reason', async () => {
    const [, scales] = readFormatJson<{ items: Doc[] }>('typeform-responses.json').items;
    const answers = scales!.answers as Doc[];
    const rename = (i: number, ref: string) => ({ ...answers[i], field: { ...(answers[i]!.field as Doc), ref } });
    const doc = {
      total_items: 2,
      page_count: 1,
      items: [
        {
          ...scales,
          hidden: { customer_id: 'c-42', order_id: 'o-7', campaign: 'spring' },
          new_field: 'kept',
          variables: [{ key: 'price', type: 'number', number: 12 }],
          answers: [
            rename(2, 'nps'),
            rename(4, 'csat_checkout'),
            rename(5, 'ces-1-5'),
            rename(6, 'rating-1-10'),
            { field: { id: 'nNpS', type: 'nps', ref: 'abc' }, type: 'number', number: 9 },
            { field: { id: 'multi', type: 'multiple_choice', ref: 'm' }, type: 'choices', choices: { labels: ['Price', 'Speed'], other: 'Staff' } },
            { field: { id: 'yes', type: 'yes_no', ref: 'y' }, type: 'boolean', boolean: false },
            { field: { id: 'when', type: 'date', ref: 'd' }, type: 'date', date: '2021-06-30' },
            { field: { id: 'qty', type: 'number', ref: 'q' }, type: 'number', number: 3 },
            // A 10-star rating the ref does not name: 7 is outside Typeform's default 1–5.
            { field: { id: 'stars10', type: 'rating', ref: 'r' }, type: 'number', number: 7 },
          ],
        },
        { ...scales, response_id: 'empty', token: 'empty', answers: [], new_field: 'also here' },
      ],
    };
    const result = await mapWithPreset(writeTemp(doc), 'responses', 'typeform');
    assert.deepEqual([result.read, result.records.length, result.skipped], [2, 9, 1]);
    assert.deepEqual(result.warnings, [
      '1 record(s) not imported: responses without answers',
      'fields the typeform preset (responses) does not know, kept as attributes: new_field',
    ]);
    assert.deepEqual(result.problems.map((p) => ['field' in p ? p.field : '', p.reason]), [['score', 'score 7 is outside the scale 1–5']]);
    assert.deepEqual(
      result.records.map((r) => [r.question_id, r.kind, r.score, r.scale_min, r.scale_max, r.answer]),
      [
        ['vV7ISYSgZ94I', 'nps', 1, 0, 10, null],
        ['x9myjwStSn9a', 'csat', 1, 1, 5, null],
        ['zaP8jDAArI5x', 'ces', 1, 1, 5, null],
        ['VFmcjbHlFTzg', 'rating', 1, 1, 10, null],
        ['nNpS', 'nps', 9, 0, 10, null],
        ['multi', 'choice', null, null, null, 'Price, Speed, Staff'],
        ['yes', 'choice', null, null, null, 'no'],
        ['when', 'profile', null, null, null, '2021-06-30'],
        ['qty', 'profile', null, null, null, '3'],
      ],
    );
    const [first] = result.records;
    assert.deepEqual(
      [first?.customer_id, first?.order_id, (first?.attributes as Doc).hidden_campaign, (first?.attributes as Doc).variable_price, (first?.attributes as Doc).new_field],
      ['c-42', 'o-7', 'spring', 12, 'kept'],
    );
  });
});

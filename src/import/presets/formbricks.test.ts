import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { formatPath, readFormatJson } from '../../../test/support/formats.ts';
import { mapSample, mapWithPreset, writeTemp } from '../../../test/support/presets.ts';
import { sampleFile } from '../sniff.ts';
import { formbricksTimestamp } from './formbricks.ts';
import { detectSources } from './index.ts';

const at = (iso: string) => new Date(iso);
type Doc = Record<string, unknown>;

/** The real download's header, with rows written here (Formbricks publishes one fixture row). */
export function formbricksCsv(header: string[], rows: Record<string, string>[]): string {
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [header.map(cell).join(','), ...rows.map((row) => header.map((column) => cell(row[column] ?? '')).join(','))].join('\n') + '\n';
}

describe('Formbricks preset', () => {
  test('each sample is recognised as its own source, and only as that', async () => {
    const found = async (name: string, format: 'json' | 'csv') => detectSources(await sampleFile(formatPath(name), format)).map((m) => `${m.preset.name}:${m.source.name}@${m.jsonPath ?? ''}`);
    assert.deepEqual(await found('formbricks-responses-api.json', 'json'), ['formbricks:responses@get_responses_example.data']);
    assert.deepEqual(await found('formbricks-responses-export.csv', 'csv'), ['formbricks:responses-csv@']);
  });

  test('API: one Sada response per answered question, every answer lands; createdAt anchors; CTA clicks are choices', async () => {
    const result = await mapSample('formbricks-responses-api.json', 'responses', 'formbricks');
    // 5 + 2 + 2 answered questions in the sample's three responses.
    assert.deepEqual([result.read, result.records.length, result.problems, result.skipped, result.warnings], [3, 9, [], 0, []]);
    assert.deepEqual(
      result.records.map((r) => [r.submission_id, r.question_id, r.kind, r.answer, r.comment]),
      [
        ['clvc3n6hy000u494jn2ypw30r', '1', 'choice', 'clicked', null],
        ['clvc3n6hy000u494jn2ypw30r', 'hs8yd14l9h8u353tjmv6rzaw', 'choice', 'clicked', null],
        ['clvc3n6hy000u494jn2ypw30r', 'hs8yd14l9h8u353tjmv6rzawqqq', 'choice', 'clicked', null],
        ['clvc3n6hy000u494jn2ypw30r', 'tcgls0063n8ri7dtrbnepcmz', 'text', null, 'Who? Who? Who?'],
        ['clvc3n6hy000u494jn2ypw30r', 'tcgls012312312063n8ri7dtrbnepcmz', 'text', null, 'Who? Who? Who?'],
        ['clvc3in3z000t494j4wtax1oi', 'hs8yd14l9h8u353tjmv6rzaw', 'choice', 'clicked', null],
        ['clvc3in3z000t494j4wtax1oi', 'tcgls0063n8ri7dtrbnepcmz', 'text', null, 'Who? Who? Who?'],
        ['clvc3iebk000s494j37tq10o3', 'hs8yd14l9h8u353tjmv6rzaw', 'choice', 'clicked', null],
        ['clvc3iebk000s494j37tq10o3', 'tcgls0063n8ri7dtrbnepcmz', 'text', null, 'Who? Who? Who?'],
      ],
    );
    assert.deepEqual(result.records[3], {
      id: 'clvc3n6hy000u494jn2ypw30r:tcgls0063n8ri7dtrbnepcmz',
      kind: 'text',
      score: null,
      scale_min: null,
      scale_max: null,
      answer: null,
      comment: 'Who? Who? Who?',
      language: null,
      submitted_at: at('2024-04-23T08:03:32.901Z'),
      survey_id: 'clusgqpml0000135cxet3y8vh',
      question_id: 'tcgls0063n8ri7dtrbnepcmz',
      submission_id: 'clvc3n6hy000u494jn2ypw30r',
      customer_id: 'THIS-IS-A-VVERY-LONG-USER-ID-FOR-TESTING',
      attributes: {
        'person_Created From': 'API',
        person_created_from: 'API',
        formbricks_person_id: 'clvc2s3ig000k494jltkqkm2u',
        finished: true,
        updated_at: '2024-04-23T08:14:12.343Z',
        source: 'Postman API',
        url: 'https://postman.com',
        action: 'test action',
      },
    });
    assert.equal((result.records[5]?.attributes as Doc).finished, false, 'an unfinished response still counts the answers it has');
  });

  test('API: numbers by question name (or rating 0–10), lists, ttc, tags, language; unknown fields named once', async () => {
    const [first] = readFormatJson<{ get_responses_example: { data: Doc[] } }>('formbricks-responses-api.json').get_responses_example.data;
    const doc = {
      data: [
        {
          ...first,
          data: { nps: 9, 'csat-support': 4, effort_ces: 6, stars: 4, features: ['Speed', 'Price'], employees: '250', skipped: '' },
          ttc: { nps: 1200, stars: 800 },
          tags: [{ id: 't1', name: 'vip' }],
          language: 'ar',
          surveyVersion: 3,
        },
        { ...first, id: 'nothing', data: {} },
      ],
    };
    const result = await mapWithPreset(writeTemp(doc), 'responses', 'formbricks');
    assert.deepEqual([result.read, result.records.length, result.skipped, result.problems], [2, 6, 1, []]);
    assert.deepEqual(result.warnings, [
      '1 record(s) not imported: responses without any answer (shown, then left before answering)',
      'fields the formbricks preset (responses) does not know, kept as attributes: surveyVersion',
    ]);
    assert.deepEqual(
      result.records.map((r) => [r.question_id, r.kind, r.score, r.scale_min, r.scale_max, r.answer, r.comment, r.language]),
      [
        ['nps', 'nps', 9, 0, 10, null, null, 'ar'],
        ['csat-support', 'csat', 4, 1, 5, null, null, 'ar'],
        ['effort_ces', 'ces', 6, 1, 7, null, null, 'ar'],
        ['stars', 'rating', 4, 0, 10, null, null, 'ar'],
        ['features', 'choice', null, null, null, 'Speed, Price', null, 'ar'],
        ['employees', 'text', null, null, null, null, '250', 'ar'],
      ],
    );
    const attributes = result.records[0]?.attributes as Doc;
    assert.deepEqual([attributes.ttc_ms, attributes.tags, attributes.surveyVersion], [1200, ['vip'], 3]);
  });

  test('CSV download: the Timestamp’s zone read, choice columns, numbers by headline, every other column kept', async () => {
    const sample = await mapSample('formbricks-responses-export.csv', 'responses', 'formbricks');
    assert.deepEqual([sample.read, sample.records.length, sample.problems, sample.warnings], [1, 1, [], []]);
    assert.deepEqual(sample.records[0], {
      id: 'response1:1. Question 1',
      kind: 'choice',
      score: null,
      scale_min: null,
      scale_max: null,
      answer: 'answer1',
      comment: null,
      submitted_at: at('2026-01-01T20:00:00Z'),
      survey_id: 'survey1',
      question_id: 'Question 1',
      submission_id: 'response1',
      customer_id: null,
      attributes: { 'userAgent - browser': 'Chrome', 'person.email': 'test@example.com', finished: true },
    });

    const header = readFileSync(formatPath('formbricks-responses-export.csv'), 'utf8').split(/\r?\n/)[0]!.split(',');
    const columns = [...header.slice(0, 11), '2. How likely are you to recommend us? (NPS)', '3. Rate the delivery', '4. Anything else?', 'plan', ...header.slice(11)];
    const csv = formbricksCsv(columns, [
      { 'No.': '1', 'Response ID': 'r2', Timestamp: '2026-01-02 04:00:00 GMT+8', Finished: 'No', 'Survey ID': 'survey1', 'User ID': 'u-7', Tags: 'vip, late', '1. Question 1': 'answer2', '1. Question 1 - Option ID': 'opt2', '2. How likely are you to recommend us? (NPS)': '10', '3. Rate the delivery': '4', '4. Anything else?': '42', plan: 'pro' },
      { 'No.': '2', 'Response ID': 'r3', Timestamp: '2026-01-02 09:30:00 GMT-3:30', Finished: 'Yes', 'Survey ID': 'survey1', '4. Anything else?': 'Great, thanks' },
      { 'No.': '3', 'Response ID': 'r4', Timestamp: '2026-01-03 10:00:00 UTC', Finished: 'No', 'Survey ID': 'survey1' },
    ]);
    const result = await mapWithPreset(writeTemp(csv, 'csv'), 'responses', 'formbricks');
    assert.deepEqual([result.read, result.records.length, result.skipped, result.problems], [3, 5, 1, []]);
    assert.deepEqual(result.warnings, ['1 record(s) not imported: responses without any answer (shown, then left before answering)']);
    assert.deepEqual(
      result.records.map((r) => [r.id, r.kind, r.score, r.scale_min, r.scale_max, r.answer, r.comment, r.submitted_at, r.customer_id]),
      [
        ['r2:1. Question 1', 'choice', null, null, null, 'answer2', null, at('2026-01-01T20:00:00Z'), 'u-7'],
        ['r2:2. How likely are you to recommend us? (NPS)', 'nps', 10, 0, 10, null, null, at('2026-01-01T20:00:00Z'), 'u-7'],
        ['r2:3. Rate the delivery', 'rating', 4, 0, 10, null, null, at('2026-01-01T20:00:00Z'), 'u-7'],
        ['r2:4. Anything else?', 'text', null, null, null, null, '42', at('2026-01-01T20:00:00Z'), 'u-7'],
        ['r3:4. Anything else?', 'text', null, null, null, null, 'Great, thanks', at('2026-01-02T13:00:00Z'), null],
      ],
    );
    assert.deepEqual(result.records[0]?.attributes, { plan: 'pro', finished: false, tags: ['vip', 'late'], option_id: 'opt2' });
  });

  test('CSV timestamps with a GMT offset become ISO offsets', () => {
    assert.equal(formbricksTimestamp('2026-01-02 04:00:00 GMT+8'), '2026-01-02T04:00:00+08:00');
    assert.equal(formbricksTimestamp('2026-01-02 09:30:00 GMT-3:30'), '2026-01-02T09:30:00-03:30');
    assert.equal(formbricksTimestamp('2026-01-01 20:00:00 UTC'), '2026-01-01 20:00:00 UTC');
  });
});

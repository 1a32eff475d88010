import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { BUILTIN_TOUCHPOINTS } from '../domain/catalog.ts';
import { localizedTexts, parseSurvey, scoreBand, SurveyDefinitionError, type ScoredQuestion, type Survey, type SurveyInput } from './survey.ts';

const EXAMPLES = new URL('../../examples/surveys/', import.meta.url);
const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.json')).sort();
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8'));

describe('the example surveys in examples/surveys', () => {
  const surveys = new Map<string, Survey>();
  for (const name of files) {
    test(`${name} is a valid survey, in English, Arabic and Lithuanian, with no field the schema ignores`, () => {
      const input = read(name);
      const survey = parseSurvey(input);
      surveys.set(name, survey);
      assert.equal(survey.defaultLanguage, 'en');
      assert.deepEqual(survey.languages, ['en', 'ar', 'lt']);
      for (const [path, texts] of localizedTexts(survey)) {
        assert.deepEqual(Object.keys(texts).sort(), ['ar', 'en', 'lt'], `${path.join('.')} in every language`);
        assert.match(texts.ar!, /[\u0600-\u06FF]|^[\d–+ ]+$/, `${path.join('.')}: the Arabic text is in Arabic script`);
      }
    });
  }

  test('cover every built-in touchpoint, the employees, both incentives and review consent', () => {
    const all = files.map((name) => surveys.get(name) ?? parseSurvey(read(name)));
    assert.equal(new Set(all.map((s) => s.id)).size, all.length, 'survey ids are unique');
    for (const touchpoint of BUILTIN_TOUCHPOINTS) assert.ok(all.some((s) => s.touchpoint === touchpoint && s.audience === 'customers'), touchpoint);
    const employees = all.find((s) => s.audience === 'employees');
    assert.deepEqual(employees?.questions.map((q) => q.kind), ['esat', 'enps']);
    assert.ok(all.some((s) => s.incentive?.kind === 'code'));
    assert.ok(all.some((s) => s.incentive?.kind === 'pool'));
    assert.ok(all.some((s) => s.reviewConsent));
    const website = all.find((s) => s.touchpoint === 'website')!;
    const intent = website.questions.find((q) => q.kind === 'intent');
    assert.ok(intent && 'allowOther' in intent && intent.allowOther);
    assert.ok(website.questions.some((q) => q.kind === 'csat' && !q.required), 'an optional CSAT');
    const checkout = all.find((s) => s.touchpoint === 'checkout')!;
    const nps = checkout.questions.find((q) => q.kind === 'nps') as ScoredQuestion;
    assert.ok(nps.followUp?.low && nps.followUp.middle && nps.followUp.high, 'follow-up worded by band');
    assert.ok(checkout.questions.some((q) => q.kind === 'profile' && q.field === 'age_band'));
  });
});

describe('the survey schema refuses', () => {
  const base = (): SurveyInput => ({
    id: 'after-support',
    name: 'After support',
    touchpoint: 'support',
    defaultLanguage: 'en',
    languages: ['en', 'ar'],
    questions: [{ id: 'csat', kind: 'csat', text: { en: 'How satisfied are you?', ar: 'ما مدى رضاك؟' } }],
  });
  function problems(input: unknown): string[] {
    try {
      parseSurvey(input);
    } catch (error) {
      assert.ok(error instanceof SurveyDefinitionError);
      assert.match(error.message, /^the survey is not valid:\n {2}- /);
      return error.problems;
    }
    assert.fail('the survey was accepted');
  }

  test('a text without the default language', () => {
    const survey = base();
    survey.questions = [{ id: 'csat', kind: 'csat', text: { ar: 'ما مدى رضاك؟' } }];
    survey.thankYou = { lt: 'Ačiū!' };
    assert.deepEqual(problems(survey), [
      'questions.0.text: give this text in the default language "en"',
      'thankYou: give this text in the default language "en"',
    ]);
  });

  test('a CSAT scale of 0-10', () => {
    const survey = base();
    survey.questions = [{ id: 'csat', kind: 'csat', scale: { min: 0, max: 10 }, text: { en: 'How satisfied are you?' } }];
    assert.deepEqual(problems(survey), ['questions.0.scale: a csat scale is 1-5 or 1-10, not 0-10']);
  });

  test('ESAT in a survey whose audience is not employees, and customer questions asked of employees', () => {
    const survey = base();
    survey.questions = [{ id: 'esat', kind: 'esat', text: { en: 'How satisfied are you with your work?' } }];
    assert.deepEqual(problems(survey), ['questions.0.kind: esat questions are for employees: set "audience": "employees"']);
    assert.deepEqual(problems({ ...base(), audience: 'employees' }), ['questions.0.kind: csat questions are for customers; ask employees esat, enps, choice or text questions']);
    assert.equal(parseSurvey({ ...survey, audience: 'employees' }).audience, 'employees');
  });

  test('two questions with the same id', () => {
    const survey = base();
    survey.questions = [
      { id: 'score', kind: 'csat', text: { en: 'How satisfied are you?' } },
      { id: 'score', kind: 'text', text: { en: 'Anything else?' } },
    ];
    assert.deepEqual(problems(survey), ['questions.1.id: two questions have the id "score"']);
  });

  test('more than three questions', () => {
    const survey = base();
    survey.questions = ['a', 'b', 'c', 'd'].map((id) => ({ id, kind: 'text' as const, text: { en: `Question ${id}?` } }));
    assert.deepEqual(problems(survey), ['questions: ask at most 3 questions: short surveys get answered']);
  });

  test('every problem at once, each with its path', () => {
    const found = problems({ ...base(), id: 'After Support', languages: ['ar'], questions: [{ id: 'csat', kind: 'csat', scale: { min: 0, max: 10 }, text: { ar: 'ما مدى رضاك؟' } }] });
    assert.deepEqual(found, [
      'id: a lower-case id of letters, digits, ".", "_" or "-", at most 63 characters',
      'languages: list the default language "en" among the languages',
      'questions.0.scale: a csat scale is 1-5 or 1-10, not 0-10',
      'questions.0.text: give this text in the default language "en"',
    ]);
  });
});

test('a misspelt field is an error with its path, never dropped quietly', () => {
  const example = () => JSON.parse(readFileSync(new URL('website.json', EXAMPLES), 'utf8')) as { questions: Array<Record<string, unknown>> };
  const problems = (input: unknown) => {
    try {
      parseSurvey(input);
      return [];
    } catch (error) {
      return (error as SurveyDefinitionError).problems;
    }
  };
  const nested = example();
  nested.questions[0]!.allowOthers = true;
  assert.deepEqual(problems(nested), ["questions.0: Unrecognized key(s) in object: 'allowOthers'"]);
  assert.deepEqual(problems({ ...example(), thankyou: { en: 'Thanks' } }), ["(document): Unrecognized key(s) in object: 'thankyou'"]);
});

test('follow-up bands: NPS by class, the bottom two points low, satisfied or easy high (as docs/surveys.md says)', () => {
  const q = (kind: ScoredQuestion['kind'], min: number, max: number): ScoredQuestion => ({ id: 'q', kind, text: { en: 'x' }, scale: { min, max }, required: true });
  const bands = (question: ScoredQuestion) => {
    const { min, max } = question.scale!;
    return Array.from({ length: max - min + 1 }, (_, i) => scoreBand(question, min + i)[0]).join('');
  };
  assert.equal(bands(q('nps', 0, 10)), 'lllllllmmhh');
  assert.equal(bands(q('csat', 1, 5)), 'llmhh');
  assert.equal(bands(q('csat', 1, 10)), 'llmmmmmmhh');
  assert.equal(bands(q('ces', 1, 7)), 'llmmhhh');
  assert.equal(bands(q('ces', 1, 5)), 'llmhh');
  assert.equal(bands(q('esat', 1, 7)), 'llmmmhh');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DASHBOARD_PAGES } from '../web/routes.ts';
import { answerProblems, PRACTICES, QUESTION_KEYS, QUESTIONNAIRE, scoreAssessment, STEPS } from './cx-assessment.ts';

test('the seed\'s 11 practices and 8 planning steps, keys unique, each linked to real dashboard pages', () => {
  assert.equal(PRACTICES.length, 11);
  assert.equal(STEPS.length, 8);
  assert.equal(new Set(QUESTION_KEYS).size, QUESTIONNAIRE.length);
  for (const item of QUESTIONNAIRE) {
    assert.ok(item.features.length > 0, item.key);
    for (const page of item.features) assert.ok((DASHBOARD_PAGES as readonly string[]).includes(page), `${item.key} → ${page}`);
  }
  assert.deepEqual(PRACTICES.find((p) => p.key === 'competitor_quality')!.features, ['benchmarks']);
});

test('scores: points out of 4 per question, per section and in total (hand-computed)', () => {
  // Practices: 4 each for the first 3, 2 for the next 8 → 12 + 16 = 28 of 44 = 63.636…%
  // Steps: 0, 1, 2, 3, 4, 0, 1, 2 → 13 of 32 = 40.625%. Total 41 of 76 = 53.947…%.
  const answers = Object.fromEntries([
    ...PRACTICES.map((p, i) => [p.key, i < 3 ? 4 : 2]),
    ...STEPS.map((s, i) => [s.key, i % 5]),
  ]) as Record<string, number>;
  const score = scoreAssessment(answers);
  assert.deepEqual([score.practices.points, score.practices.max], [28, 44]);
  assert.ok(Math.abs(score.practices.percent - 63.63636) < 1e-4);
  assert.deepEqual(score.steps, { points: 13, max: 32, percent: 40.625 });
  assert.deepEqual([score.total.points, score.total.max], [41, 76]);
  assert.ok(Math.abs(score.total.percent - 53.94737) < 1e-4);
  assert.deepEqual(scoreAssessment({}).total, { points: 0, max: 0, percent: 0 });
});

test('answers: every question, whole numbers 0–4, no unknown keys', () => {
  const all = Object.fromEntries(QUESTION_KEYS.map((k) => [k, 3]));
  assert.deepEqual(answerProblems(all), []);
  const { monthly_satisfaction: _gone, ...partial } = all;
  assert.match(answerProblems(partial).join(), /missing: monthly_satisfaction/);
  assert.match(answerProblems({ ...all, monthly_satisfaction: 5 }).join(), /monthly_satisfaction must be a whole number from 0 to 4/);
  assert.match(answerProblems({ ...all, monthly_satisfaction: 2.5 }).join(), /whole number/);
  assert.match(answerProblems({ ...all, monthly_satisfaction: '3' }).join(), /whole number/);
  assert.match(answerProblems({ ...all, happiness: 3 }).join(), /unknown question happiness/);
});

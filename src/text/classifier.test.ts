import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateByLanguage, features, isHeldOut, labelFromScore, predict, quality, trainNaiveBayes } from './classifier.ts';

test('labels from scores: bottom-2 / top-2 box, middle dropped; NPS detractor / promoter', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((s) => labelFromScore(s, 1, 5)), ['negative', 'negative', null, 'positive', 'positive']);
  assert.deepEqual([6, 7, 8, 9].map((s) => labelFromScore(s, 0, 10)), ['negative', null, null, 'positive']);
  assert.deepEqual([0, 1].map((s) => labelFromScore(s, 0, 1)), ['negative', 'positive']);
});

test('binarized features: each unigram and bigram once', () => {
  assert.deepEqual(features('good good fun', 'en'), ['good', 'fun', 'good good', 'good fun']);
});

test('naive Bayes on a tiny corpus, by hand', () => {
  // positive: {good}, {good, fun, "good fun"}; negative: {bad}. Totals 4 and 1, |V| = 4.
  const model = trainNaiveBayes(
    [
      { text: 'good', label: 'positive' },
      { text: 'good fun', label: 'positive' },
      { text: 'bad', label: 'negative' },
    ],
    'en',
    1,
    'empirical',
  );
  // priors (2+1)/5 = 0.6 and (1+1)/5 = 0.4; P(good|+) = 3/(4+5), P(good|−) = 1/(1+5)
  // P(−|good) = 0.4·(1/6) / (0.4·(1/6) + 0.6·(3/9)) = 0.25
  assert.ok(Math.abs(predict(model, 'good').pNegative - 0.25) < 1e-12);
  // P(bad|+) = 1/9, P(bad|−) = 2/6 → 0.4·(1/3) / (0.4/3 + 0.6/9) = 2/3
  assert.ok(Math.abs(predict(model, 'bad').pNegative - 2 / 3) < 1e-12);
  assert.equal(predict(model, 'bad').label, 'negative');
  // unseen words are ignored: the prior decides
  assert.ok(Math.abs(predict(model, 'xyz').pNegative - 0.4) < 1e-12);
  // uniform priors: only the likelihoods count → P(−|xyz) = 0.5
  const uniform = trainNaiveBayes([{ text: 'good', label: 'positive' }, { text: 'bad', label: 'negative' }, { text: 'ok', label: 'positive' }], 'en', 1, 'uniform');
  assert.equal(predict(uniform, 'xyz').pNegative, 0.5);
});

test('quality: accuracy, per-class F1, macro-F1', () => {
  const q = quality(['positive', 'positive', 'negative', 'negative'], ['positive', 'negative', 'negative', 'negative']);
  assert.equal(q.accuracy, 0.75);
  // positive: tp 1, fn 1 → F1 = 2/3; negative: tp 2, fp 1 → F1 = 4/5
  assert.ok(Math.abs(q.perClass.positive.f1 - 2 / 3) < 1e-12);
  assert.ok(Math.abs(q.perClass.negative.f1 - 0.8) < 1e-12);
  assert.ok(Math.abs(q.macroF1! - (2 / 3 + 0.8) / 2) < 1e-12);
  // the majority baseline's minority class has F1 0
  assert.equal(quality(['positive', 'negative'], ['positive', 'positive']).macroF1, (2 / 3 + 0) / 2);
});

test('held-out split is deterministic and about the fraction asked', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `r${i}`);
  const held = ids.filter((id) => isHeldOut(id));
  assert.deepEqual(held, ids.filter((id) => isHeldOut(id)));
  assert.ok(held.length > 900 && held.length < 1100, String(held.length));
  assert.notDeepEqual(held, ids.filter((id) => isHeldOut(id, 0.2, 'other-seed')));
});

test('evaluateByLanguage reports learned vs majority per language', () => {
  const comments = Array.from({ length: 400 }, (_, i) => ({
    id: String(i),
    lang: 'en',
    text: i % 2 === 0 ? `great product number ${i}` : `awful broken thing ${i}`,
    label: (i % 2 === 0 ? 'positive' : 'negative') as 'positive' | 'negative',
  }));
  const [ev] = evaluateByLanguage(comments);
  assert.equal(ev!.lang, 'en');
  assert.equal(ev!.learned.accuracy, 1);
  assert.ok(ev!.baseline.macroF1! < 0.5);
});

test('evaluateByLanguage also scores the lexicon, answering the majority where it has no opinion', () => {
  // 150 positive "great", 50 negative "meh": the lexicon has no word for "meh" and answers the
  // majority (positive), so it is right exactly on the positive comments
  const comments = Array.from({ length: 200 }, (_, i) => ({
    id: `c${i}`,
    lang: 'en',
    text: i % 4 === 0 ? 'meh' : 'great',
    label: (i % 4 === 0 ? 'negative' : 'positive') as 'positive' | 'negative',
  }));
  const [ev] = evaluateByLanguage(comments);
  const test = comments.filter((c) => isHeldOut(c.id));
  assert.equal(ev!.majority, 'positive');
  assert.equal(ev!.testN, test.length);
  assert.equal(ev!.lexicon.accuracy, test.filter((c) => c.label === 'positive').length / test.length);
  assert.equal(ev!.lexicon.perClass.negative.f1, 0);
  assert.equal(ev!.learned.accuracy, 1);
});

test('held-out split of ids that differ only in their last characters', () => {
  const ids = Array.from({ length: 120 }, (_, i) => `p${i}`);
  const held = ids.filter((id) => isHeldOut(id)).length;
  assert.ok(held >= 12 && held <= 36, String(held));
});

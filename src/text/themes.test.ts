import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classTfIdf, findThemes, type ThemeDocument } from './themes.ts';

test('c-TF-IDF by hand: tf · log(1 + A / f)', () => {
  const docs: ThemeDocument[] = [
    { id: '1', text: 'late delivery', lang: 'en', group: 'a' },
    { id: '2', text: 'late delivery', lang: 'en', group: 'a' },
    { id: '3', text: 'great price', lang: 'en', group: 'b' },
    { id: '4', text: 'late price', lang: 'en', group: 'b' },
  ];
  const { weights } = classTfIdf(docs, { minDocs: 1, maxN: 2, maxDocShare: 1 });
  // group a: 4 tokens; A = 4; "delivery": tf 2/4, f = 2 → 0.5·ln(1 + 4/2)
  assert.ok(Math.abs(weights.get('a')!.get('delivery')! - 0.5 * Math.log(3)) < 1e-12);
  // "late": tf 2/4 in a, f = 3 overall → 0.5·ln(1 + 4/3): less distinctive than "delivery"
  assert.ok(Math.abs(weights.get('a')!.get('late')! - 0.5 * Math.log(1 + 4 / 3)) < 1e-12);
  assert.ok(weights.get('a')!.get('late')! < weights.get('a')!.get('delivery')!);
  // the bigram counts too; stopword-edged n-grams never appear
  assert.ok(weights.get('a')!.has('late delivery'));
});

test('themes merge nested and co-occurring phrases and carry volume, trend and impact', () => {
  const docs: ThemeDocument[] = [];
  for (let i = 0; i < 40; i++) {
    const late = i < 8; // 20% of the comments: under the 25% cap
    docs.push({
      id: String(i),
      text: late ? 'the late delivery again' : i % 2 ? 'nice price' : 'good quality product',
      lang: 'en',
      group: i < 20 ? '2026-09' : '2026-10',
      date: i < 20 ? '2026-09-15' : '2026-10-15',
      score: late ? 1 : 5,
      satisfied: !late,
    });
  }
  const themes = findThemes(docs, { minDocs: 3 });
  const late = themes.find((t) => t.phrases.includes('late'));
  assert.ok(late, JSON.stringify(themes.map((t) => t.phrases)));
  // "late", "delivery", "late delivery" are one theme labelled by the longest; "late delivery
  // again" is no candidate because it ends with a stopword
  assert.equal(late.volume, 8);
  assert.equal(late.label, 'late delivery');
  assert.ok(!late.phrases.includes('late delivery again'));
  assert.ok(late.phrases.includes('delivery'));
  assert.deepEqual(late.trend, [
    { month: '2026-09', count: 8, total: 20 },
    { month: '2026-10', count: 0, total: 20 },
  ]);
  // mean score of the theme (1) minus the rest (5)
  assert.equal(late.scoreImpact!.delta, -4);
  assert.equal(late.satisfiedImpact!.delta, -1);
  assert.ok(late.satisfiedImpact!.ci![1] < 0);
  // exactly one theme holds the late-delivery comments
  assert.equal(themes.filter((t) => t.documentIds.includes('0')).length, 1);
});

test('a phrase may start with a negation; a phrase in most comments is no theme', () => {
  const docs: ThemeDocument[] = Array.from({ length: 20 }, (_, i) => ({
    id: String(i),
    text: i < 4 ? 'produto não recebi' : i < 8 ? 'produto chegou bem' : `produto caixa${i}`,
    lang: 'pt',
    group: 'g',
  }));
  const { weights } = classTfIdf(docs, { minDocs: 3 });
  const w = weights.get('g')!;
  assert.ok(w.has('nao recebi'));
  assert.ok(!w.has('nao')); // a negation alone is a stopword
  assert.ok(!w.has('produto')); // in 100% of the comments > 25%
  assert.ok(w.has('chegou bem'));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arabicLightStem, foldDiacritics, ngrams, normalize, tokenize } from './normalize.ts';
import { isStopword } from './stopwords.ts';

test('Arabic: tashkeel and tatweel removed, alef variants unified, ى → ي, final ة → ه', () => {
  assert.equal(normalize('مُمْتَاز', 'ar'), 'ممتاز');
  assert.equal(normalize('جمـــيل', 'ar'), 'جميل');
  assert.equal(normalize('أحمد إلى آخر', 'ar'), 'احمد الي اخر');
  assert.equal(normalize('مستشفى', 'ar'), 'مستشفي');
  assert.equal(normalize('الجامعة رائعة', 'ar'), 'الجامعه رائعه');
  // ة inside a word (rare, but e.g. before a suffix written joined) is left alone
  assert.equal(normalize('ةب', 'ar'), 'ةب');
  assert.equal(normalize('١٢٣', 'ar'), '123');
});

test('Lithuanian and Portuguese: lower case, folded variant for matching', () => {
  assert.equal(normalize('AČIŪ Ėglė', 'lt'), 'ačiū ėglė');
  assert.equal(foldDiacritics('ačiū ėglė šaunu ąžuolas'), 'aciu egle saunu azuolas');
  assert.equal(foldDiacritics('não péssimo ação'), 'nao pessimo acao');
  assert.deepEqual(tokenize('Labai GERAS aptarnavimas, ačiū!', 'lt'), ['labai', 'geras', 'aptarnavimas', 'aciu']);
  assert.deepEqual(tokenize('Ačiū', 'lt', { fold: false }), ['ačiū']);
  // Arabic letters are not touched by folding
  assert.equal(foldDiacritics('ممتاز'), 'ممتاز');
});

test('emoji are kept as tokens, skin tones and variation selectors dropped', () => {
  assert.deepEqual(tokenize('great 👍🏽👍 ❤️!', 'en'), ['great', '👍', '👍', '❤']);
  assert.deepEqual(tokenize('الخدمة 😡', 'ar'), ['الخدمه', '😡']);
});

test('tokenize keeps inner apostrophes, drops numbers, squeezes letter runs', () => {
  assert.deepEqual(tokenize("I DON'T like it soooo much, 100 times", 'en'), ['i', "don't", 'like', 'it', 'soo', 'much', 'times']);
  assert.deepEqual(tokenize('don’t', 'en'), ["don't"]);
});

test('ngrams and the Arabic light stem', () => {
  assert.deepEqual(ngrams(['a', 'b', 'c'], 1, 2), ['a', 'b', 'c', 'a b', 'b c']);
  assert.equal(arabicLightStem('والاكل'), 'اكل');
  assert.equal(arabicLightStem('بالاردن'), 'اردن');
  assert.equal(arabicLightStem('ولد'), 'ولد'); // too short to strip
});

test('stopwords are matched in their folded form', () => {
  assert.ok(isStopword('nao', 'pt'));
  assert.ok(isStopword('the', 'en'));
  assert.ok(isStopword('sis', 'lt')); // šis
  assert.ok(isStopword('الي', 'ar')); // إلى normalized
  assert.ok(!isStopword('entrega', 'pt'));
});

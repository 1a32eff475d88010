import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lexiconSentiment } from './lexicon.ts';

test('negation flips the next words ("not good")', () => {
  assert.equal(lexiconSentiment('good', 'en').score, 1);
  assert.equal(lexiconSentiment('not good', 'en').score, -1);
  assert.equal(lexiconSentiment('not very good', 'en').label, 'negative');
  assert.equal(lexiconSentiment("it isn't bad", 'en').label, 'positive');
  assert.equal(lexiconSentiment('não gostei', 'pt').label, 'negative');
  assert.equal(lexiconSentiment('الاكل مش لذيذ', 'ar').label, 'negative');
});

test('phrases, folded forms, Lithuanian ne- prefix, Arabic clitics, emoji', () => {
  assert.deepEqual(lexiconSentiment('Não recebi o produto', 'pt').matches, [{ term: 'nao recebi', polarity: -1 }]);
  assert.equal(lexiconSentiment('produto ótimo, recomendo', 'pt').score, 2);
  assert.equal(lexiconSentiment('produto otimo', 'pt').score, 1);
  assert.equal(lexiconSentiment('Nepatiko', 'lt').score, -1);
  assert.equal(lexiconSentiment('Labai patiko, ačiū', 'lt').score, 2);
  assert.equal(lexiconSentiment('والممتاز', 'ar').score, 1);
  assert.equal(lexiconSentiment('😡', 'en').score, -1);
  assert.equal(lexiconSentiment('hello there', 'en').label, 'neutral');
});

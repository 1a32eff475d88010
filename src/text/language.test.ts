import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectLanguage } from './language.ts';

test('clear sentences in the four languages', () => {
  assert.equal(detectLanguage('The browser keeps freezing every time I open a new tab, please fix it.'), 'en');
  assert.equal(detectLanguage('الخدمة ممتازة والموظفين محترمين جدا وأنصح الجميع بزيارة المطعم'), 'ar');
  assert.equal(detectLanguage('Prekė atkeliavo greitai, aptarnavimas buvo labai malonus, ačiū.'), 'lt');
  assert.equal(detectLanguage('O produto chegou antes do prazo e veio muito bem embalado, recomendo.'), 'pt');
});

test("too little text is 'und'", () => {
  assert.equal(detectLanguage('ok'), 'und');
  assert.equal(detectLanguage('👍👍👍'), 'und');
  assert.equal(detectLanguage(''), 'und');
  assert.equal(detectLanguage('good', { minLetters: 10 }), 'und');
});

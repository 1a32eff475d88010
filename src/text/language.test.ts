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

test('the stopword bonus for en/pt/lt does not swallow clear sentences of close languages', () => {
  assert.equal(detectLanguage('El producto llegó tarde y la atención fue muy mala, no lo recomiendo.'), 'es');
  assert.equal(detectLanguage('Le produit est arrivé en retard et le service client ne répond pas.'), 'fr');
  assert.equal(detectLanguage('Il prodotto è arrivato in ritardo e il servizio clienti non risponde.'), 'it');
  assert.equal(detectLanguage('Prece atnāca vēlu un klientu atbalsts neatbild.'), 'lv');
  // …and it fixes the informal Portuguese that franc alone calls Spanish
  assert.equal(detectLanguage('nao recebi o produto'), 'pt');
  assert.equal(detectLanguage('achei a entrega um pouco demorada'), 'pt');
});

test('Arabic-script text is Persian only with letters Arabic lacks', () => {
  assert.equal(detectLanguage('این فروشگاه خیلی خوب است و کارکنان مهربان هستند'), 'fa');
  // a Jordanian review (OMCCA) that franc alone calls Persian
  assert.equal(detectLanguage('انا بحبه بس مشكلته انه مزعج خصوصا بالليل'), 'ar');
});

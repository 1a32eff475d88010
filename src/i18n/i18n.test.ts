import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { catalogueKeys, direction, LOCALES, negotiateLocale, translator } from './index.ts';

describe('i18n', () => {
  test('every catalogue has exactly the English keys', () => {
    for (const locale of LOCALES) assert.deepEqual(catalogueKeys(locale), catalogueKeys('en'), locale);
  });

  test('plurals follow each language’s rules (Lithuanian one/few/many, Arabic six forms)', () => {
    const lt = translator('lt');
    assert.equal(lt('home.workspaces', { count: 1 }), '1 darbo sritis');
    assert.equal(lt('home.workspaces', { count: 21 }), '21 darbo sritis');
    assert.equal(lt('home.workspaces', { count: 3 }), '3 darbo sritys');
    assert.equal(lt('home.workspaces', { count: 10 }), '10 darbo sričių');
    const ar = translator('ar');
    assert.equal(ar('home.workspaces', { count: 2 }), 'مساحتا عمل');
    const arabicNumber = new Intl.NumberFormat('ar');
    assert.equal(ar('home.workspaces', { count: 5 }), `${arabicNumber.format(5)} مساحات عمل`);
    assert.equal(ar('home.workspaces', { count: 11 }), `${arabicNumber.format(11)} مساحة عمل`);
    assert.equal(translator('en')('home.workspaces', { count: 0 }), 'No workspaces yet');
  });

  test('locale negotiation: explicit choice, then Accept-Language order and weights, then English', () => {
    assert.equal(negotiateLocale('ar', 'lt'), 'ar');
    assert.equal(negotiateLocale(undefined, 'fr-FR, lt;q=0.8, ar;q=0.9'), 'ar');
    assert.equal(negotiateLocale(undefined, 'lt-LT,lt;q=0.9,en;q=0.8'), 'lt');
    assert.equal(negotiateLocale('xx', 'de'), 'en');
    assert.equal(direction('ar'), 'rtl');
    assert.equal(direction('lt'), 'ltr');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertEmail, alertLines, alertSlack } from './message.ts';
import { ruleDefinitionSchema, type RuleDefinition } from './rules.ts';
import { countThemes, evaluateThemeRule, phraseKey, type ThemeComment, type ThemePeriodCounts } from './theme.ts';
import type { ThemeFigure } from './evaluate.ts';

const rule = (params: unknown, id = 1) => ({ id, definition: ruleDefinitionSchema.parse({ kind: 'theme', params }) as RuleDefinition });

/** Twenty everyday comments with their own words; every month has each of them equally often. */
const FILLER = [
  'the staff were friendly and helpful', 'checkout page works smoothly', 'great prices this season', 'packaging looks beautiful',
  'customer support answered quickly', 'website search finds everything', 'loyalty points are generous', 'fresh vegetables every week',
  'easy returns with printed label', 'mobile app crashes rarely', 'clear invoices and receipts', 'shoes fit perfectly',
  'colours match the photos', 'gift wrapping was lovely', 'discount codes worked fine', 'store opening hours suit me',
  'quality fabric feels soft', 'tracking emails are informative', 'payment options are plentiful', 'newsletter has useful tips',
];

/** `n` comments of a month, `mentions` of them ending in "but late delivery" (spread evenly over the fillers). */
function month(label: string, n: number, mentions: number, phrase = 'late delivery'): ThemeComment[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${label}-${i}`, text: i < mentions ? `${FILLER[i % FILLER.length]} but ${phrase}` : FILLER[i % FILLER.length]!, lang: 'en' }));
}
const mentionsIn = (comments: ThemeComment[], phrase = 'late delivery') => comments.filter((c) => c.text.includes(phrase)).length;

test('a planted spike (2% → 20% of comments) fires once, for its theme and its month, from the themes found', () => {
  const aug = month('2026-08', 400, 8);
  const sep = month('2026-09', 400, 8);
  const oct = month('2026-10', 400, 80);
  assert.deepEqual([mentionsIn(aug), mentionsIn(sep), mentionsIn(oct)], [8, 8, 80]);
  const counts = [countThemes({ period: '2026-10', previous: '2026-09' }, oct, sep), countThemes({ period: '2026-09', previous: '2026-08' }, sep, aug)];
  assert.ok(counts[0]!.themes.length > 1, 'the filler makes themes too');
  const firings = evaluateThemeRule(rule({}), counts);
  assert.equal(firings.length, 1, JSON.stringify(firings.map((f) => f.dedupeKey)));
  const [firing] = firings;
  assert.equal(firing!.dedupeKey, 'rule:1:month:2026-10:theme:late delivery');
  assert.equal(firing!.period, '2026-10');
  const figure = firing!.figure as ThemeFigure;
  assert.equal(figure.theme, 'late delivery');
  assert.deepEqual([figure.mentions, figure.n, figure.share], [80, 400, 20]);
  assert.deepEqual(figure.previous, { period: '2026-09', share: 2, mentions: 8, n: 400 });
  // Hand-computed pooled z: p̄ = 88/800 = 0.11, SE = √(0.11·0.89·(2/400)) = 0.022125, z = 0.18/0.022125 = 8.14.
  assert.ok(Math.abs(figure.change.delta - 18) < 1e-9);
  assert.ok(figure.change.pValue < 1e-12);
  assert.ok(Math.abs(figure.change.ci![0] - 13.908) < 0.001 && Math.abs(figure.change.ci![1] - 22.311) < 0.001, String(figure.change.ci));
  // Wilson interval of 80/400 (z = 1.96): 16.37% to 24.20%; Newcombe for the change: +13.91 to +22.31 points.
  assert.ok(Math.abs(figure.ci![0] - 16.37) < 0.01 && Math.abs(figure.ci![1] - 24.20) < 0.01, String(figure.ci));
});

test('a noise month with the same share, or a small rise (2% → 3%, p ≈ 0.37), does not fire', () => {
  const same = countThemes({ period: '2026-10', previous: '2026-09' }, month('2026-10', 400, 8), month('2026-09', 400, 8), 'late delivery');
  assert.equal(same.themes[0]!.mentions, 8);
  assert.deepEqual(evaluateThemeRule(rule({ phrase: 'late delivery', minMentions: 1 }), [same]), []);
  const small = countThemes({ period: '2026-10', previous: '2026-09' }, month('2026-10', 400, 12), month('2026-09', 400, 8), 'late delivery');
  assert.deepEqual([small.themes[0]!.mentions, small.themes[0]!.previousMentions], [12, 8]);
  assert.deepEqual(evaluateThemeRule(rule({ phrase: 'late delivery' }), [small]), []);
  // A fall never fires.
  const fall = countThemes({ period: '2026-10', previous: '2026-09' }, month('2026-10', 400, 8), month('2026-09', 400, 80), 'late delivery');
  assert.deepEqual(evaluateThemeRule(rule({ phrase: 'late delivery' }), [fall]), []);
});

test('below minMentions or minN it stays quiet (0 → 9 of 100 is significant, p ≈ 0.002)', () => {
  const counts: ThemePeriodCounts = { period: '2026-10', previous: '2026-09', n: 100, previousN: 100, themes: [{ label: 'late delivery', phrases: ['late delivery'], mentions: 9, previousMentions: 0 }] };
  assert.deepEqual(evaluateThemeRule(rule({}), [counts]), []);
  assert.equal(evaluateThemeRule(rule({ minMentions: 9 }), [counts]).length, 1);
  assert.deepEqual(evaluateThemeRule(rule({ minMentions: 9, minN: 101 }), [counts]), []);
  assert.deepEqual(evaluateThemeRule(rule({ minMentions: 9 }), [{ ...counts, previousN: 29, themes: [{ ...counts.themes[0]!, previousMentions: 0 }] }]), []);
});

test('several spiking themes in a period: each fires once, the strongest first; each period keys its own', () => {
  const theme = (label: string, mentions: number) => ({ label, phrases: [label], mentions, previousMentions: 0 });
  const counts: ThemePeriodCounts[] = [
    { period: '2026-W41', previous: '2026-W40', n: 200, previousN: 200, themes: [theme('refund', 20), theme('late delivery', 60)] },
    { period: '2026-W40', previous: '2026-W39', n: 200, previousN: 200, themes: [theme('late delivery', 40)] },
  ];
  const firings = evaluateThemeRule(rule({ period: 'week' }, 7), counts);
  assert.deepEqual(firings.map((f) => f.dedupeKey), ['rule:7:week:2026-W41:theme:late delivery', 'rule:7:week:2026-W41:theme:refund', 'rule:7:week:2026-W40:theme:late delivery']);
});

test('a phrase matches whole words of the normalized text, as themes do: case, diacritics, Arabic letter variants', () => {
  assert.equal(phraseKey('  Late   DÉLIVERY! '), 'late delivery');
  const comments: ThemeComment[] = [
    { id: '1', text: 'Very LATE délivery again', lang: 'en' },
    { id: '2', text: 'a late deliveryman', lang: 'en' },
    { id: '3', text: 'late, delivery was fine', lang: 'en' },
    { id: '4', text: 'تاخير التوصيل مرة أخرى', lang: 'ar' },
    { id: '5', text: 'تأخيـــر التَّوصيل', lang: 'ar' },
    { id: '6', text: 'التوصيل سريع', lang: 'ar' },
  ];
  assert.equal(countThemes({ period: 'b', previous: 'a' }, comments, [], 'late delivery').themes[0]!.mentions, 2, 'punctuation is not a word: "late, delivery" counts like the themes tokenizer sees it');
  const arabic = countThemes({ period: 'b', previous: 'a' }, comments, comments.slice(5), 'تأخير التوصيل').themes[0]!;
  assert.deepEqual([arabic.label, arabic.phrases, arabic.mentions, arabic.previousMentions], ['تأخير التوصيل', ['تاخير التوصيل'], 2, 0]);
});

test('rule params: defaults, and a phrase must hold a word', () => {
  assert.deepEqual(ruleDefinitionSchema.parse({ kind: 'theme', params: {} }), { kind: 'theme', params: { period: 'month', minMentions: 10, minN: 30 } });
  assert.equal(ruleDefinitionSchema.safeParse({ kind: 'theme', params: { phrase: '!!' } }).success, false);
  assert.equal(ruleDefinitionSchema.safeParse({ kind: 'theme', params: { phrase: 'late', extra: 1 } }).success, false);
});

test('theme alerts say share now vs before with n, interval and p, in en/ar/lt; hostile phrases are escaped', () => {
  const [firing] = evaluateThemeRule(rule({ phrase: '<b>late</b> & @channel' }), [
    { period: '2026-10', previous: '2026-09', n: 400, previousN: 400, themes: [{ label: '<b>late</b> & @channel', phrases: ['b late b channel'], mentions: 80, previousMentions: 8 }] },
  ]);
  const input = { eventId: 1, ruleName: 'Spikes', kind: 'theme', workspace: 'acme', firedAt: new Date('2026-10-20T00:00:00Z'), figure: firing!.figure, historyUrl: 'https://sada.test/alerts' };
  const en = alertLines('en', input);
  assert.equal(en.lines[0], '“<b>late</b> & @channel” was mentioned in 20% of the comments in 2026-10 (80 of 400, 95% interval 16.4% to 24.2%), up from 2% in 2026-09 (8 of 400): a change of +18 percentage points (95% interval +13.9 to +22.3, p = < 0.001), significant.');
  assert.match(alertLines('ar', input).lines[0]!, /^ذُكر «<b>late<\/b> & @channel» في 20\u200e%\u200e من التعليقات في 2026-10 \(80 من 400، /);
  assert.match(alertLines('lt', input).lines[0]!, /paminėta 20\s% komentarų per 2026-10 \(80 iš 400, /);
  const email = alertEmail('en', input);
  assert.ok(email.html.includes('&lt;b&gt;late&lt;/b&gt; &amp; @channel') && !email.html.includes('<b>late'));
  const slack = alertSlack('en', input);
  assert.ok(slack.text.includes('&lt;b&gt;late&lt;/b&gt; &amp; @channel') && !slack.text.includes('<b>'));
});

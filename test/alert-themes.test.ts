import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { ThemeFigure } from '../src/alerts/evaluate.ts';
import { createApp } from '../src/http/app.ts';
import { evaluateWorkspace, ruleFirings } from '../src/jobs/evaluate-alerts.ts';
import { createApiKey } from '../src/storage/accounts.ts';
import { listRules } from '../src/storage/alerts.ts';
import { ensureWorkspace, type Workspace } from '../src/storage/workspaces.ts';
import { describeEachEngine } from './support/databases.ts';

/**
 * Theme-spike alerts on stored comments, on both engines: a phrase that goes from 2% to 20% of a
 * month's comments fires once, keyed by rule + month + theme, whether watched by its phrase or
 * found among the month's themes; the month before (2% → 2%) stays quiet; evaluating again, or a
 * month later, records nothing more. Arabic: the phrase is written with hamza and the comments
 * without (and with tatweel), and a comment just after midnight in Riyadh counts in its local month.
 */

const FILLER = [
  'the staff were friendly and helpful', 'checkout page works smoothly', 'great prices this season', 'packaging looks beautiful',
  'customer support answered quickly', 'website search finds everything', 'loyalty points are generous', 'fresh vegetables every week',
  'easy returns with printed label', 'mobile app crashes rarely', 'clear invoices and receipts', 'shoes fit perfectly',
  'colours match the photos', 'gift wrapping was lovely', 'discount codes worked fine', 'store opening hours suit me',
  'quality fabric feels soft', 'tracking emails are informative', 'payment options are plentiful', 'newsletter has useful tips',
];
const FILLER_AR = ['الموظفون لطفاء جدا', 'الاسعار ممتازة هذا الموسم', 'التغليف جميل ومرتب', 'خدمة العملاء سريعة', 'التطبيق سهل الاستخدام', 'المقاسات مناسبة تماما', 'الجودة عالية والقماش ناعم', 'طرق الدفع كثيرة', 'الخصومات رائعة', 'الالوان مطابقة للصور'];

/** 300 comments a month (plus answers without a comment, which do not count), `planted` of them with the phrase. */
async function seed(db: Parameters<typeof evaluateWorkspace>[0], ws: Workspace, months: Record<string, number>, lang: 'en' | 'ar') {
  for (const [month, planted] of Object.entries(months)) {
    const params: unknown[] = [ws.id];
    const rows: string[] = [];
    for (let i = 0; i < 310; i++) {
      const filler = lang === 'en' ? FILLER[i % FILLER.length]! : FILLER_AR[i % FILLER_AR.length]!;
      const comment = i >= 300 ? null : i < planted ? (lang === 'en' ? `${filler} but late delivery` : `${filler} لكن تاخيـــر التوصيل`) : filler;
      // Riyadh is UTC+3: 21:30Z on the last day before the month is already the month there.
      const at = i === 299 && lang === 'ar' ? previousDayLate(month) : `${month}-${String(1 + (i % 27)).padStart(2, '0')}T12:00:00Z`;
      params.push(`${month}-${i}`, comment, lang, at);
      rows.push(`($1, $${params.length - 3}, 'csat', 4, 1, 5, $${params.length - 2}, $${params.length - 1}, $${params.length}::timestamptz)`);
    }
    await db.query(`INSERT INTO responses (workspace_id, id, kind, score, scale_min, scale_max, comment, language, submitted_at) VALUES ${rows.join(', ')}`, params);
  }
}
const previousDayLate = (month: string) => new Date(Date.parse(`${month}-01T21:30:00Z`) - 86_400_000).toISOString();

describeEachEngine('theme-spike alerts', (t) => {
  let instance: ReturnType<typeof createApp> | undefined;
  const app = () => (instance ??= createApp({ db: t.db, version: 'test', trustProxy: true }));
  const makeRule = async (ws: Workspace, body: unknown) => {
    const key = (await createApiKey(t.db, { workspaceId: ws.id, name: 'analyst key', role: 'analyst' })).secret;
    const response = await app().request(`/api/v1/alert-rules?workspace=${ws.name}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.json()) as { rule: { id: number }; message?: string };
    assert.equal(response.status, 201, JSON.stringify(json));
    return json.rule.id;
  };

  test('"late delivery" going from 2% to 20% of the comments fires once per rule, for October; nothing more on re-evaluation', async () => {
    const ws = await t.workspace('alert-themes');
    await seed(t.db, ws, { '2026-08': 6, '2026-09': 6, '2026-10': 60 }, 'en');
    const phraseRule = await makeRule(ws, { name: 'Late deliveries', kind: 'theme', params: { phrase: 'Late Delivery' }, channels: [], cooldownMinutes: 0 });
    const anyRule = await makeRule(ws, { name: 'Any theme', kind: 'theme', params: { period: 'month' }, channels: [], cooldownMinutes: 0 });

    const first = await evaluateWorkspace(t.db, ws, { at: new Date('2026-10-28T18:00:00Z') });
    assert.deepEqual(first.problems, []);
    assert.deepEqual(first.recorded.map((r) => [r.dedupeKey, r.suppressed]).sort(), [
      [`rule:${phraseRule}:month:2026-10:theme:late delivery`, false],
      [`rule:${anyRule}:month:2026-10:theme:late delivery`, false],
    ]);
    const again = await evaluateWorkspace(t.db, ws, { at: new Date('2026-10-28T18:00:00Z') });
    assert.deepEqual(again.recorded, []);
    // A month later October is "the period before": it is seen again, and recorded nothing more.
    const later = await evaluateWorkspace(t.db, ws, { at: new Date('2026-11-03T09:00:00Z') });
    assert.deepEqual(later.recorded, []);

    const events = await t.db.query<{ rule_id: number; kind: string; period: string; figure: ThemeFigure }>('SELECT rule_id, kind, period, figure FROM alert_events WHERE workspace_id = $1 ORDER BY rule_id', [ws.id]);
    assert.equal(events.length, 2);
    const phrase = events.find((e) => Number(e.rule_id) === phraseRule)!;
    assert.equal(phrase.kind, 'theme');
    assert.equal(phrase.period, '2026-10');
    assert.equal(phrase.figure.theme, 'Late Delivery');
    assert.deepEqual([phrase.figure.mentions, phrase.figure.n, phrase.figure.share], [60, 300, 20]);
    assert.deepEqual(phrase.figure.previous, { period: '2026-09', share: 2, mentions: 6, n: 300 });
    assert.ok(phrase.figure.change.pValue < 0.001 && phrase.figure.change.ci![0] > 0);
    const found = events.find((e) => Number(e.rule_id) === anyRule)!;
    assert.equal(found.figure.theme, 'late delivery');
    assert.deepEqual([found.figure.mentions, found.figure.previous.mentions], [60, 6]);

    // The rule as stored reads back with its defaults; the test endpoint's view is the same firing.
    const [stored] = (await listRules(t.db, ws.id)).filter((r) => r.id === phraseRule);
    assert.deepEqual(stored!.definition.params, { period: 'month', phrase: 'Late Delivery', minMentions: 10, minN: 30 });
    const seen = await ruleFirings(t.db, ws, stored!, new Date('2026-10-28T18:00:00Z'));
    assert.deepEqual(seen.map((f) => f.dedupeKey), [`rule:${phraseRule}:month:2026-10:theme:late delivery`]);
  });

  test('an Arabic phrase (written with hamza; the comments without, with tatweel) in a Riyadh workspace', async () => {
    const ws = await ensureWorkspace(t.db, `alert-themes-ar-${randomUUID().slice(0, 8)}`, { timezone: 'Asia/Riyadh' });
    await seed(t.db, ws, { '2026-09': 6, '2026-10': 60 }, 'ar');
    const rule = await makeRule(ws, { name: 'تأخير', kind: 'theme', params: { phrase: 'تأخير التوصيل' }, channels: [], cooldownMinutes: 0 });
    const { recorded } = await evaluateWorkspace(t.db, ws, { at: new Date('2026-10-20T09:00:00Z') });
    assert.deepEqual(recorded.map((r) => r.dedupeKey), [`rule:${rule}:month:2026-10:theme:تاخير التوصيل`]);
    const [event] = await t.db.query<{ figure: ThemeFigure }>('SELECT figure FROM alert_events WHERE workspace_id = $1', [ws.id]);
    // Each month has its 300 comments in Riyadh time, the one of 30 Sep 21:30 UTC among October's.
    assert.deepEqual([event!.figure.mentions, event!.figure.n, event!.figure.previous.mentions, event!.figure.previous.n], [60, 300, 6, 300]);
    assert.deepEqual((await evaluateWorkspace(t.db, ws, { at: new Date('2026-10-20T09:00:00Z') })).recorded, []);
  });
});

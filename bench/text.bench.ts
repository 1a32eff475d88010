/**
 * Text analysis quality on the real comments of ../shared/datasets (npm run bench:text):
 *   1. language detection: share of each dataset's comments detected as its known language,
 *      overall and by length;
 *   2. sentiment on a held-out 20% (seeded by record id): majority-class baseline, the lexicon
 *      baseline and the learned naive Bayes, accuracy and macro-F1 per language;
 *   3. Olist: do the themes recover the hand-labelled complaint classes? (top distinctive phrases
 *      per class by c-TF-IDF, with the classes as the groups).
 * Deterministic: no timing, no randomness beyond the seeded split. --markdown prints Markdown.
 */
import { markdownTable, formatTable, type Cell } from './lib/table.ts';
import { datasetsAvailable, readTextDatasets, readOlist, type TextDataset } from './lib/text-datasets.ts';
import { detectLanguage } from '../src/text/language.ts';
import { lexiconSentiment } from '../src/text/lexicon.ts';
import { isHeldOut, predict, quality, trainNaiveBayes, type SentimentLabel } from '../src/text/classifier.ts';
import { classTfIdf, findThemes } from '../src/text/themes.ts';

const markdown = process.argv.includes('--markdown');
const table = (h: string[], r: Cell[][]) => console.log((markdown ? markdownTable(h, r) : formatTable(h, r)) + '\n');
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const f3 = (x: number | null) => (x === null ? '–' : x.toFixed(3));

if (!datasetsAvailable()) {
  console.error('../shared/datasets not found: nothing to measure');
  process.exit(1);
}
const datasets = readTextDatasets();

// 1. language detection
console.log('Language detection (each dataset\'s known language; shorter than 12 letters → und)\n');
const langRows: Cell[][] = [];
for (const d of datasets) {
  const buckets: Array<[string, (n: number) => boolean]> = [
    ['all', () => true],
    ['< 20 chars', (n) => n < 20],
    ['20–49', (n) => n >= 20 && n < 50],
    ['≥ 50 chars', (n) => n >= 50],
  ];
  const detected = d.comments.map((c) => ({ len: [...c.text].length, lang: detectLanguage(c.text) }));
  const row: Cell[] = [d.name, d.lang];
  for (const [, inBucket] of buckets) {
    const list = detected.filter((x) => inBucket(x.len));
    const ok = list.filter((x) => x.lang === d.lang).length;
    row.push(list.length === 0 ? '–' : `${pct(ok / list.length)} of ${list.length}`);
  }
  const wrong = new Map<string, number>();
  for (const x of detected) if (x.lang !== d.lang) wrong.set(x.lang, (wrong.get(x.lang) ?? 0) + 1);
  row.push([...wrong].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, n]) => `${l} ${n}`).join(', '));
  langRows.push(row);
}
table(['dataset', 'lang', 'all', '< 20 chars', '20–49', '≥ 50 chars', 'most common wrong answers'], langRows);

// 2. sentiment
console.log('Sentiment, held-out 20% (negative = 1–2 of 5 / sad, positive = 4–5 / happy, 3 dropped)\n');
const sentRows: Cell[][] = [];
for (const d of datasets) sentRows.push(...sentiment(d));
table(['dataset', 'lang', 'train', 'test (neg/pos)', 'method', 'accuracy', 'macro-F1', 'F1 neg', 'F1 pos', 'macro-F1 ÷ majority'], sentRows);

function sentiment(d: TextDataset): Cell[][] {
  const scored = d.comments.filter((c) => c.label !== null).map((c) => ({ id: c.id, text: c.text, label: c.label! }));
  const train = scored.filter((c) => !isHeldOut(c.id));
  const test = scored.filter((c) => isHeldOut(c.id));
  const gold = test.map((c) => c.label);
  const model = trainNaiveBayes(train, d.lang);
  const majority: SentimentLabel = model.docCounts.negative > model.docCounts.positive ? 'negative' : 'positive';
  const base = quality(gold, gold.map(() => majority));
  // The lexicon has no opinion on a comment without a matched word: it then answers the majority.
  const lexicon = quality(gold, test.map((c) => {
    const r = lexiconSentiment(c.text, d.lang);
    return r.label === 'neutral' ? majority : r.label;
  }));
  const learned = quality(gold, test.map((c) => predict(model, c.text).label));
  const neg = gold.filter((g) => g === 'negative').length;
  return (
    [
      ['majority', base],
      ['lexicon', lexicon],
      ['learned (NB)', learned],
    ] as const
  ).map(([method, q], i) => [
    i === 0 ? d.name : '',
    i === 0 ? d.lang : '',
    i === 0 ? train.length : '',
    i === 0 ? `${test.length} (${neg}/${test.length - neg})` : '',
    method,
    pct(q.accuracy),
    f3(q.macroF1),
    f3(q.perClass.negative.f1),
    f3(q.perClass.positive.f1),
    `${(q.macroF1! / base.macroF1!).toFixed(2)}×`,
  ]);
}

// 3. Olist: themes vs the hand-labelled complaint classes
console.log('Olist: most distinctive phrases per hand-labelled complaint class (c-TF-IDF, classes as groups)\n');
const olist = readOlist();
const { groups, weights, docsOf } = classTfIdf(
  olist.comments.filter((c) => c.complaintClass).map((c) => ({ id: c.id, text: c.text, lang: 'pt', group: c.complaintClass! })),
  { minDocs: 5 },
);
const classRows: Cell[][] = [];
for (const g of groups) {
  const top = [...weights.get(g)!].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6);
  const n = olist.comments.filter((c) => c.complaintClass === g).length;
  classRows.push([g, n, top.map(([t]) => `${t} (${docsOf.get(t)!.size})`).join(', ')]);
}
table(['complaint class', 'comments', 'top phrases (comments containing it)'], classRows);

// 4. Olist, the other way round: themes found WITHOUT the labels (groups = months), and which
// hand-labelled class their comments belong to.
console.log('Olist: themes found without the labels (groups = months), their comments\' hand-labelled classes\n');
const byId = new Map(olist.comments.map((c) => [c.id, c]));
const themes = findThemes(
  olist.comments.map((c) => ({ id: c.id, text: c.text, lang: 'pt', group: c.date.slice(0, 7), date: c.date, score: c.score, satisfied: c.score >= 4 })),
  { maxThemes: 15 },
);
const short: Record<string, string> = { problemas_de_entrega: 'delivery', problemas_de_qualidade: 'quality', satisfeito_com_pedido: 'satisfied' };
const themeRows: Cell[][] = themes.map((t) => {
  const classes = new Map<string, number>();
  for (const id of t.documentIds) {
    const k = byId.get(id)!.complaintClass || '(none)';
    classes.set(k, (classes.get(k) ?? 0) + 1);
  }
  const [top, n] = [...classes].sort((a, b) => b[1] - a[1])[0]!;
  const impact = t.scoreImpact;
  return [
    t.label,
    t.volume,
    `${short[top] ?? top} ${pct(n / t.volume)}`,
    impact?.delta == null ? '–' : `${impact.delta >= 0 ? '+' : ''}${impact.delta.toFixed(2)} [${impact.ci![0].toFixed(2)}, ${impact.ci![1].toFixed(2)}]`,
  ];
});
table(['theme', 'comments', 'commonest class (share)', 'mean score vs rest [95% CI]'], themeRows);

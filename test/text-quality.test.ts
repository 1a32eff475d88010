import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { datasetsAvailable, readFirefoxInput, readOlist, readOmcca, type TextDataset } from '../bench/lib/text-datasets.ts';
import { detectLanguage } from '../src/text/language.ts';
import { lexiconSentiment } from '../src/text/lexicon.ts';
import { isHeldOut, predict, quality, trainNaiveBayes, type SentimentLabel } from '../src/text/classifier.ts';
import { findThemes } from '../src/text/themes.ts';

/**
 * Quality thresholds on the real comments of ../shared/datasets (held-out 20%, seeded by record
 * id, so every run gives the same numbers). Measured with npm run bench:text (README, "Text
 * analysis"); each threshold sits a few points under the measured value so a real regression
 * fails and nothing else does. Skipped when the datasets are not beside the project.
 */

const available = datasetsAvailable();

// measured: ar 100.0%, pt 99.4%, en 98.6% of comments with ≥ 50 characters
const LANGUAGE_MIN = 0.97;
// measured macro-F1, learned / lexicon / majority: ar 0.826 / 0.685 / 0.472, pt 0.914 / 0.788 / 0.391,
// en 0.656 / 0.599 / 0.464
const LEARNED_MIN: Record<string, number> = { ar: 0.78, pt: 0.87, en: 0.63 };
const LEXICON_MIN: Record<string, number> = { ar: 0.62, pt: 0.76, en: 0.57 };

const readers: Array<[string, () => TextDataset]> = [
  ['omcca-arabic', readOmcca],
  ['olist-classified', readOlist],
  ['mozilla-heartbeat-input', readFirefoxInput],
];

describe('text analysis on the real datasets', { skip: !available && 'no ../shared/datasets' }, () => {
  for (const [name, read] of readers) {
    test(`${name}: language and sentiment above their thresholds`, () => {
      const d = read();
      // Language: every 3rd comment of 50+ characters (a deterministic sample keeps it fast).
      const long = d.comments.filter((c) => [...c.text].length >= 50).filter((_, i) => i % 3 === 0);
      const right = long.filter((c) => detectLanguage(c.text) === d.lang).length;
      assert.ok(long.length > 500, `${long.length} long comments`);
      assert.ok(right / long.length >= LANGUAGE_MIN, `${name}: ${right} of ${long.length} detected as ${d.lang}`);

      const scored = d.comments.filter((c) => c.label !== null);
      const train = scored.filter((c) => !isHeldOut(c.id)).map((c) => ({ text: c.text, label: c.label! }));
      const test = scored.filter((c) => isHeldOut(c.id));
      const gold = test.map((c) => c.label!);
      const model = trainNaiveBayes(train, d.lang);
      const majority: SentimentLabel = model.docCounts.negative > model.docCounts.positive ? 'negative' : 'positive';
      const baseline = quality(gold, gold.map(() => majority)).macroF1!;
      const learned = quality(gold, test.map((c) => predict(model, c.text).label)).macroF1!;
      const lexicon = quality(
        gold,
        test.map((c) => {
          const label = lexiconSentiment(c.text, d.lang).label;
          return label === 'neutral' ? majority : label;
        }),
      ).macroF1!;
      const numbers = `majority ${baseline.toFixed(3)}, lexicon ${lexicon.toFixed(3)}, learned ${learned.toFixed(3)}`;
      assert.ok(learned >= LEARNED_MIN[d.lang]!, numbers);
      assert.ok(lexicon >= LEXICON_MIN[d.lang]!, numbers);
      assert.ok(learned > lexicon && lexicon > baseline + 0.1, numbers);
    });
  }

  test('olist: themes found without the labels line up with the hand-labelled complaint classes', () => {
    const olist = readOlist();
    const byId = new Map(olist.comments.map((c) => [c.id, c]));
    const themes = findThemes(
      olist.comments.map((c) => ({ id: c.id, text: c.text, lang: 'pt', group: c.date.slice(0, 7), date: c.date, score: c.score, satisfied: c.score >= 4 })),
      { maxThemes: 15 },
    );
    const share = (label: string, cls: string) => {
      const theme = themes.find((t) => t.label === label);
      assert.ok(theme, `no theme "${label}" among ${themes.map((t) => t.label).join(', ')}`);
      return { share: theme.documentIds.filter((id) => byId.get(id)!.complaintClass === cls).length / theme.volume, theme };
    };
    // measured: "nao recebi" 93.2% delivery problems, −2.18 points; "otimo" 94.7% satisfied, +1.30
    const notReceived = share('nao recebi', 'problemas_de_entrega');
    assert.ok(notReceived.share >= 0.85, String(notReceived.share));
    assert.ok(notReceived.theme.scoreImpact!.ci![1] < -1.5);
    const great = share('otimo', 'satisfeito_com_pedido');
    assert.ok(great.share >= 0.85, String(great.share));
    assert.ok(great.theme.scoreImpact!.ci![0] > 1);
  });
});

/**
 * Reads the real comment datasets of ../shared/datasets (never copied into the repo) into one
 * shape for the text benchmark and the text quality tests: Arabic OMCCA reviews (rate 1–5),
 * Portuguese Olist reviews (review_score 1–5, hand-labelled complaint class), English Firefox Input
 * feedback (happy 0/1). Rows without a comment are skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { defaultDatasetsDir } from '../../examples/run.ts';
import { labelFromScore, type SentimentLabel } from '../../src/text/classifier.ts';

export interface DatasetComment {
  readonly id: string;
  readonly text: string;
  /** the dataset's known language */
  readonly lang: 'ar' | 'pt' | 'en';
  readonly score: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  /** null for the dropped middle (3 of 5) */
  readonly label: SentimentLabel | null;
  readonly date: string;
  /** Olist's hand-labelled complaint class */
  readonly complaintClass?: string;
}

export interface TextDataset {
  readonly name: string;
  readonly lang: 'ar' | 'pt' | 'en';
  readonly comments: readonly DatasetComment[];
}

export const DATASETS_DIR = defaultDatasetsDir();
export const datasetsAvailable = (): boolean =>
  existsSync(join(DATASETS_DIR, 'omcca-arabic')) && existsSync(join(DATASETS_DIR, 'olist-classified')) && existsSync(join(DATASETS_DIR, 'mozilla-heartbeat-input'));

function rows(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Record<string, string>[];
}

export function readOmcca(): TextDataset {
  const comments: DatasetComment[] = [];
  for (let part = 1; part <= 6; part++) {
    const file = `omcca_reviews_part0${part}.csv`;
    rows(join(DATASETS_DIR, 'omcca-arabic', file)).forEach((r, i) => {
      const text = (r.body ?? '').trim();
      const score = Number(r.rate);
      if (!text || !Number.isInteger(score) || score < 1 || score > 5) return;
      comments.push({ id: `${part}:${i}`, text, lang: 'ar', score, scaleMin: 1, scaleMax: 5, label: labelFromScore(score, 1, 5), date: r.date ?? '' });
    });
  }
  return { name: 'omcca-arabic', lang: 'ar', comments };
}

export function readOlist(): TextDataset {
  const comments: DatasetComment[] = [];
  for (const r of rows(join(DATASETS_DIR, 'olist-classified', 'olist_classified_public_dataset.csv'))) {
    const text = (r.review_comment_message ?? '').trim();
    const score = Number(r.review_score);
    if (!text || !Number.isInteger(score)) continue;
    comments.push({
      id: r.id!,
      text,
      lang: 'pt',
      score,
      scaleMin: 1,
      scaleMax: 5,
      label: labelFromScore(score, 1, 5),
      date: r.review_answer_timestamp ?? '',
      complaintClass: r.most_voted_class,
    });
  }
  return { name: 'olist-classified', lang: 'pt', comments };
}

export function readFirefoxInput(): TextDataset {
  const comments: DatasetComment[] = [];
  rows(join(DATASETS_DIR, 'mozilla-heartbeat-input', 'feedbackSample.csv')).forEach((r, i) => {
    const text = (r.description ?? '').trim();
    const score = Number(r.happy);
    if (!text || (score !== 0 && score !== 1)) return;
    const [m, d, y] = (r.date ?? '').split('/');
    const date = y ? `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}` : '';
    comments.push({ id: String(i), text, lang: 'en', score, scaleMin: 0, scaleMax: 1, label: labelFromScore(score, 0, 1), date });
  });
  return { name: 'mozilla-heartbeat-input', lang: 'en', comments };
}

export function readTextDatasets(): TextDataset[] {
  return [readOmcca(), readOlist(), readFirefoxInput()];
}

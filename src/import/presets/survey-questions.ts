/**
 * How a survey tool's scale question becomes a Sada kind when the export does not say (Typeform
 * and Formbricks give a number and the question's id, not what the question measures). Pure;
 * docs/presets.md#which-kind-a-scale-question-becomes explains it to users.
 */

import { DEFAULT_SCALES } from '../../domain/catalog.ts';

export interface ScaledKind {
  kind: 'nps' | 'enps' | 'csat' | 'esat' | 'ces' | 'rating';
  min: number;
  max: number;
}

/** Sada's default scales (src/domain/catalog.ts) for the kinds a question can be named. */
const NAMED: Record<string, ScaledKind> = Object.fromEntries(
  (['nps', 'enps', 'csat', 'esat', 'ces'] as const).map((kind) => [kind, { kind, ...DEFAULT_SCALES[kind]! }]),
);

/**
 * The kind a question's own name gives it: one of the words `nps`, `enps`, `csat`, `esat`, `ces`
 * or `rating` (case-insensitive; words are split at anything but letters and digits), optionally
 * followed by two whole numbers for its scale: `nps`, `csat_delivery`, `ces-1-5`, `rating 1 10`.
 * `rating` needs its scale. The first name (of those given) that names one wins.
 */
export function kindNamedIn(...names: unknown[]): ScaledKind | undefined {
  for (const name of names) {
    if (typeof name !== 'string') continue;
    const words = name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (word !== 'rating' && !Object.hasOwn(NAMED, word)) continue;
      const [a, b] = [words[i + 1], words[i + 2]];
      if (a !== undefined && b !== undefined && /^\d{1,3}$/.test(a) && /^\d{1,3}$/.test(b) && Number(a) < Number(b)) {
        return { kind: word as ScaledKind['kind'], min: Number(a), max: Number(b) };
      }
      if (word !== 'rating') return NAMED[word];
    }
  }
  return undefined;
}

/** A number as an answer's score, from a JSON number or a CSV cell; null otherwise. */
export function scoreOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return null;
}

/**
 * How the answer rows the survey-tool presets build (one per answered question, in `sada_*`
 * columns) map to a response; each preset adds its own time, survey, submission and person.
 */
export const ANSWER_ROW_FIELDS = {
  id: { column: 'sada_id', required: true },
  kind: 'sada_kind',
  score: 'sada_score',
  scale_min: 'sada_scale_min',
  scale_max: 'sada_scale_max',
  answer: 'sada_answer',
  comment: 'sada_comment',
  question_id: 'sada_question',
} as const;

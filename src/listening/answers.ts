import { z } from 'zod';
import { isScored, scaleOf, type Question, type Survey } from './survey.ts';

/**
 * What a respondent sends, checked against the survey: scores on the question's scale, choices
 * among its options, texts within bounds. Pure: the same rules for the link page, the widget and
 * the public API.
 */

export const MAX_COMMENT_LENGTH = 5000;

export const answerSchema = z.object({
  score: z.number({ invalid_type_error: 'a score is a number' }).finite().optional(),
  choice: z.string().max(63).optional(),
  other: z.string().max(500, 'at most 500 characters').optional(),
  text: z.string().max(MAX_COMMENT_LENGTH, `at most ${MAX_COMMENT_LENGTH} characters`).optional(),
  comment: z.string().max(MAX_COMMENT_LENGTH, `at most ${MAX_COMMENT_LENGTH} characters`).optional(),
});
export type AnswerInput = z.infer<typeof answerSchema>;

/** One answered question, ready to store as a response row. */
export interface Answer {
  questionId: string;
  kind: Question['kind'];
  score: number | null;
  scaleMin: number | null;
  scaleMax: number | null;
  answer: string | null;
  comment: string | null;
  /** The text of an "other" choice, and for profile questions the customer attribute answered. */
  attributes: { other?: string; field?: string };
}

export interface AnswerProblem {
  question: string;
  message: string;
}

/**
 * PostgreSQL text cannot hold NUL, and jsonb refuses half a surrogate pair (JSON allows "\ud800"):
 * control characters but tab and newlines are dropped, a lone surrogate becomes U+FFFD.
 */
export const clean = (text: string | undefined): string | null => {
  if (text === undefined) return null;
  const cleaned = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .trim();
  return cleaned === '' ? null : cleaned;
};

/**
 * Checks `answers` (by question id) against the survey. Returns the answers to store and every
 * problem found; with `complete`, a required question left unanswered is a problem too.
 * `alreadyAnswered` lists questions answered earlier in the same submission; `askedNow`, the
 * questions on the page being sent, whose required ones need an answer even before the end.
 */
export function checkAnswers(
  survey: Survey,
  answers: Record<string, AnswerInput>,
  options: { complete: boolean; alreadyAnswered?: ReadonlySet<string>; askedNow?: ReadonlySet<string> },
): { answers: Answer[]; problems: AnswerProblem[] } {
  const problems: AnswerProblem[] = [];
  const result: Answer[] = [];
  const byId = new Map(survey.questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) {
    if (!byId.has(id)) {
      problems.push({ question: id, message: `this survey has no question "${id}"; its questions are ${survey.questions.map((q) => q.id).join(', ')}` });
    }
  }
  for (const question of survey.questions) {
    const input = answers[question.id];
    if (!input) {
      const due = options.complete || options.askedNow?.has(question.id);
      if (due && question.required && !options.alreadyAnswered?.has(question.id)) {
        problems.push({ question: question.id, message: 'this question needs an answer' });
      }
      continue;
    }
    const checked = checkAnswer(question, input, options.alreadyAnswered?.has(question.id) ?? false);
    if ('problem' in checked) problems.push({ question: question.id, message: checked.problem });
    else if (checked.answer) result.push(checked.answer);
  }
  if (result.length === 0 && problems.length === 0 && !options.alreadyAnswered?.size) {
    problems.push({ question: survey.questions[0]!.id, message: 'send at least one answer' });
  }
  return { answers: result, problems };
}

function checkAnswer(question: Question, input: AnswerInput, answeredBefore: boolean): { answer: Answer | undefined } | { problem: string } {
  const comment = clean(input.comment);
  const base = { questionId: question.id, kind: question.kind, score: null, scaleMin: null, scaleMax: null, answer: null, comment, attributes: {} };
  if (isScored(question)) {
    const { min, max } = scaleOf(question);
    if (input.score === undefined) {
      // A comment may come after its score (kept), or without one if the score is optional.
      if (comment && (answeredBefore || !question.required)) return { answer: { ...base, scaleMin: min, scaleMax: max } };
      return comment ? { problem: `give the score (${min} to ${max}) with the comment` } : { answer: undefined };
    }
    if (!Number.isInteger(input.score) || input.score < min || input.score > max) {
      return { problem: `${input.score} is not on the ${min}–${max} scale: choose a whole number from ${min} to ${max}` };
    }
    return { answer: { ...base, score: input.score, scaleMin: min, scaleMax: max } };
  }
  if (question.kind === 'text') {
    const text = clean(input.text ?? input.comment);
    return { answer: text ? { ...base, comment: text } : undefined };
  }
  const choice = clean(input.choice);
  if (!choice) return { answer: undefined };
  const ids = question.choices.map((c) => c.id);
  const field = question.kind === 'profile' ? { field: question.field } : {};
  if (choice === 'other' && question.allowOther) {
    const other = clean(input.other);
    if (!other) return { problem: 'say what "other" is' };
    return { answer: { ...base, answer: 'other', attributes: { ...field, other } } };
  }
  if (!ids.includes(choice)) {
    return { problem: `"${choice.slice(0, 63)}" is not one of the choices (${[...ids, ...(question.allowOther ? ['other'] : [])].join(', ')})` };
  }
  return { answer: { ...base, answer: choice, attributes: field } };
}

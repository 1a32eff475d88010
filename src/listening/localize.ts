import type { ScoringSettings } from '../metrics/scoring.ts';
import { followUpText, isScored, languageDirection, scaleOf, textIn, type Survey } from './survey.ts';

/**
 * A survey in one language, as a respondent sees it: what the link page renders and the widget
 * receives. Texts missing in that language fall back to the survey's default language.
 */
export interface SurveyView {
  id: string;
  language: string;
  dir: 'ltr' | 'rtl';
  languages: string[];
  access: Survey['access'];
  questions: QuestionView[];
  thankYou: string | null;
  reviewConsent: string | null;
}

export interface QuestionView {
  id: string;
  kind: Survey['questions'][number]['kind'];
  text: string;
  required: boolean;
  scale?: { min: number; max: number; lowLabel: string | null; highLabel: string | null };
  /** The follow-up wording per score band (low, middle, high), when the question has one. */
  followUp?: { low: string; middle: string; high: string };
  choices?: Array<{ id: string; text: string }>;
  allowOther?: boolean;
}

export function localizeSurvey(survey: Survey, language: string): SurveyView {
  const t = (texts: Record<string, string>) => textIn(texts, language, survey.defaultLanguage);
  return {
    id: survey.id,
    language,
    dir: languageDirection(language),
    languages: survey.languages,
    access: survey.access,
    questions: survey.questions.map((q): QuestionView => {
      const base = { id: q.id, kind: q.kind, text: t(q.text), required: q.required };
      if (isScored(q)) {
        const { min, max } = scaleOf(q);
        return {
          ...base,
          scale: { min, max, lowLabel: q.lowLabel ? t(q.lowLabel) : null, highLabel: q.highLabel ? t(q.highLabel) : null },
          ...(q.followUp
            ? { followUp: { low: t(q.followUp.low ?? q.followUp.text), middle: t(q.followUp.middle ?? q.followUp.text), high: t(q.followUp.high ?? q.followUp.text) } }
            : {}),
        };
      }
      if (q.kind === 'text') return base;
      return { ...base, choices: q.choices.map((c) => ({ id: c.id, text: t(c.text) })), allowOther: q.allowOther };
    }),
    thankYou: survey.thankYou ? t(survey.thankYou) : null,
    reviewConsent: survey.reviewConsent ? t(survey.reviewConsent.text) : null,
  };
}

/** The follow-up wording for a given score (the band decides, by the workspace's thresholds), in the respondent's language. */
export function followUpFor(survey: Survey, questionId: string, score: number, language: string, settings?: ScoringSettings): string | undefined {
  const q = survey.questions.find((candidate) => candidate.id === questionId);
  return q && isScored(q) ? followUpText(q, score, language, survey.defaultLanguage, settings) : undefined;
}

import { z } from 'zod';
import { DEFAULT_SCALES, toKey } from '../domain/catalog.ts';
import { rankedLanguageTags } from '../i18n/index.ts';
import { DEFAULT_SCORING, isEasy, isPositive, npsClass, type ScoringSettings } from '../metrics/scoring.ts';

/**
 * A survey as a JSON document: one schema validates it wherever it comes from (`sada survey
 * create`, the management API, the builder). docs/surveys.md documents every field.
 */

const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const SLUG = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** A text in several languages, keyed by language tag: { "en": "…", "ar": "…" }. */
const localized = z
  .record(z.string().regex(LANGUAGE_TAG, 'a language tag such as en, ar or lt'), z.string().trim().min(1).max(2000))
  .refine((texts) => Object.keys(texts).length > 0, 'give the text in at least one language');
export type Localized = z.infer<typeof localized>;

const scale = z.strictObject({ min: z.number().int(), max: z.number().int() });

/** Which scales each scored kind may use: the ones the metrics define (docs/metrics.md). */
export const ALLOWED_SCALES: Record<ScoredSurveyKind, readonly string[]> = {
  nps: ['0-10'],
  enps: ['0-10'],
  csat: ['1-5', '1-10'],
  ces: ['1-5', '1-7', '1-10'],
  esat: ['1-5', '1-7', '1-10'],
};
export type ScoredSurveyKind = 'nps' | 'enps' | 'csat' | 'ces' | 'esat';

/** The follow-up ("why?") asked after a score, worded by the band the score fell in. */
const followUp = z.strictObject({
  text: localized,
  low: localized.optional(),
  middle: localized.optional(),
  high: localized.optional(),
});

const choice = z.strictObject({ id: z.string().regex(SLUG, 'a lower-case id (letters, digits, . _ -)'), text: localized });

const ID = z.string().regex(SLUG, 'a lower-case id of letters, digits, ".", "_" or "-", at most 63 characters');

const scored = z.strictObject({
  id: ID,
  kind: z.enum(['nps', 'enps', 'csat', 'ces', 'esat']),
  text: localized,
  scale: scale.optional(),
  /** Words under the ends of the scale ("Not at all likely" … "Extremely likely"). */
  lowLabel: localized.optional(),
  highLabel: localized.optional(),
  followUp: followUp.optional(),
  required: z.boolean().default(true),
});

const choiceQuestion = z.strictObject({
  id: ID,
  kind: z.enum(['intent', 'choice']),
  text: localized,
  choices: z.array(choice).min(2).max(12),
  /** Adds an "Other" option with a text box. */
  allowOther: z.boolean().default(false),
  required: z.boolean().default(false),
});

export const PROFILE_FIELDS = ['age_band', 'gender', 'country', 'city', 'sector', 'headcount', 'plan'] as const;
const profileQuestion = z.strictObject({
  id: ID,
  kind: z.literal('profile'),
  /** The customer attribute the answer describes (the ideal-customer profile). */
  field: z.enum(PROFILE_FIELDS),
  text: localized,
  choices: z.array(choice).min(2).max(30),
  allowOther: z.boolean().default(false),
  required: z.boolean().default(false),
});

const textQuestion = z.strictObject({ id: ID, kind: z.literal('text'), text: localized, required: z.boolean().default(false) });

const question = z.discriminatedUnion('kind', [scored, choiceQuestion, profileQuestion, textQuestion]);
export type Question = z.infer<typeof question>;
export type ScoredQuestion = z.infer<typeof scored>;

const incentive = z.discriminatedUnion('kind', [
  /** The same code for everyone (a discount code printed on the thank-you page). */
  z.strictObject({ kind: z.literal('code'), code: z.string().trim().min(1).max(100), text: localized }),
  /** One code per respondent from a pool loaded with `sada survey coupons`. */
  z.strictObject({ kind: z.literal('pool'), text: localized }),
]);

export const surveySchema = z
  .strictObject({
    id: ID,
    name: z.string().trim().min(1).max(200),
    touchpoint: z.string().trim().min(1).max(63).transform(toKey),
    channel: z.string().trim().min(1).max(63).transform(toKey).optional(),
    status: z.enum(['open', 'closed']).default('open'),
    /**
     * `public`: anyone with the link or the widget may answer. `personal`: only through a signed
     * personal link (`sada survey link`), so every answer belongs to a known person.
     */
    access: z.enum(['public', 'personal']).default('public'),
    /** Who answers: customers (the default) or employees (ESAT, eNPS). */
    audience: z.enum(['customers', 'employees']).default('customers'),
    defaultLanguage: z.string().regex(LANGUAGE_TAG),
    /** The languages the survey is offered in; every text needs the default one, others fall back to it. */
    languages: z.array(z.string().regex(LANGUAGE_TAG)).min(1).max(30),
    questions: z.array(question).min(1, 'ask at least one question').max(3, 'ask at most 3 questions: short surveys get answered'),
    thankYou: localized.optional(),
    incentive: incentive.optional(),
    /** Asks whether the comment may be published as a public review (the review feed). */
    reviewConsent: z.strictObject({ text: localized }).optional(),
    limits: z
      .strictObject({
        /** A personal link can be answered once; a second answer is refused (409). */
        singleUse: z.boolean().default(true),
        /** Days before the same customer may answer this survey again. */
        cooldownDays: z.number().int().min(0).max(3650).default(90),
        /** Stops accepting answers after this many completed responses. */
        maxResponses: z.number().int().min(1).optional(),
      })
      .default({}),
  })
  .superRefine((survey, ctx) => {
    if (!survey.languages.includes(survey.defaultLanguage)) {
      ctx.addIssue({ code: 'custom', path: ['languages'], message: `list the default language "${survey.defaultLanguage}" among the languages` });
    }
    const seen = new Set<string>();
    survey.questions.forEach((q, index) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', index, 'id'], message: `two questions have the id "${q.id}"` });
      seen.add(q.id);
      const forEmployees = q.kind === 'esat' || q.kind === 'enps';
      const forCustomers = ['nps', 'csat', 'ces', 'intent', 'profile'].includes(q.kind);
      if (forEmployees && survey.audience !== 'employees') {
        ctx.addIssue({ code: 'custom', path: ['questions', index, 'kind'], message: `${q.kind} questions are for employees: set "audience": "employees"` });
      } else if (forCustomers && survey.audience === 'employees') {
        ctx.addIssue({ code: 'custom', path: ['questions', index, 'kind'], message: `${q.kind} questions are for customers; ask employees esat, enps, choice or text questions` });
      }
      if (q.kind in ALLOWED_SCALES && 'scale' in q && q.scale) {
        const allowed = ALLOWED_SCALES[q.kind as ScoredSurveyKind];
        if (!allowed.includes(`${q.scale.min}-${q.scale.max}`)) {
          ctx.addIssue({ code: 'custom', path: ['questions', index, 'scale'], message: `a ${q.kind} scale is ${allowed.join(' or ')}, not ${q.scale.min}-${q.scale.max}` });
        }
      }
      if ('choices' in q) {
        const ids = q.choices.map((c) => c.id);
        if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['questions', index, 'choices'], message: 'two choices have the same id' });
        if (q.allowOther && ids.includes('other')) ctx.addIssue({ code: 'custom', path: ['questions', index, 'choices'], message: 'with allowOther, "other" is added for you: remove the choice with id "other"' });
      }
    });
    if (survey.incentive?.kind === 'pool' && survey.access !== 'personal') {
      // Anyone could collect a public survey's codes, one answer at a time from many addresses.
      ctx.addIssue({ code: 'custom', path: ['incentive', 'kind'], message: 'a pool of one-per-respondent codes needs "access": "personal" (a public survey would hand them to anyone who asks)' });
    }
    for (const [path, texts] of localizedTexts(survey)) {
      if (!(survey.defaultLanguage in texts)) {
        ctx.addIssue({ code: 'custom', path, message: `give this text in the default language "${survey.defaultLanguage}"` });
      }
    }
  });

export type Survey = z.infer<typeof surveySchema>;
export type SurveyInput = z.input<typeof surveySchema>;

/** Every localised text of a survey, with its path (for validation and the translation table). */
export function localizedTexts(survey: Pick<Survey, 'questions' | 'thankYou' | 'incentive' | 'reviewConsent'>): Array<[Array<string | number>, Localized]> {
  const texts: Array<[Array<string | number>, Localized]> = [];
  survey.questions.forEach((q, i) => {
    texts.push([['questions', i, 'text'], q.text]);
    if ('lowLabel' in q && q.lowLabel) texts.push([['questions', i, 'lowLabel'], q.lowLabel]);
    if ('highLabel' in q && q.highLabel) texts.push([['questions', i, 'highLabel'], q.highLabel]);
    if ('followUp' in q && q.followUp) {
      for (const key of ['text', 'low', 'middle', 'high'] as const) {
        const text = q.followUp[key];
        if (text) texts.push([['questions', i, 'followUp', key], text]);
      }
    }
    if ('choices' in q) q.choices.forEach((c, j) => texts.push([['questions', i, 'choices', j, 'text'], c.text]));
  });
  if (survey.thankYou) texts.push([['thankYou'], survey.thankYou]);
  if (survey.incentive) texts.push([['incentive', 'text'], survey.incentive.text]);
  if (survey.reviewConsent) texts.push([['reviewConsent', 'text'], survey.reviewConsent.text]);
  return texts;
}

export class SurveyDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`the survey is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates a survey document; throws SurveyDefinitionError listing every problem with its path. */
export function parseSurvey(input: unknown): Survey {
  const result = surveySchema.safeParse(input);
  if (result.success) return result.data;
  throw new SurveyDefinitionError(result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(document)'}: ${issue.message}`));
}

export function scaleOf(q: ScoredQuestion): { min: number; max: number } {
  // Every scored survey kind has a default scale in the catalogue (the one imports assume too).
  return q.scale ?? DEFAULT_SCALES[q.kind]!;
}

export const isScored = (q: Question): q is ScoredQuestion => q.kind in ALLOWED_SCALES;

/** The text in `language`, else in the survey's default language. */
export function textIn(texts: Localized, language: string, fallback: string): string {
  return texts[language] ?? texts[fallback] ?? Object.values(texts)[0] ?? '';
}

/**
 * The survey language for a respondent: the one asked for (link or profile) if offered, else the
 * first offered language of the browser's Accept-Language, else the default.
 */
export function pickSurveyLanguage(survey: Pick<Survey, 'languages' | 'defaultLanguage'>, wanted: Array<string | undefined>, acceptLanguage?: string): string {
  const offered = (tag: string) => survey.languages.find((l) => l === tag) ?? survey.languages.find((l) => l === tag.split('-')[0]);
  for (const tag of wanted) {
    const match = tag && offered(tag.toLowerCase());
    if (match) return match;
  }
  for (const tag of rankedLanguageTags(acceptLanguage)) {
    const match = offered(tag);
    if (match) return match;
  }
  return survey.defaultLanguage;
}

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'yi', 'dv', 'ug', 'ckb']);
export const languageDirection = (tag: string): 'rtl' | 'ltr' => (RTL_LANGUAGES.has(tag.split('-')[0] ?? '') ? 'rtl' : 'ltr');

export type ScoreBand = 'low' | 'middle' | 'high';

/**
 * The band a score falls in, for the wording of the follow-up: NPS detractor / passive /
 * promoter; satisfied or easy answers are high, the bottom two points of the scale low.
 */
export function scoreBand(q: ScoredQuestion, score: number, settings: ScoringSettings = DEFAULT_SCORING): ScoreBand {
  const { min, max } = scaleOf(q);
  if (q.kind === 'nps' || q.kind === 'enps') return { detractor: 'low', passive: 'middle', promoter: 'high' }[npsClass(score)] as ScoreBand;
  const good = q.kind === 'ces' ? isEasy(score, min, max, settings) : isPositive(score, min, max, settings);
  if (good) return 'high';
  const hard = q.kind === 'ces' && !settings.cesHighIsEasy ? score >= max - 1 : score <= min + 1;
  return hard ? 'low' : 'middle';
}

export function followUpText(q: ScoredQuestion, score: number, language: string, fallback: string, settings?: ScoringSettings): string | undefined {
  if (!q.followUp) return undefined;
  const band = scoreBand(q, score, settings);
  return textIn(q.followUp[band] ?? q.followUp.text, language, fallback);
}


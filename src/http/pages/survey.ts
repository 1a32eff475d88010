import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { isLocale, translator, type Translate } from '../../i18n/index.ts';
import type { QuestionView, SurveyView } from '../../listening/localize.ts';
import { languageDirection } from '../../listening/survey.ts';

/**
 * The link page a respondent opens: server-rendered HTML that works without JavaScript, one
 * short step at a time (the score, then the "why?" worded by the score and the rest). Every value
 * is escaped by the html`` template; customer text never reaches the page unescaped.
 *
 * Right-to-left: the page sets dir="rtl" and uses logical CSS properties only, so the scale
 * runs in the reading direction (0 at the right in Arabic, as Arabic readers expect a scale to
 * start), the end labels swap sides with it, and the arrow on the button points the way the
 * page reads. docs/surveys.md records the decision.
 */

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, "DejaVu Sans", sans-serif; color: #1d2330; background: #f3f5f8; line-height: 1.5; }
  body { margin: 0; }
  main { max-inline-size: 40rem; margin-inline: auto; padding: 1rem; }
  .card { background: #fff; border-radius: 12px; padding: 1.25rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.14); }
  nav.languages { display: flex; gap: 1rem; justify-content: flex-end; margin-block-end: 0.75rem; }
  nav.languages a { color: #123c69; }
  nav.languages a[aria-current] { font-weight: 700; text-decoration: none; }
  h1 { font-size: 1.3rem; margin-block: 0 1rem; }
  fieldset { border: 0; margin: 0 0 1.5rem; padding: 0; min-inline-size: 0; }
  legend { font-size: 1.15rem; font-weight: 600; margin-block-end: 0.75rem; padding: 0; }
  .scale { display: flex; gap: 0.25rem; }
  .scale label { flex: 1 1 0; min-inline-size: 1.75rem; position: relative; }
  .scale input { position: absolute; inset: 0; opacity: 0; margin: 0; cursor: pointer; }
  .scale span { display: flex; align-items: center; justify-content: center; min-block-size: 2.75rem; border: 2px solid #5b6b85; border-radius: 8px; font-weight: 600; background: #fff; }
  .scale input:checked + span { background: #123c69; color: #fff; border-color: #123c69; }
  .scale input:focus-visible + span { outline: 3px solid #b35c00; outline-offset: 2px; }
  .ends { display: flex; justify-content: space-between; gap: 1rem; font-size: 0.9rem; color: #46526a; margin-block-start: 0.375rem; }
  .choices label { display: flex; gap: 0.5rem; align-items: center; padding-block: 0.375rem; }
  .choices input { inline-size: 1.25rem; block-size: 1.25rem; }
  label.text { display: block; font-weight: 600; margin-block-end: 0.5rem; }
  textarea, input[type="text"] { inline-size: 100%; box-sizing: border-box; font: inherit; padding: 0.5rem; border: 2px solid #5b6b85; border-radius: 8px; }
  textarea:focus-visible, input:focus-visible, .choices input:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
  .consent { display: flex; gap: 0.5rem; align-items: flex-start; margin-block-end: 1.5rem; }
  button { font: inherit; font-weight: 600; background: #123c69; color: #fff; border: 0; border-radius: 8px; padding-block: 0.75rem; padding-inline: 1.5rem; min-block-size: 2.75rem; cursor: pointer; }
  button:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
  .next::after { content: " →"; }
  [dir="rtl"] .next::after { content: " ←"; }
  button.link { background: none; color: #123c69; text-decoration: underline; padding: 0; min-block-size: 1.5rem; font-weight: 400; }
  .error { color: #a4262c; font-weight: 600; }
  .summary { border-inline-start: 4px solid #a4262c; padding-inline-start: 0.75rem; margin-block-end: 1rem; }
  .coupon { font-size: 1.5rem; font-weight: 700; letter-spacing: 0.05em; border: 2px dashed #123c69; border-radius: 8px; padding: 0.75rem; text-align: center; direction: ltr; }
  .hp { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  footer { margin-block-start: 1.5rem; font-size: 0.9rem; }
`;

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The page chrome speaks the survey's language when Sada has a catalogue for it, else English. */
export const chromeFor = (language: string): Translate => translator(isLocale(language) ? language : 'en');

function page(language: string, title: string, body: Html, languageLinks?: Html) {
  return html`<!doctype html>
<html lang="${language}" dir="${languageDirection(language)}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${title}</title>
    <style>${raw(STYLE)}</style>
  </head>
  <body>
    <main>
      ${languageLinks ?? ''}
      <div class="card">${body}</div>
    </main>
  </body>
</html>`;
}

/** Each language named in itself (العربية, lietuvių, English). */
const nativeName = (tag: string) => {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
};

function languageNav(view: SurveyView, hrefFor: (language: string) => string, t: Translate) {
  if (view.languages.length < 2) return undefined;
  return html`<nav class="languages" aria-label="${t('survey.language')}">
    ${view.languages.map(
      (l) => html`<a href="${hrefFor(l)}" hreflang="${l}" lang="${l}" dir="${languageDirection(l)}" ${l === view.language ? html`aria-current="true"` : ''}>${nativeName(l)}</a>`,
    )}
  </nav>`;
}

export interface FormValues {
  [field: string]: string | undefined;
}

export interface StepModel {
  view: SurveyView;
  /** The questions on this step. */
  questions: QuestionView[];
  /** Follow-up questions on this step: the wording chosen by the score already given. */
  followUps: Array<{ questionId: string; text: string }>;
  action: string;
  hidden: Record<string, string | undefined>;
  final: boolean;
  showReviewConsent: boolean;
  errors: Record<string, string>;
  values: FormValues;
  /** Where "do not ask me again" posts, for a personal link. */
  optOut?: { action: string; token: string };
  hrefForLanguage: (language: string) => string;
}

export function surveyStepPage(model: StepModel) {
  const { view } = model;
  const t = chromeFor(view.language);
  const number = new Intl.NumberFormat(view.language);
  const errorFor = (id: string) => model.errors[id];
  const describedBy = (...ids: Array<string | false | null | undefined>) => {
    const list = ids.filter(Boolean).join(' ');
    return list ? html` aria-describedby="${list}"` : '';
  };

  const scoreQuestion = (q: QuestionView & { scale: NonNullable<QuestionView['scale']> }) => {
    const points = Array.from({ length: q.scale.max - q.scale.min + 1 }, (_, i) => q.scale.min + i);
    const error = errorFor(q.id);
    const ends = q.scale.lowLabel || q.scale.highLabel;
    return html`<fieldset${describedBy(ends && `ends-${q.id}`, error && `error-${q.id}`)}>
      <legend>${q.text}</legend>
      ${error ? html`<p class="error" id="error-${q.id}">${error}</p>` : ''}
      <div class="scale">
        ${points.map(
          (p) => html`<label><input type="radio" name="q.${q.id}.score" value="${p}" ${model.values[`q.${q.id}.score`] === String(p) ? 'checked' : ''} ${q.required ? 'required' : ''}
            aria-label="${t('survey.scoreOf', { score: number.format(p), max: number.format(q.scale.max) })}" /><span aria-hidden="true">${number.format(p)}</span></label>`,
        )}
      </div>
      ${ends ? html`<div class="ends" id="ends-${q.id}"><span>${q.scale.lowLabel ?? ''}</span><span>${q.scale.highLabel ?? ''}</span></div>` : ''}
    </fieldset>`;
  };

  const choiceQuestion = (q: QuestionView & { choices: NonNullable<QuestionView['choices']> }) => {
    const error = errorFor(q.id);
    const chosen = model.values[`q.${q.id}.choice`];
    return html`<fieldset class="choices"${describedBy(error && `error-${q.id}`)}>
      <legend>${q.text}${q.required ? '' : html` <small>(${t('survey.optional')})</small>`}</legend>
      ${error ? html`<p class="error" id="error-${q.id}">${error}</p>` : ''}
      ${q.choices.map((c) => html`<label><input type="radio" name="q.${q.id}.choice" value="${c.id}" ${chosen === c.id ? 'checked' : ''} />${c.text}</label>`)}
      ${q.allowOther
        ? html`<label><input type="radio" name="q.${q.id}.choice" value="other" ${chosen === 'other' ? 'checked' : ''} />${t('survey.other')}</label>
            <label class="text" for="other-${q.id}">${t('survey.otherDetail')}</label>
            <input type="text" id="other-${q.id}" name="q.${q.id}.other" maxlength="500" value="${model.values[`q.${q.id}.other`] ?? ''}" />`
        : ''}
    </fieldset>`;
  };

  const textQuestion = (id: string, field: 'text' | 'comment', label: string, optional: boolean) => {
    const error = errorFor(id);
    return html`<div class="field">
      <label class="text" for="${field}-${id}">${label}${optional ? html` <small>(${t('survey.optional')})</small>` : ''}</label>
      ${error ? html`<p class="error" id="error-${id}">${error}</p>` : ''}
      <textarea id="${field}-${id}" name="q.${id}.${field}" rows="4" maxlength="5000" ${error ? html`aria-describedby="error-${id}" aria-invalid="true"` : ''}>${model.values[`q.${id}.${field}`] ?? ''}</textarea>
    </div>`;
  };

  const questionHtml = (q: QuestionView) => {
    if (q.scale) return scoreQuestion(q as QuestionView & { scale: NonNullable<QuestionView['scale']> });
    if (q.choices) return choiceQuestion(q as QuestionView & { choices: NonNullable<QuestionView['choices']> });
    return textQuestion(q.id, 'text', q.text, !q.required);
  };

  const hasErrors = Object.keys(model.errors).length > 0;
  const body = html`<form method="post" action="${model.action}" accept-charset="utf-8" novalidate>
      ${hasErrors ? html`<div class="summary" role="alert"><p class="error">${t('survey.errorSummary')}</p></div>` : ''}
      ${Object.entries(model.hidden).map(([name, value]) => (value ? html`<input type="hidden" name="${name}" value="${value}" />` : ''))}
      <div class="hp" aria-hidden="true"><label>Website <input type="text" name="website" tabindex="-1" autocomplete="off" /></label></div>
      ${model.followUps.map((f) => textQuestion(f.questionId, 'comment', f.text, true))}
      ${model.questions.map(questionHtml)}
      ${model.showReviewConsent && view.reviewConsent
        ? html`<div class="consent"><input type="checkbox" id="review-consent" name="review_consent" value="yes" ${model.values.review_consent ? 'checked' : ''} /><label for="review-consent">${view.reviewConsent}</label></div>`
        : ''}
      <button type="submit" class="${model.final ? 'send' : 'next'}">${t(model.final ? 'survey.send' : 'survey.next')}</button>
    </form>
    ${model.optOut
      ? html`<footer><form method="post" action="${model.optOut.action}"><input type="hidden" name="t" value="${model.optOut.token}" /><button type="submit" class="link">${t('survey.optOut')}</button></form></footer>`
      : ''}`;
  const title = model.questions[0]?.text ?? model.followUps[0]?.text ?? t('survey.pageTitle');
  return page(view.language, title, body, languageNav(view, model.hrefForLanguage, t));
}

export function thankYouPage(view: SurveyView, incentive: { text: string; code: string } | null) {
  const t = chromeFor(view.language);
  return page(
    view.language,
    t('survey.thanksTitle'),
    html`<h1>${t('survey.thanksTitle')}</h1>
      <p role="status">${view.thankYou ?? t('survey.thanksDefault')}</p>
      ${incentive ? html`<h2>${t('survey.couponTitle')}</h2><p>${incentive.text}</p><p class="coupon" lang="en" dir="ltr">${incentive.code}</p>` : ''}`,
  );
}

export function messagePage(language: string, message: string) {
  const t = chromeFor(language);
  return page(language, t('survey.pageTitle'), html`<h1>${t('survey.pageTitle')}</h1><p role="status">${message}</p>`);
}

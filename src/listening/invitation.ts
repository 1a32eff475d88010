import { isLocale, translator, type Locale } from '../i18n/index.ts';
import { localizeSurvey } from './localize.ts';
import { languageDirection, type Survey } from './survey.ts';

/**
 * The survey invitation e-mail, composed without I/O: subject, HTML and text in the survey
 * language chosen for the person; the chrome (greeting, instructions, footer) from the i18n
 * catalogues. When the first question is a score, the e-mail asks it: one link per score to the
 * link page with `score=N`, where that score is preselected (the respondent still presses Next,
 * so opening a link stores nothing). Every text from outside (names, survey texts) is escaped.
 */

export interface InvitationInput {
  survey: Survey;
  /** The survey language picked for the person. */
  language: string;
  name?: string;
  /** The link page address with the personal token, without a score. */
  link: string;
}

export interface Invitation {
  subject: string;
  html: string;
  text: string;
  /** The score links, in scale order (empty when the first question is not a score). */
  scoreLinks: Array<{ score: number; href: string }>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** The catalogue locale for a survey language: the language itself, its base tag, else English. */
export function chromeLocale(language: string): Locale {
  const base = language.toLowerCase().split('-')[0] ?? '';
  return isLocale(language) ? language : isLocale(base) ? base : 'en';
}

/** Control characters (a header injection or a broken line) become spaces; at most 200 characters. */
const plainName = (name: string | undefined) => name?.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim().slice(0, 200) || undefined;

export function composeInvitation({ survey, language, name, link }: InvitationInput): Invitation {
  const locale = chromeLocale(language);
  const t = translator(locale);
  const view = localizeSurvey(survey, language);
  const number = new Intl.NumberFormat(language);
  const who = plainName(name);
  const greeting = who ? t('invite.greetingNamed', { name: who }) : t('invite.greeting');
  const first = view.questions[0];
  const scale = first?.scale;
  const scoreLinks = scale ? Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i).map((score) => ({ score, href: `${link}&score=${score}` })) : [];
  const footer = t('invite.footer', { optOut: t('survey.optOut') });
  const subject = t('invite.subject');
  const dir = languageDirection(language);

  const textLines = [greeting, '', t('invite.intro'), ''];
  if (first && scale) {
    textLines.push(first.text, t('invite.pickScore'));
    if (scale.lowLabel) textLines.push(`${number.format(scale.min)}: ${scale.lowLabel}`);
    if (scale.highLabel) textLines.push(`${number.format(scale.max)}: ${scale.highLabel}`);
    for (const { score, href } of scoreLinks) textLines.push(`${number.format(score)}  ${href}`);
    textLines.push('');
  }
  textLines.push(`${t('invite.open')}: ${link}`, '', footer);

  const e = escapeHtml;
  const cells = scoreLinks
    .map(
      ({ score, href }) =>
        `<td style="padding:2px"><a href="${e(href)}" aria-label="${e(t('invite.scoreLinkLabel', { score, max: scale!.max }))}" style="display:inline-block;min-width:28px;padding:8px 4px;border:1px solid #123c69;border-radius:4px;color:#123c69;text-align:center;text-decoration:none;font-weight:bold">${e(number.format(score))}</a></td>`,
    )
    .join('');
  const labels =
    scale && (scale.lowLabel || scale.highLabel)
      ? `<p style="font-size:13px;color:#555">${scale.lowLabel ? `${e(number.format(scale.min))}: ${e(scale.lowLabel)}` : ''}${scale.lowLabel && scale.highLabel ? ' · ' : ''}${scale.highLabel ? `${e(number.format(scale.max))}: ${e(scale.highLabel)}` : ''}</p>`
      : '';
  const question =
    first && scale
      ? `<p style="font-size:17px;font-weight:bold">${e(first.text)}</p><p>${e(t('invite.pickScore'))}</p><table role="presentation" dir="ltr" style="border-collapse:collapse"><tr>${cells}</tr></table>${labels}`
      : '';
  const html = `<!doctype html>
<html lang="${e(view.language)}" dir="${dir}">
<head><meta charset="utf-8" /><meta name="viewport" content="width=device-width" /><title>${e(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',Tahoma,Arial,sans-serif;color:#1a1a1a;line-height:1.5">
<p>${e(greeting)}</p>
<p>${e(t('invite.intro'))}</p>
${question}
<p><a href="${e(link)}" style="color:#123c69">${e(t('invite.open'))}</a></p>
<p style="font-size:12px;color:#666">${e(footer)}</p>
</body>
</html>
`;
  return { subject, html, text: `${textLines.join('\n')}\n`, scoreLinks };
}

import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { Sparkline } from '../components/Sparkline.tsx';
import { Failure, Loading } from '../components/Status.tsx';
import { formatValue } from '../format.ts';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n } from '../i18n.tsx';
import type { ThemesReport } from '../../../reports/text-themes.ts';

/**
 * The Responses page's themes (GET /api/v1/text/themes with the page's filter): each theme's name
 * or phrase, volume, monthly share as a sparkline, and impact on the score with its 95% CI and n;
 * analysts and admins rename and pin (PUT /api/v1/text/theme-labels). Clicking a theme searches
 * the list for it. Below, the sentiment model's quality per language. Theme phrases come from
 * customers' comments: rendered as text, dir="auto".
 */

interface QualityJson {
  languages: Array<
    | { language: string; labelled: number; evaluated: false; reason: string }
    | { language: string; labelled: number; evaluated: true; test: number; majority: { accuracy: number | null }; learned: { accuracy: number | null; macro_f1: number | null } }
  >;
}

export type ThemeFilter = Record<string, string | number | undefined>;

/** Themes shown before "Show all" (pinned ones come first, so they are among them). */
const FIRST = 10;
/**
 * A signed number of points. In Arabic the number is isolated left-to-right (U+2066…U+2069) and
 * the locale's bidi marks (ALM, LRM, RLM) are dropped from it, so "+6.5" keeps its sign in front.
 */
const points = (i18n: I18n, value: number) => {
  const number = i18n.number(value, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).replace(/[\u061C\u200E\u200F]/g, '');
  return i18n.t('delta.points', { points: `\u2066${number}\u2069` });
};

function languageName(i18n: I18n, code: string): string {
  try {
    return new Intl.DisplayNames([i18n.locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function ThemesPanel({ filter, onPick }: { filter: ThemeFilter; onPick: (search: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const canWrite = workspace.role !== 'viewer';
  const [version, setVersion] = useState(0);
  const query = { workspace: filter.workspace, from: filter.from, to: filter.to, kind: filter.kind, language: filter.language, touchpoint: filter.touchpoint, survey: filter.survey, q: filter.q, score_min: filter.score_min, score_max: filter.score_max };
  const themes = useApi<ThemesReport>('/api/v1/text/themes', { ...query, _: version || undefined });
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [failure, setFailure] = useState<ApiError | undefined>();
  const [saving, setSaving] = useState(false);
  const [showAll, setShowAll] = useState(false);

  const save = async (phrase: string, changes: { name?: string | null; pinned?: boolean }) => {
    setSaving(true);
    setFailure(undefined);
    try {
      await api('/api/v1/text/theme-labels', { method: 'PUT', query: { workspace: workspace.name }, body: { phrase, ...changes } });
      setEditing(null);
      setVersion((v) => v + 1);
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError(0, String(error)));
    } finally {
      setSaving(false);
    }
  };
  const submitName = (event: FormEvent, phrase: string) => {
    event.preventDefault();
    void save(phrase, { name: draft.trim() === '' ? null : draft.trim() });
  };

  const data = themes.data;
  return (
    <section className="panel themes" data-testid="themes" aria-labelledby="themes-title" aria-busy={themes.loading}>
      <h2 id="themes-title">{t('themes.title')}</h2>
      {themes.error && <Failure error={themes.error} />}
      {themes.loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted">{t('themes.lede', { count: data.comments })}</p>
          {data.truncated && <p className="muted">{t('themes.truncated', { count: i18n.number(data.comments) })}</p>}
          {failure && <Failure error={failure} />}
          {data.themes.length === 0 ? (
            <p data-testid="themes-none">{t('themes.none')}</p>
          ) : (
            <div className="table-scroll">
              <table className="themes-table">
                <thead>
                  <tr>
                    <th scope="col">{t('themes.col.theme')}</th>
                    <th scope="col" className="numeric">{t('themes.col.volume')}</th>
                    <th scope="col">{t('themes.col.trend')}</th>
                    <th scope="col">{t('themes.col.impact')}</th>
                    {canWrite && <th scope="col">{t('themes.col.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {(showAll ? data.themes : data.themes.slice(0, FIRST)).map((theme) => (
                    <tr key={theme.phrase} data-testid="theme" data-phrase={theme.phrase}>
                      <td>
                        {editing === theme.phrase ? (
                          <form className="inline-form" onSubmit={(event) => submitName(event, theme.phrase)} data-testid="rename-form">
                            <input value={draft} onChange={(event) => setDraft(event.target.value)} maxLength={200} dir="auto" aria-label={t('themes.nameLabel', { phrase: theme.phrase })} data-testid="rename-input" autoFocus />
                            <button type="submit" className="primary" disabled={saving} data-testid="rename-save">
                              {t('themes.action.save')}
                            </button>
                            {theme.name && (
                              <button type="button" disabled={saving} onClick={() => void save(theme.phrase, { name: null })} data-testid="rename-reset">
                                {t('themes.action.reset')}
                              </button>
                            )}
                            <button type="button" onClick={() => setEditing(null)}>
                              {t('themes.action.cancel')}
                            </button>
                          </form>
                        ) : (
                          <>
                            <button type="button" className="link-button" onClick={() => onPick(theme.search)} aria-label={t('themes.filterBy', { theme: theme.label })} data-testid="theme-pick">
                              <bdi dir="auto" data-testid="theme-label">{theme.label}</bdi>
                            </button>
                            {theme.pinned && (
                              <>
                                {' '}
                                <span className="badge" data-testid="theme-pinned">{t('themes.pinned')}</span>
                              </>
                            )}
                            {theme.name && (
                              <div className="muted small" title={t('themes.phrase', { phrase: theme.phrase })}>
                                {t('themes.phraseLabel')}{' '}
                                <bdi dir="auto">{theme.phrase}</bdi>
                              </div>
                            )}
                          </>
                        )}
                      </td>
                      <td className="numeric nowrap" data-testid="theme-volume">
                        {t('themes.volume', { count: i18n.number(theme.volume), share: formatValue(i18n, 'percent', theme.share * 100) })}
                      </td>
                      <td>
                        <Sparkline
                          label={t('themes.trendLabel', { theme: theme.label })}
                          points={theme.trend.map((p) => ({ period: p.month, value: p.total > 0 ? (100 * p.count) / p.total : null, n: p.total, ci: null }))}
                        />
                      </td>
                      <td data-testid="theme-impact">
                        {theme.score_impact && theme.score_impact.delta !== null ? (
                          <>
                            <strong className={theme.score_impact.ci && (theme.score_impact.ci[0] > 0 || theme.score_impact.ci[1] < 0) ? (theme.score_impact.delta < 0 ? 'tone-bad' : 'tone-good') : undefined} data-testid="theme-delta">
                              {points(i18n, theme.score_impact.delta)}
                            </strong>
                            <div className="muted small" data-testid="theme-ci">
                              {theme.score_impact.ci
                                ? t('ci.range', { low: points(i18n, theme.score_impact.ci[0]), high: points(i18n, theme.score_impact.ci[1]) })
                                : t('ci.none')}
                              {' · '}
                              {t('themes.impactN', { theme: i18n.number(theme.score_impact.n_theme), rest: i18n.number(theme.score_impact.n_rest) })}
                            </div>
                          </>
                        ) : (
                          <span className="muted">{t('themes.noImpact')}</span>
                        )}
                      </td>
                      {canWrite && (
                        <td className="nowrap">
                          <button
                            type="button"
                            onClick={() => {
                              setDraft(theme.name ?? theme.label);
                              setEditing(theme.phrase);
                            }}
                            data-testid="rename"
                          >
                            {t('themes.action.rename')}
                          </button>{' '}
                          <button type="button" disabled={saving} onClick={() => void save(theme.phrase, { pinned: !theme.pinned })} aria-pressed={theme.pinned} data-testid="pin">
                            {theme.pinned ? t('themes.action.unpin') : t('themes.action.pin')}
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
              {data.themes.length > FIRST && (
                <button type="button" className="link-button" onClick={() => setShowAll(!showAll)} aria-expanded={showAll} data-testid="themes-all">
                  {showAll ? t('themes.showFewer', { count: FIRST }) : t('themes.showAll', { count: data.themes.length })}
                </button>
              )}
            </div>
          )}
        </>
      )}
      <SentimentQuality query={query} />
    </section>
  );
}

function SentimentQuality({ query }: { query: ThemeFilter }) {
  const i18n = useI18n();
  const { t } = i18n;
  const quality = useApi<QualityJson>('/api/v1/text/sentiment-quality', query);
  const percent = (x: number | null) => (x === null ? '–' : i18n.number(x, { style: 'percent', maximumFractionDigits: 1 }));
  return (
    <div className="sentiment-quality" data-testid="sentiment-quality">
      <h3>{t('quality.title')}</h3>
      {quality.error && <Failure error={quality.error} />}
      {quality.data && (
        <>
          <p className="muted">{t('quality.lede')}</p>
          {quality.data.languages.length === 0 ? (
            <p data-testid="quality-none">{t('quality.none')}</p>
          ) : (
            <ul>
              {quality.data.languages.map((l) => (
                <li key={l.language} data-testid="quality-language" data-language={l.language}>
                  {l.evaluated
                    ? t('quality.language', { language: languageName(i18n, l.language), accuracy: percent(l.learned.accuracy), f1: percent(l.learned.macro_f1), n: i18n.number(l.test), baseline: percent(l.majority.accuracy) })
                    : t('quality.notEnough', { language: l.language === 'und' ? '?' : languageName(i18n, l.language), n: i18n.number(l.labelled) })}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api.ts';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import type { SurveySummary } from '../types.ts';
import { languageName, SurveyEditor } from './survey-editor.tsx';

/**
 * The survey builder: the workspace's surveys (status, touchpoint, question kinds, answers),
 * and the editor of one (?survey=<id>, or ?survey=new), whose document the server checks with
 * the same schema as `sada survey create`.
 */
export default function Surveys() {
  const [view, setView] = useView({ survey: '' });
  if (view.survey) return <SurveyEditor surveyId={view.survey === 'new' ? null : view.survey} onDone={(id) => setView({ survey: id ?? '' })} />;
  return <SurveyList onOpen={(id) => setView({ survey: id })} />;
}

function SurveyList({ onOpen }: { onOpen: (id: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [version, setVersion] = useState(0);
  const { data, error, loading } = useApi<{ workspace: string; surveys: SurveySummary[] }>('/api/v1/surveys', { workspace: workspace.name, v: version || undefined });
  const [problem, setProblem] = useState<ApiError>();
  const canEdit = workspace.role !== 'viewer';

  const toggle = async (survey: SurveySummary) => {
    setProblem(undefined);
    try {
      await api(`/api/v1/surveys/${encodeURIComponent(survey.id)}/${survey.status === 'open' ? 'close' : 'open'}`, { method: 'POST', query: { workspace: workspace.name } });
      setVersion((v) => v + 1);
    } catch (caught) {
      setProblem(caught instanceof ApiError ? caught : new ApiError(0, String(caught)));
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>{t('page.surveys')}</h1>
        {canEdit && (
          <button type="button" className="primary" onClick={() => onOpen('new')} data-testid="new-survey">
            {t('surveys.new')}
          </button>
        )}
      </div>
      <p className="lede">{t('surveys.lede')}</p>
      {error && <Failure error={error} />}
      {problem && <Failure error={problem} />}
      {loading && !data && <Loading />}
      {data && data.surveys.length === 0 && (
        <Empty title={t('surveys.empty.title')}>
          <p>{t('surveys.empty.body')}</p>
          {canEdit && (
            <button type="button" className="primary" onClick={() => onOpen('new')}>
              {t('surveys.new')}
            </button>
          )}
        </Empty>
      )}
      {data && data.surveys.length > 0 && (
        <div className="table-scroll">
          <table data-testid="survey-list" aria-busy={loading}>
            <caption>{t('surveys.list.caption', { count: data.surveys.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.column.name')}</th>
                <th scope="col">{t('surveys.column.touchpoint')}</th>
                <th scope="col">{t('surveys.column.questions')}</th>
                <th scope="col">{t('surveys.column.languages')}</th>
                <th scope="col">{t('surveys.column.access')}</th>
                <th scope="col">{t('surveys.column.status')}</th>
                <th scope="col" className="numeric">
                  {t('surveys.column.scores')}
                </th>
                <th scope="col" className="numeric">
                  {t('surveys.column.answers')}
                </th>
                {canEdit && <th scope="col">{t('surveys.column.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {data.surveys.map((s) => (
                <tr key={s.id} data-survey={s.id}>
                  <td>
                    {s.editable ? (
                      <Link href={editHref(s.id)} dir="auto">
                        {s.name}
                      </Link>
                    ) : (
                      <span dir="auto">{s.name}</span>
                    )}
                    <div className="muted small" dir="ltr">
                      {s.id}
                    </div>
                  </td>
                  <td dir="auto">{s.touchpoint ?? '—'}</td>
                  <td>{s.editable ? s.kinds.map((k) => t(`surveys.kind.${k}` as MessageKey)).join(' · ') : <span className="muted">{t('surveys.imported')}</span>}</td>
                  <td>{new Intl.ListFormat(i18n.locale, { style: 'narrow', type: 'unit' }).format(s.languages.map((l) => languageName(i18n.locale, l)))}</td>
                  <td>{s.access ? t(`surveys.access.${s.access}` as MessageKey) : '—'}</td>
                  <td>
                    <span className={`badge badge-${s.status}`} data-testid="status">
                      {t(`surveys.status.${s.status}` as MessageKey)}
                    </span>
                  </td>
                  <td className="numeric" data-testid="scores">
                    {i18n.number(s.scores)}
                  </td>
                  <td className="numeric" data-testid="answers">
                    {i18n.number(s.completed)}
                  </td>
                  {canEdit && (
                    <td>
                      {s.editable && (
                        <button type="button" onClick={() => toggle(s)} aria-label={t(s.status === 'open' ? 'surveys.closeNamed' : 'surveys.openNamed', { name: s.name })}>
                          {t(s.status === 'open' ? 'surveys.close' : 'surveys.open')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The editor's address, keeping the rest of the query (the workspace). */
function editHref(id: string): string {
  const params = new URLSearchParams(location.search);
  params.set('survey', id);
  return `/surveys?${params}`;
}

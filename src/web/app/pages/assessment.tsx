import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import type { AssessmentJson, AssessmentSection, AssessmentsJson } from '../types.ts';

type Item = { key: string; features: string[]; section: 'practice' | 'step' };

const percent = (i18n: I18n, section: AssessmentSection) => i18n.number(section.percent / 100, { style: 'percent', maximumFractionDigits: 0 });
const scoreText = (i18n: I18n, section: AssessmentSection) =>
  i18n.t('assessment.score', { percent: percent(i18n, section), points: i18n.number(section.points), max: i18n.number(section.max) });
const when = (i18n: I18n, iso: string) => new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
const questionText = (i18n: I18n, item: Item) => i18n.t(`assessment.${item.section}.${item.key}` as MessageKey);

/**
 * The CX-management self-assessment of the first seed: the practices and planning steps scored
 * 0–4, each with the Sada pages that support it, the score, and every past assessment.
 */
export default function Assessment() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const canWrite = workspace.role !== 'viewer';
  const [version, setVersion] = useState(0);
  const [saved, setSaved] = useState<AssessmentJson | null>(null);
  const data = useApi<AssessmentsJson>('/api/v1/assessments', { workspace: workspace.name, v: version || undefined });
  const questionnaire = data.data?.questionnaire;
  const items: Item[] = questionnaire
    ? [...questionnaire.practices.map((p) => ({ ...p, section: 'practice' as const })), ...questionnaire.steps.map((s) => ({ ...s, section: 'step' as const }))]
    : [];
  const history = data.data?.assessments ?? [];
  const latest = history[history.length - 1];

  return (
    <>
      <h1>{t('page.assessment')}</h1>
      <p className="lede">{t('assessment.lede')}</p>
      <ul className="assessment-scale" data-testid="scale">
        {[0, 1, 2, 3, 4].map((level) => (
          <li key={level}>{t(`assessment.scale.${level}` as MessageKey)}</li>
        ))}
      </ul>
      <p className="muted">{t('assessment.scaleWhy')}</p>
      {data.error && <Failure error={data.error} />}
      {data.loading && !data.data && <Loading />}
      {latest && (
        <section className="panel" aria-labelledby="latest-title" data-testid="latest">
          <h2 id="latest-title">{t('assessment.latest', { date: when(i18n, latest.createdAt), who: latest.createdBy })}</h2>
          <div className="assessment-summary">
            <div>
              <p className="muted">{t('assessment.total')}</p>
              <p className="assessment-score" data-testid="latest-total">{percent(i18n, latest.score.total)}</p>
              <p className="muted" data-testid="latest-points">{scoreText(i18n, latest.score.total)}</p>
            </div>
            <div>
              <p className="muted">{t('column.practices')}</p>
              <p className="assessment-score" data-testid="latest-practices">{percent(i18n, latest.score.practices)}</p>
            </div>
            <div>
              <p className="muted">{t('column.steps')}</p>
              <p className="assessment-score" data-testid="latest-steps">{percent(i18n, latest.score.steps)}</p>
            </div>
          </div>
          <p className="muted" data-testid="assessment-count">{t('assessment.count', { count: history.length })}</p>
        </section>
      )}
      {questionnaire && (
        canWrite ? (
          <>
            <Questionnaire items={items} initial={latest} onSaved={(a) => { setSaved(a); setVersion((v) => v + 1); }} />
            {saved && <p className="status" role="status" data-testid="saved">{t('assessment.saved', { percent: percent(i18n, saved.score.total) })}</p>}
          </>
        ) : (
          <p className="muted" data-testid="read-only">{t('assessment.readOnly')}</p>
        )
      )}
      {data.data && history.length === 0 && (
        <Empty title={t('assessment.empty.title')}>
          <p>{t('assessment.empty.body')}</p>
        </Empty>
      )}
      {history.length > 0 && <History items={items} history={history} />}
    </>
  );
}

function Features({ features }: { features: string[] }) {
  const { t } = useI18n();
  return (
    <span className="features" data-testid="features">
      {t('assessment.supportedBy')}{' '}
      {features.map((page) => (
        <Link key={page} href={`/${page === 'overview' ? '' : page}`} data-testid={`feature-${page}`}>
          {t(`page.${page}` as MessageKey)}
        </Link>
      ))}
    </span>
  );
}

function Questionnaire({ items, initial, onSaved }: { items: Item[]; initial: AssessmentJson | undefined; onSaved: (a: AssessmentJson) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [answers, setAnswers] = useState<Record<string, number>>(initial?.answers ?? {});
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | ApiError>('idle');
  useEffect(() => setAnswers(initial?.answers ?? {}), [initial]);
  const missing = items.filter((item) => answers[item.key] === undefined).length;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (missing > 0) {
      setState(new ApiError(400, t('assessment.missing', { count: missing })));
      return;
    }
    setState('saving');
    try {
      const result = await api<{ assessment: AssessmentJson }>('/api/v1/assessments', { method: 'POST', query: { workspace: workspace.name }, body: { answers, note: note.trim() ? note : null } });
      setState('idle');
      setNote('');
      onSaved(result.assessment);
    } catch (error) {
      setState(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };
  const section = (kind: 'practice' | 'step', title: string) => (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={title}>
      <table className="assessment-table" data-testid={`questions-${kind}`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('assessment.question')}</th>
            {[0, 1, 2, 3, 4].map((level) => (
              <th key={level} scope="col" className="choice" title={t(`assessment.scale.${level}` as MessageKey)}>
                {i18n.number(level)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.filter((item) => item.section === kind).map((item) => (
            <tr key={item.key} data-testid={`question-${item.key}`}>
              <th scope="row" style={{ fontWeight: 'normal' }}>
                <span id={`q-${item.key}`}>{questionText(i18n, item)}</span>
                <Features features={item.features} />
              </th>
              {[0, 1, 2, 3, 4].map((level) => (
                <td key={level} className="choice">
                  <input
                    type="radio"
                    name={item.key}
                    value={level}
                    checked={answers[item.key] === level}
                    onChange={() => setAnswers((a) => ({ ...a, [item.key]: level }))}
                    aria-label={`${questionText(i18n, item)}: ${t(`assessment.scale.${level}` as MessageKey)}`}
                    data-testid={`answer-${item.key}-${level}`}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section className="panel" aria-labelledby="questionnaire-title">
      <h2 id="questionnaire-title">{t('assessment.take')}</h2>
      <form onSubmit={submit} data-testid="assessment-form">
        {section('practice', t('assessment.practices'))}
        {section('step', t('assessment.steps'))}
        <div className="controls annotation-form">
          <label className="wide">
            {t('field.note')}
            <textarea maxLength={2000} rows={2} value={note} onChange={(event) => setNote(event.target.value)} dir="auto" data-testid="field-note" />
          </label>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={state === 'saving'} data-testid="save-assessment">
              {t('assessment.save')}
            </button>
          </div>
        </div>
      </form>
      {state instanceof ApiError && <Failure error={state} />}
    </section>
  );
}

function History({ items, history }: { items: Item[]; history: AssessmentJson[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const newestFirst = [...history].reverse();
  const columns: Array<Column<AssessmentJson>> = [
    { header: t('column.date'), cell: (a) => <time dateTime={a.createdAt}>{when(i18n, a.createdAt)}</time>, value: (a) => a.createdAt },
    { header: t('column.by'), cell: (a) => <span dir="auto">{a.createdBy}</span>, value: (a) => a.createdBy },
    { header: t('column.total'), numeric: true, cell: (a) => <span data-testid="history-total">{scoreText(i18n, a.score.total)}</span>, value: (a) => a.score.total.percent },
    { header: t('column.practices'), numeric: true, cell: (a) => <span data-testid="history-practices">{percent(i18n, a.score.practices)}</span>, value: (a) => a.score.practices.percent },
    { header: t('column.steps'), numeric: true, cell: (a) => <span data-testid="history-steps">{percent(i18n, a.score.steps)}</span>, value: (a) => a.score.steps.percent },
    { header: t('field.note'), cell: (a) => <span dir="auto">{a.note ?? ''}</span>, value: (a) => a.note },
  ];
  // Each question's score over time: a row per question, a column per assessment (oldest first).
  const byItem: Array<Column<Item>> = [
    { header: t('assessment.question'), cell: (item) => questionText(i18n, item), value: (item) => item.key },
    ...history.map((a, index) => ({
      header: `${new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'short' }).format(new Date(a.createdAt))} #${i18n.number(index + 1)}`,
      numeric: true,
      cell: (item: Item) => (a.answers[item.key] === undefined ? '–' : i18n.number(a.answers[item.key]!)),
      value: (item: Item) => a.answers[item.key],
    })),
  ];
  return (
    <section className="panel" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title">{t('assessment.history')}</h2>
      <DataTable caption={t('assessment.historyCaption')} columns={columns} rows={newestFirst} fileName="assessments" testId="history-table" rowKey={(a) => String(a.id)} />
      <DataTable caption={t('assessment.byItemCaption')} columns={byItem} rows={items} fileName="assessment-by-question" testId="by-item-table" rowKey={(item) => item.key} />
    </section>
  );
}

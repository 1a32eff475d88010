import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CaseMetrics } from '../../../metrics/cases.ts';
import type { CaseNote, CaseOwner, CaseStatus, CaseSummary } from '../../../storage/cases.ts';
import { api, ApiError } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { formatDuration, formatInterval, formatValue } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';

/**
 * The closed loop (docs/cases.md): the follow-up queue (unresolved cases by due date, so the
 * overdue ones lead), one case with the customer's answer and comment, its status, owner and
 * notes, and the three closed-loop metrics with their n and intervals. The view (filters and
 * the open case) lives in the URL.
 */

type CaseDetail = CaseSummary & { notes: CaseNote[] };
interface CaseList {
  cases: CaseSummary[];
  total: number;
  limit: number;
  offset: number;
  owners: CaseOwner[];
}
type MetricsAnswer = CaseMetrics & { asOf: string };

const PAGE = 50;

/** "in 2 days", "3 hours ago": the largest unit that fits, in the person's language. */
export function relativeTime(i18n: I18n, iso: string, now: number): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(seconds);
  const [unit, size]: [Intl.RelativeTimeFormatUnit, number] = abs >= 2 * 86400 ? ['day', 86400] : abs >= 3600 ? ['hour', 3600] : ['minute', 60];
  return new Intl.RelativeTimeFormat(i18n.locale, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}

const dateTime = (i18n: I18n, iso: string) => new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

const ownerName = (owner: CaseOwner) => owner.name || owner.email;

export default function Cases() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const canAct = workspace.role !== 'viewer';
  const [view, setView] = useView({ id: '', status: 'open,contacted', owner: '', overdue: '', offset: '0' });
  const [version, setVersion] = useState(0);
  const list = useApi<CaseList>('/api/v1/cases', {
    workspace: workspace.name, status: view.status === 'all' ? undefined : view.status, owner: view.owner || undefined,
    overdue: view.overdue || undefined, limit: PAGE, offset: view.offset === '0' ? undefined : view.offset, v: version || undefined,
  });
  const metrics = useApi<MetricsAnswer>('/api/v1/cases/metrics', { workspace: workspace.name, v: version || undefined });
  const now = Date.now();
  const cases = list.data?.cases ?? [];
  const owners = list.data?.owners ?? [];
  const changed = () => setVersion((v) => v + 1);

  const columns: Array<Column<CaseSummary>> = [
    {
      header: t('cases.column.due'),
      cell: (c) =>
        c.resolvedAt ? (
          <time dateTime={c.resolvedAt}>{t('cases.detail.resolved', { date: dateTime(i18n, c.resolvedAt) })}</time>
        ) : (
        <>
          <time dateTime={c.dueAt} title={dateTime(i18n, c.dueAt)}>{relativeTime(i18n, c.dueAt, now)}</time>
          {c.overdue && (
            <>
              {' '}
              <span className="badge badge-overdue" data-testid={`overdue-${c.id}`}>{t('cases.overdue')}</span>
            </>
          )}
        </>
      ),
      value: (c) => c.dueAt,
    },
    { header: t('cases.filter.status'), cell: (c) => t(`cases.status.${c.status}` as MessageKey), value: (c) => c.status },
    { header: t('cases.column.answer'), cell: (c) => scoreText(i18n, c), value: (c) => `${c.answer.kind} ${c.answer.score}` },
    { header: t('cases.column.customer'), cell: (c) => <span dir="auto">{c.customer ? c.customer.name || c.customer.id : t('cases.anonymous')}</span>, value: (c) => c.customer?.id },
    { header: t('cases.column.comment'), cell: (c) => <span dir="auto" className="case-comment">{c.answer.comment ?? '–'}</span>, value: (c) => c.answer.comment },
    { header: t('cases.filter.owner'), cell: (c) => <span dir="auto">{c.owner ? ownerName(c.owner) : t('cases.owner.none')}</span>, value: (c) => c.owner?.email },
    {
      header: t('column.actions'),
      cell: (c) => (
        <button type="button" onClick={() => setView({ id: String(c.id) })} aria-pressed={view.id === String(c.id)} data-testid={`view-${c.id}`}>
          {t('cases.view')}
        </button>
      ),
      value: () => undefined,
    },
  ];

  return (
    <>
      <h1>{t('page.cases')}</h1>
      <p className="lede">{t('cases.lede')}</p>
      <section className="case-metrics" aria-labelledby="case-metrics-title">
        <h2 id="case-metrics-title">{t('cases.metrics.title')}</h2>
        {metrics.error && <Failure error={metrics.error} />}
        {metrics.data && <MetricCards metrics={metrics.data} />}
      </section>
      {view.id && <CaseView key={`${view.id}-${version}`} id={view.id} owners={owners} canAct={canAct} onChanged={changed} onClose={() => setView({ id: '' })} />}
      <form className="controls" onSubmit={(event) => event.preventDefault()} data-testid="case-filters">
        <label>
          {t('cases.filter.status')}
          <select value={view.status} onChange={(event) => setView({ status: event.target.value, offset: '0' })} data-testid="filter-status">
            <option value="open,contacted">{t('cases.filter.unresolved')}</option>
            <option value="all">{t('cases.filter.all')}</option>
            {(['open', 'contacted', 'resolved'] as const).map((s) => (
              <option key={s} value={s}>{t(`cases.status.${s}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('cases.filter.owner')}
          <select value={view.owner} onChange={(event) => setView({ owner: event.target.value, offset: '0' })} data-testid="filter-owner">
            <option value="">{t('cases.owner.anyone')}</option>
            <option value="none">{t('cases.owner.none')}</option>
            {owners.map((o) => (
              <option key={o.id} value={String(o.id)}>{ownerName(o)}</option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={view.overdue === 'true'} onChange={(event) => setView({ overdue: event.target.checked ? 'true' : '', offset: '0' })} data-testid="filter-overdue" />
          {t('cases.filter.overdue')}
        </label>
      </form>
      {list.error && <Failure error={list.error} />}
      {list.loading && !list.data && <Loading />}
      {list.data && cases.length === 0 && (
        <Empty title={t('cases.empty.title')}>
          <p>{t('cases.empty.body')}</p>
        </Empty>
      )}
      {cases.length > 0 && <DataTable caption={t('cases.listCaption')} columns={columns} rows={cases} fileName="cases" testId="cases-table" rowKey={(c) => String(c.id)} />}
      {list.data && list.data.total > PAGE && (
        <p className="row-actions">
          <button type="button" disabled={Number(view.offset) === 0} onClick={() => setView({ offset: String(Math.max(0, Number(view.offset) - PAGE)) })}>
            {i18n.dir === 'rtl' ? '→' : '←'}
          </button>
          <span>{i18n.number(Number(view.offset) + 1)}–{i18n.number(Math.min(list.data.total, Number(view.offset) + PAGE))} / {i18n.number(list.data.total)}</span>
          <button type="button" disabled={Number(view.offset) + PAGE >= list.data.total} onClick={() => setView({ offset: String(Number(view.offset) + PAGE) })}>
            {i18n.dir === 'rtl' ? '←' : '→'}
          </button>
        </p>
      )}
    </>
  );
}

function scoreText(i18n: I18n, c: CaseSummary): string {
  return i18n.t('cases.score', { kind: i18n.t(`metric.${c.answer.kind}` as MessageKey), score: i18n.number(c.answer.score), min: i18n.number(c.answer.scaleMin), max: i18n.number(c.answer.scaleMax) });
}

function MetricCards({ metrics }: { metrics: MetricsAnswer }) {
  const i18n = useI18n();
  const { t } = i18n;
  const percentCi = (ci: readonly [number, number] | null) => formatInterval(i18n, 'percent', ci ? [ci[0] * 100, ci[1] * 100] : null);
  const cards = [
    {
      id: 'time-to-close', title: t('cases.metric.timeToClose'), n: metrics.timeToClose.n,
      value: metrics.timeToClose.estimate === null ? null : formatDuration(i18n, metrics.timeToClose.estimate),
      ci: formatInterval(i18n, 'seconds', metrics.timeToClose.ci ? [metrics.timeToClose.ci[0], metrics.timeToClose.ci[1]] : null),
      note: t('cases.metric.censored', { open: i18n.number(metrics.timeToClose.censored), longer: i18n.number(metrics.timeToClose.censoredLongerThanMedian) }),
    },
    {
      id: 'within-sla', title: t('cases.metric.withinSla'), n: metrics.withinSla.n,
      value: metrics.withinSla.estimate === null ? null : formatValue(i18n, 'percent', metrics.withinSla.estimate * 100),
      ci: percentCi(metrics.withinSla.ci), note: t('cases.metric.pending', { n: i18n.number(metrics.withinSla.pending) }),
    },
    {
      id: 'recovery', title: t('cases.metric.recovery'), n: metrics.recovery.n,
      value: metrics.recovery.estimate === null ? null : formatValue(i18n, 'percent', metrics.recovery.estimate * 100),
      ci: percentCi(metrics.recovery.ci), note: t('cases.metric.awaiting', { n: i18n.number(metrics.recovery.awaiting) }),
    },
  ];
  return (
    <div className="kpi-grid">
      {cards.map((card) => (
        <article key={card.id} className="kpi" data-testid={`case-kpi-${card.id}`} aria-labelledby={`case-kpi-${card.id}-title`}>
          <h3 id={`case-kpi-${card.id}-title`}>{card.title}</h3>
          {card.value === null ? (
            <p className="kpi-empty" data-testid="value">{t('cases.metric.none')}</p>
          ) : (
            <p className="kpi-value" data-testid="value">{card.value}</p>
          )}
          <p className="kpi-sample">
            <span data-testid="n">{t('n.count', { n: card.n })}</span>
            <span aria-hidden="true"> · </span>
            <span data-testid="ci">{card.ci}</span>
          </p>
          <p className="kpi-sample" data-testid="note">{card.note}</p>
        </article>
      ))}
    </div>
  );
}

function CaseView({ id, owners, canAct, onChanged, onClose }: { id: string; owners: CaseOwner[]; canAct: boolean; onChanged: () => void; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const loaded = useApi<{ case: CaseDetail }>(`/api/v1/cases/${encodeURIComponent(id)}`, { workspace: workspace.name });
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  // Opening a case from the queue below brings it into view, and keyboard focus with it.
  const heading = useRef<HTMLHeadingElement>(null);
  const shownId = loaded.data?.case.id;
  useEffect(() => {
    if (shownId !== undefined) heading.current?.focus();
  }, [shownId]);
  if (loaded.error) return <Failure error={loaded.error} />;
  const c = loaded.data?.case;
  if (!c) return <Loading />;

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
      onChanged();
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError(0, String(error)));
      setBusy(false);
    }
  };
  const patch = (body: { status?: CaseStatus; ownerUserId?: number | null }) => act(() => api(`/api/v1/cases/${c.id}`, { method: 'PATCH', query: { workspace: workspace.name }, body }));
  const addNote = (event: FormEvent) => {
    event.preventDefault();
    void act(() => api(`/api/v1/cases/${c.id}/notes`, { method: 'POST', query: { workspace: workspace.name }, body: { text: note } }));
  };

  return (
    <section className="panel case-view" aria-labelledby="case-title" data-testid="case-view" data-status={c.status}>
      <div className="case-head">
        <h2 id="case-title" ref={heading} tabIndex={-1}>{t('cases.detail.title', { id: i18n.number(c.id, { useGrouping: false }) })}</h2>
        <span className={`badge badge-${c.status}`} data-testid="case-status">{t(`cases.status.${c.status}` as MessageKey)}</span>
        {c.overdue && <span className="badge badge-overdue">{t('cases.overdue')}</span>}
        <button type="button" className="link-button case-close" onClick={onClose}>{t('cases.action.close')}</button>
      </div>
      <p data-testid="case-score"><strong>{scoreText(i18n, c)}</strong> · <span dir="auto">{c.customer ? [c.customer.name, c.customer.email ?? c.customer.id].filter(Boolean).join(' · ') : t('cases.anonymous')}</span></p>
      <blockquote dir="auto" className="case-quote" data-testid="case-comment">{c.answer.comment ?? t('cases.detail.noComment')}</blockquote>
      <ul className="case-times">
        <li>{t('cases.detail.opened', { date: dateTime(i18n, c.openedAt) })}</li>
        <li data-testid="case-due">{t('cases.detail.due', { when: relativeTime(i18n, c.dueAt, Date.now()) })} ({dateTime(i18n, c.dueAt)})</li>
        {c.contactedAt && <li data-testid="case-contacted-at">{t('cases.detail.contacted', { date: dateTime(i18n, c.contactedAt) })}</li>}
        {c.resolvedAt && <li data-testid="case-resolved-at">{t('cases.detail.resolved', { date: dateTime(i18n, c.resolvedAt) })}</li>}
      </ul>
      {canAct ? (
        <div className="controls">
          <label>
            {t('cases.filter.owner')}
            <select value={c.owner ? String(c.owner.id) : ''} disabled={busy} onChange={(event) => patch({ ownerUserId: event.target.value ? Number(event.target.value) : null })} data-testid="case-owner">
              <option value="">{t('cases.owner.none')}</option>
              {owners.map((o) => (
                <option key={o.id} value={String(o.id)}>{ownerName(o)}</option>
              ))}
            </select>
          </label>
          {c.status === 'open' && (
            <button type="button" disabled={busy} onClick={() => patch({ status: 'contacted' })} data-testid="case-contacted">{t('cases.action.contacted')}</button>
          )}
          {c.status !== 'resolved' ? (
            <button type="button" disabled={busy} onClick={() => patch({ status: 'resolved' })} data-testid="case-resolve">{t('cases.action.resolve')}</button>
          ) : (
            <button type="button" disabled={busy} onClick={() => patch({ status: 'open' })} data-testid="case-reopen">{t('cases.action.reopen')}</button>
          )}
        </div>
      ) : (
        <p className="muted">{t('cases.readOnly')}</p>
      )}
      {failure && <Failure error={failure} />}
      <h3>{t('cases.notes')}</h3>
      {c.notes.length === 0 ? (
        <p className="muted">{t('cases.notes.none')}</p>
      ) : (
        <ol className="case-notes" data-testid="case-notes">
          {c.notes.map((n) => (
            <li key={n.id}>
              <span dir="auto">{n.text}</span>
              <br />
              <span className="muted"><span dir="auto">{n.author}</span> · {dateTime(i18n, n.createdAt)}</span>
            </li>
          ))}
        </ol>
      )}
      {canAct && (
        <form className="controls" onSubmit={addNote}>
          <label className="grow">
            {t('cases.note.field')}
            <textarea value={note} required maxLength={4000} rows={2} onChange={(event) => setNote(event.target.value)} data-testid="case-note-text" />
          </label>
          <button type="submit" disabled={busy || !note.trim()} data-testid="case-note-add">{t('cases.note.add')}</button>
        </form>
      )}
    </section>
  );
}

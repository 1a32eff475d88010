import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api.ts';
import { trendOption } from '../charts.ts';
import { Chart, type ChartHandle } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download } from '../csv.ts';
import { formatDelta, formatInterval, formatPeriod, formatValue, toneOfChange } from '../format.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import { axisName, metricTitle } from '../metric-labels.ts';
import type { AnnotationImpact, AnnotationJson, CatalogueEntry, Interval, MetricCatalogue, MetricResult, Period } from '../types.ts';

/** The categories the server accepts (src/storage/annotations.ts). */
const CATEGORIES = ['training', 'redesign', 'incident', 'price', 'campaign', 'staffing', 'other'] as const;
const TEXT_MAX = 200;
const NOTE_MAX = 2000;
const DAY_MS = 86_400_000;

/** The ISO week label (2026-W40) of a day, as the metric API writes it. */
export function isoWeekLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  // The week belongs to the year of its Thursday; week 1 holds 4 January.
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const formatDay = (i18n: I18n, day: string) => formatPeriod(i18n, day, 'day');

/** Events marked on the trends, each with the metric before and after it. */
export default function Annotations() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const canWrite = workspace.role !== 'viewer';
  const [view, setView] = useView({ id: '', metric: '', days: '30' });
  const [version, setVersion] = useState(0);
  const list = useApi<{ annotations: AnnotationJson[] }>('/api/v1/annotations', { workspace: workspace.name, v: version || undefined });
  const catalogue = useApi<MetricCatalogue>('/api/v1/metrics', { workspace: workspace.name });
  const [editing, setEditing] = useState<AnnotationJson | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const annotations = [...(list.data?.annotations ?? [])].sort((a, b) => b.day.localeCompare(a.day) || b.id - a.id);
  const selected = annotations.find((a) => String(a.id) === view.id);
  const metrics = catalogue.data?.metrics ?? [];

  const saved = (annotation: AnnotationJson) => {
    setEditing(null);
    setVersion((v) => v + 1);
    if (view.id !== String(annotation.id)) setView({ id: String(annotation.id), metric: '' });
  };
  const remove = async (annotation: AnnotationJson) => {
    try {
      await api(`/api/v1/annotations/${annotation.id}`, { method: 'DELETE', query: { workspace: workspace.name } });
      setConfirming(null);
      setVersion((v) => v + 1);
      if (view.id === String(annotation.id)) setView({ id: '' });
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };

  const columns: Array<Column<AnnotationJson>> = [
    { header: t('column.day'), cell: (a) => <time dateTime={a.day}>{formatDay(i18n, a.day)}</time>, value: (a) => a.day },
    {
      header: t('column.text'),
      cell: (a) => (
        <>
          <span dir="auto" className="annotation-text">{a.text}</span>
          {a.note && (
            <span dir="auto" className="muted annotation-note">
              {a.note}
            </span>
          )}
        </>
      ),
      value: (a) => (a.note ? `${a.text} — ${a.note}` : a.text),
    },
    { header: t('column.category'), cell: (a) => (a.category ? t(`category.${a.category}` as MessageKey) : '–'), value: (a) => a.category },
    { header: t('column.metric'), cell: (a) => (a.metric ? metricTitle(i18n, a.metric) : '–'), value: (a) => a.metric },
    { header: t('column.createdBy'), cell: (a) => <span dir="auto">{a.createdBy}</span>, value: (a) => a.createdBy },
    {
      header: t('column.actions'),
      cell: (a) => (
        <span className="row-actions">
          <button type="button" onClick={() => setView({ id: String(a.id), metric: '' })} aria-pressed={view.id === String(a.id)} data-testid={`compare-${a.id}`}>
            {t('action.compare')}
          </button>
          {canWrite && (
            <>
              <button type="button" onClick={() => setEditing(a)} data-testid={`edit-${a.id}`}>
                {t('action.edit')}
              </button>
              {confirming === a.id ? (
                <button type="button" className="danger" onClick={() => remove(a)} data-testid={`confirm-delete-${a.id}`}>
                  {t('action.confirmDelete')}
                </button>
              ) : (
                <button type="button" onClick={() => setConfirming(a.id)} data-testid={`delete-${a.id}`}>
                  {t('action.delete')}
                </button>
              )}
            </>
          )}
        </span>
      ),
      value: () => undefined,
    },
  ];

  return (
    <>
      <h1>{t('page.annotations')}</h1>
      <p className="lede">{t('annotations.lede')}</p>
      {canWrite ? (
        <AnnotationForm initial={editing} metrics={metrics} onSaved={saved} onCancel={() => setEditing(null)} />
      ) : (
        <p className="muted" data-testid="read-only">{t('annotations.readOnly')}</p>
      )}
      {failure && <Failure error={failure} />}
      {list.error && <Failure error={list.error} />}
      {list.loading && !list.data && <Loading />}
      {list.data && annotations.length === 0 && (
        <Empty title={t('annotations.empty.title')}>
          <p>{t('annotations.empty.body')}</p>
        </Empty>
      )}
      {annotations.length > 0 && (
        <DataTable caption={t('annotations.listCaption')} columns={columns} rows={annotations} fileName="annotations" testId="annotations-table" rowKey={(a) => String(a.id)} />
      )}
      {selected && (
        <Impact
          key={selected.id}
          annotation={selected}
          metrics={metrics.filter((m) => m.beforeAfter)}
          metric={view.metric}
          days={view.days}
          onChange={(changes) => setView(changes)}
        />
      )}
    </>
  );
}

function AnnotationForm({ initial, metrics, onSaved, onCancel }: {
  initial: AnnotationJson | null;
  metrics: CatalogueEntry[];
  onSaved: (annotation: AnnotationJson) => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [day, setDay] = useState(initial?.day ?? '');
  const [text, setText] = useState(initial?.text ?? '');
  const [note, setNote] = useState(initial?.note ?? '');
  const [category, setCategory] = useState(initial?.category ?? '');
  const [metric, setMetric] = useState(initial?.metric ?? '');
  const [state, setState] = useState<'idle' | 'saving' | ApiError>('idle');
  // One form for adding and editing: choosing another annotation to edit refills it.
  useEffect(() => {
    setDay(initial?.day ?? '');
    setText(initial?.text ?? '');
    setNote(initial?.note ?? '');
    setCategory(initial?.category ?? '');
    setMetric(initial?.metric ?? '');
    setState('idle');
  }, [initial]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState('saving');
    const body = { day, text, note: note.trim() ? note : null, category: category || null, metric: metric || null };
    try {
      const result = initial
        ? await api<{ annotation: AnnotationJson }>(`/api/v1/annotations/${initial.id}`, { method: 'PATCH', query: { workspace: workspace.name }, body })
        : await api<{ annotation: AnnotationJson }>('/api/v1/annotations', { method: 'POST', query: { workspace: workspace.name }, body });
      setState('idle');
      setDay('');
      setText('');
      setNote('');
      setCategory('');
      setMetric('');
      onSaved(result.annotation);
    } catch (error) {
      setState(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };
  return (
    <section className="panel" aria-labelledby="annotation-form-title">
      <h2 id="annotation-form-title">{initial ? t('annotations.edit') : t('annotations.add')}</h2>
      <form className="controls annotation-form" onSubmit={submit} data-testid="annotation-form">
        <label>
          {t('field.day')}
          <input type="date" required value={day} onChange={(event) => setDay(event.target.value)} data-testid="field-day" />
        </label>
        <label className="grow">
          {t('field.text')}
          <input required maxLength={TEXT_MAX} value={text} onChange={(event) => setText(event.target.value)} dir="auto" data-testid="field-text" />
        </label>
        <label>
          {t('field.category')}
          <select value={category} onChange={(event) => setCategory(event.target.value)} data-testid="field-category">
            <option value="">{t('category.none')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('field.metric')}
          <select value={metric} onChange={(event) => setMetric(event.target.value)} data-testid="field-metric">
            <option value="">{t('metric.anyMetric')}</option>
            {metrics.map((m) => (
              <option key={m.name} value={m.name}>
                {metricTitle(i18n, m.name, m.title)}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {t('field.note')}
          <textarea maxLength={NOTE_MAX} rows={2} value={note} onChange={(event) => setNote(event.target.value)} dir="auto" data-testid="field-note" />
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={state === 'saving'} data-testid="save-annotation">
            {initial ? t('action.saveChanges') : t('action.save')}
          </button>
          {initial && (
            <button type="button" onClick={onCancel}>
              {t('action.cancel')}
            </button>
          )}
        </div>
      </form>
      {state instanceof ApiError && <Failure error={state} />}
    </section>
  );
}

interface ImpactRow {
  id: 'before' | 'after' | 'difference';
  label: string;
  dates: string;
  value: number | null;
  n: number | null;
  ci: Interval | null;
}

function Impact({ annotation, metrics, metric, days, onChange }: {
  annotation: AnnotationJson;
  metrics: CatalogueEntry[];
  metric: string;
  days: string;
  onChange: (changes: { metric?: string; days?: string }) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const chart = useRef<ChartHandle>(null);
  const [daysText, setDaysText] = useState(days);
  const impact = useApi<AnnotationImpact>(`/api/v1/annotations/${annotation.id}/impact`, { workspace: workspace.name, metric: metric || undefined, days });
  const data = impact.data;
  const period: Period = data && data.days < 14 ? 'day' : 'week';
  const around = useApi<MetricResult>(data ? `/api/v1/metrics/${encodeURIComponent(data.metric)}` : null, {
    workspace: workspace.name,
    by: period,
    from: data?.before.from,
    to: data?.after.to,
  });

  const title = data ? metricTitle(i18n, data.metric, data.title) : '';
  const change = data?.change ?? null;
  const verdict = !change ? '' : change.smallSample ? t('change.tooFew') : change.significant ? t('change.significant', { p: i18n.number(change.pValue ?? 0, { maximumSignificantDigits: 2 }) }) : t('change.notSignificant');
  const rows: ImpactRow[] = data
    ? [
        { id: 'before', label: t('impact.before'), dates: t('impact.windowDates', { from: formatDay(i18n, data.before.from), to: formatDay(i18n, data.before.to) }), value: data.before.value, n: data.before.n, ci: data.before.ci },
        { id: 'after', label: t('impact.after'), dates: t('impact.windowDates', { from: formatDay(i18n, data.after.from), to: formatDay(i18n, data.after.to) }), value: data.after.value, n: data.after.n, ci: data.after.ci },
        { id: 'difference', label: t('impact.difference'), dates: '', value: change?.delta ?? null, n: null, ci: change?.ci ?? null },
      ]
    : [];
  const unit = data?.unit ?? 'count';
  const isDifference = (r: ImpactRow) => r.id === 'difference';
  const columns: Array<Column<ImpactRow>> = [
    { header: t('column.window'), cell: (r) => (
      <>
        <strong>{r.label}</strong>
        {r.dates && <span className="muted annotation-note">{r.dates}</span>}
      </>
    ), value: (r) => (r.dates ? `${r.label} (${r.id === 'before' ? data!.before.from : data!.after.from} – ${r.id === 'before' ? data!.before.to : data!.after.to})` : r.label) },
    {
      header: t('column.value'),
      numeric: true,
      cell: (r) => (
        <span data-testid={`impact-${r.id}-value`} className={isDifference(r) && change && change.significant && !change.smallSample ? `tone-${toneOfChange(data!.metric, change.delta)}` : undefined}>
          {isDifference(r) ? (r.value === null ? '–' : formatDelta(i18n, unit, r.value)) : formatValue(i18n, unit, r.value)}
          {isDifference(r) && change?.of === 'mean' ? ` ${t('change.ofMean')}` : ''}
        </span>
      ),
      value: (r) => r.value,
    },
    { header: t('column.n'), numeric: true, cell: (r) => <span data-testid={`impact-${r.id}-n`}>{r.n === null ? '' : i18n.number(r.n)}</span>, value: (r) => r.n },
    {
      header: t('column.ci'),
      numeric: true,
      cell: (r) => (
        <span data-testid={`impact-${r.id}-ci`}>
          {isDifference(r)
            ? r.ci ? t('ci.range', { low: formatDelta(i18n, unit, r.ci[0]), high: formatDelta(i18n, unit, r.ci[1]) }) : '–'
            : formatInterval(i18n, unit, r.ci)}
        </span>
      ),
      value: (r) => (r.ci ? `${r.ci[0]} to ${r.ci[1]}` : undefined),
    },
    { header: t('column.pValue'), numeric: true, cell: (r) => (isDifference(r) && change?.pValue != null ? i18n.number(change.pValue, { maximumSignificantDigits: 2 }) : ''), value: (r) => (isDifference(r) ? change?.pValue : undefined) },
    { header: t('column.significance'), cell: (r) => (isDifference(r) ? <span data-testid="impact-verdict">{verdict}</span> : ''), value: (r) => (isDifference(r) ? verdict : undefined) },
  ];

  const eventPeriod = period === 'day' ? annotation.day : isoWeekLabel(annotation.day);
  const points = (around.data?.groups ?? []).map((g) => ({ period: g.key[period] ?? '', value: g.value, n: g.n, ci: g.ci }));
  const option = data && around.data
    ? trendOption({ i18n, unit, period, series: [{ name: title, points }], annotations: [{ period: eventPeriod, text: annotation.text }], valueName: axisName(i18n, unit, title) })
    : undefined;

  return (
    <section className="panel impact" aria-labelledby="impact-title" data-testid="impact">
      <h2 id="impact-title">
        {t('impact.title', { text: annotation.text })}
      </h2>
      <form
        className="controls"
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ days: daysText });
        }}
      >
        <label>
          {t('control.metric')}
          <select value={data?.metric ?? metric} onChange={(event) => onChange({ metric: event.target.value })} data-testid="impact-metric">
            {metrics.map((m) => (
              <option key={m.name} value={m.name}>
                {metricTitle(i18n, m.name, m.title)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('impact.days')}
          <input type="number" min={1} max={366} step={1} value={daysText} onChange={(event) => setDaysText(event.target.value)} onBlur={() => onChange({ days: daysText })} data-testid="impact-days" />
        </label>
      </form>
      {impact.error && <Failure error={impact.error} />}
      {impact.loading && !data && <Loading />}
      {data && (
        <>
          {data.before.n > 0 && data.after.n > 0 ? (
            <p className="impact-summary" data-testid="impact-summary">
              {t('impact.summary', {
                metric: title,
                before: formatValue(i18n, unit, data.before.value),
                after: formatValue(i18n, unit, data.after.value),
                days: data.days,
                delta: change ? `${formatDelta(i18n, unit, change.delta)}, ${verdict}` : t('impact.noTest'),
              })}
            </p>
          ) : (
            <p className="status" data-testid="impact-no-data">{t('impact.noData')}</p>
          )}
          <DataTable
            caption={t('impact.caption', { metric: title, days: data.days, day: formatDay(i18n, data.day) })}
            columns={columns}
            rows={rows}
            fileName={`annotation-${annotation.id}-${data.metric}-${data.days}d`}
            testId="impact-table"
            rowKey={(r) => r.id}
          />
          {!data.afterComplete && <p className="muted" data-testid="impact-incomplete">{t('impact.incomplete')}</p>}
          <p className="muted">{t('impact.caveat')}</p>
          {option && (
            <>
              <div className="panel-head">
                <h3>{t('impact.chartTitle', { metric: title })}</h3>
                <button type="button" onClick={() => { const png = chart.current?.toPng(); if (png) download(`annotation-${annotation.id}-${data.metric}.png`, png); }} data-testid="impact-png">
                  {t('action.exportPng')}
                </button>
              </div>
              <Chart ref={chart} option={option} label={t('impact.chartLabel', { metric: title, day: formatDay(i18n, annotation.day) })} height={280} testId="impact-chart" />
              <DataTable
                caption={t('impact.chartTitle', { metric: title })}
                columns={[
                  { header: t('column.period'), cell: (p) => formatPeriod(i18n, p.period, period), value: (p) => p.period },
                  { header: t('column.value'), numeric: true, cell: (p) => formatValue(i18n, unit, p.value), value: (p) => p.value },
                  { header: t('column.n'), numeric: true, cell: (p) => i18n.number(p.n), value: (p) => p.n },
                  { header: t('column.ci'), numeric: true, cell: (p) => formatInterval(i18n, unit, p.ci), value: (p) => (p.ci ? `${p.ci[0]} to ${p.ci[1]}` : undefined) },
                ]}
                rows={points}
                fileName={`annotation-${annotation.id}-${data.metric}-by-${period}`}
                rowKey={(p) => p.period}
              />
            </>
          )}
          <p>
            <Link href={`/explore?${new URLSearchParams({ metric: data.metric, period, from: data.before.from, to: data.after.to })}`}>{t('action.exploreAround')}</Link>
          </p>
        </>
      )}
    </section>
  );
}

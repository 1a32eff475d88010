import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { NOT_BENCHMARKED } from '../../../metrics/benchmark-gap.ts';
import { api, ApiError } from '../api.ts';
import { formatGapInterval, gapOf, gapVerdict, safeHref, sourceHost } from '../benchmarks.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { formatDelta, formatPeriod, formatValue, toneOfChange } from '../format.ts';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { metricTitle } from '../metric-labels.ts';
import type { BenchmarkJson, CatalogueEntry, MetricCatalogue, Overview, Unit } from '../types.ts';

const KINDS = ['competitor', 'industry'] as const;

/**
 * Competitor and industry figures, each with its source link, and the gap of the workspace's own
 * last-month score to each (with its interval). Sada ships no figures: people add them from a
 * source they cite.
 */
export default function Benchmarks() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const canWrite = workspace.role !== 'viewer';
  const [version, setVersion] = useState(0);
  const list = useApi<{ benchmarks: BenchmarkJson[] }>('/api/v1/benchmarks', { workspace: workspace.name, v: version || undefined });
  const catalogue = useApi<MetricCatalogue>('/api/v1/metrics', { workspace: workspace.name });
  const overview = useApi<Overview>('/api/v1/overview', { workspace: workspace.name, period: 'month' });
  const [editing, setEditing] = useState<BenchmarkJson | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const metrics = (catalogue.data?.metrics ?? []).filter((m) => !NOT_BENCHMARKED.includes(m.name));
  const unitOf = (metric: string): Unit => catalogue.data?.metrics.find((m) => m.name === metric)?.unit ?? 'count';
  const own = (metric: string) => overview.data?.cards.find((c) => c.metric === metric)?.current ?? null;
  const benchmarks = list.data?.benchmarks ?? [];

  const remove = async (b: BenchmarkJson) => {
    try {
      await api(`/api/v1/benchmarks/${b.id}`, { method: 'DELETE', query: { workspace: workspace.name } });
      setConfirming(null);
      setVersion((v) => v + 1);
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };

  const columns: Array<Column<BenchmarkJson>> = [
    { header: t('column.metric'), cell: (b) => metricTitle(i18n, b.metric), value: (b) => b.metric },
    {
      header: t('column.label'),
      cell: (b) => (
        <>
          <span dir="auto" className="annotation-text">{b.label}</span>
          <span className="muted annotation-note">{t(`benchmarks.kind.${b.kind}` as MessageKey)}</span>
          {b.note && <span dir="auto" className="muted annotation-note">{b.note}</span>}
        </>
      ),
      value: (b) => b.label,
    },
    { header: t('column.kind'), cell: () => null, value: (b) => b.kind, csvOnly: true },
    { header: t('column.benchmark'), numeric: true, cell: (b) => <span data-testid="benchmark-value">{formatValue(i18n, unitOf(b.metric), b.value)}</span>, value: (b) => b.value },
    { header: t('column.margin'), numeric: true, cell: (b) => (b.margin === null ? '–' : `±${formatDelta(i18n, unitOf(b.metric), b.margin).replace(/^\+/, '')}`), value: (b) => b.margin },
    { header: t('column.n'), numeric: true, cell: (b) => (b.n === null ? '–' : i18n.number(b.n)), value: (b) => b.n },
    { header: t('column.asOf'), cell: (b) => <time dateTime={b.asOf}>{formatPeriod(i18n, b.asOf, 'day')}</time>, value: (b) => b.asOf },
    {
      header: t('column.source'),
      cell: (b) => {
        const href = safeHref(b.sourceUrl);
        return href ? (
          <a href={href} target="_blank" rel="noopener noreferrer" dir="ltr" title={b.sourceUrl} data-testid="benchmark-source">
            {sourceHost(b.sourceUrl)}
          </a>
        ) : (
          <span dir="ltr">{b.sourceUrl}</span>
        );
      },
      value: (b) => b.sourceUrl,
    },
    { header: t('column.own'), numeric: true, cell: (b) => <span data-testid="own-value">{formatValue(i18n, unitOf(b.metric), own(b.metric)?.value)}</span>, value: (b) => own(b.metric)?.value },
    {
      header: t('column.gap'),
      numeric: true,
      cell: (b) => {
        const gap = gapOf(own(b.metric), b);
        if (!gap) return '–';
        const tone = gap.verdict === 'above' || gap.verdict === 'below' ? toneOfChange(b.metric, gap.gap) : 'neutral';
        return <span className={`tone-${tone}`} data-testid="benchmark-gap">{formatDelta(i18n, unitOf(b.metric), gap.gap)}</span>;
      },
      value: (b) => gapOf(own(b.metric), b)?.gap,
    },
    {
      header: t('column.gapCi'),
      numeric: true,
      cell: (b) => {
        const gap = gapOf(own(b.metric), b);
        return gap ? <span data-testid="benchmark-gap-ci">{formatGapInterval(i18n, unitOf(b.metric), gap)} · {gapVerdict(i18n, gap)}</span> : '–';
      },
      value: (b) => { const gap = gapOf(own(b.metric), b); return gap?.ci ? `${gap.ci[0]} to ${gap.ci[1]}` : undefined; },
    },
    {
      header: t('column.actions'),
      cell: (b) => (
        <span className="row-actions">
          <Link href={`/explore?${new URLSearchParams({ metric: b.metric })}`}>{t('page.explore')}</Link>
          {canWrite && (
            <>
              <button type="button" onClick={() => setEditing(b)} data-testid={`edit-${b.id}`}>
                {t('action.edit')}
              </button>
              {confirming === b.id ? (
                <button type="button" className="danger" onClick={() => remove(b)} data-testid={`confirm-delete-${b.id}`}>
                  {t('action.confirmDelete')}
                </button>
              ) : (
                <button type="button" onClick={() => setConfirming(b.id)} data-testid={`delete-${b.id}`}>
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
      <h1>{t('page.benchmarks')}</h1>
      <p className="lede">{t('benchmarks.lede')}</p>
      {canWrite ? (
        <BenchmarkForm initial={editing} metrics={metrics} onSaved={() => { setEditing(null); setVersion((v) => v + 1); }} onCancel={() => setEditing(null)} />
      ) : (
        <p className="muted" data-testid="read-only">{t('benchmarks.readOnly')}</p>
      )}
      {failure && <Failure error={failure} />}
      {list.error && <Failure error={list.error} />}
      {list.loading && !list.data && <Loading />}
      {list.data && benchmarks.length === 0 && (
        <Empty title={t('benchmarks.empty.title')}>
          <p>{t('benchmarks.empty.body')}</p>
        </Empty>
      )}
      {benchmarks.length > 0 && (
        <>
          <DataTable caption={t('benchmarks.listCaption')} columns={columns} rows={benchmarks} fileName="benchmarks" testId="benchmarks-table" rowKey={(b) => String(b.id)} />
          {overview.data && <p className="muted" data-testid="own-note">{t('benchmarks.ownNote', { period: formatPeriod(i18n, overview.data.label, overview.data.period) })}</p>}
        </>
      )}
    </>
  );
}

function BenchmarkForm({ initial, metrics, onSaved, onCancel }: {
  initial: BenchmarkJson | null;
  metrics: CatalogueEntry[];
  onSaved: (benchmark: BenchmarkJson) => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const blank = { metric: 'nps', label: '', kind: 'competitor', value: '', asOf: '', sourceUrl: '', n: '', margin: '', note: '' };
  const fromBenchmark = (b: BenchmarkJson | null) =>
    b ? { metric: b.metric, label: b.label, kind: b.kind, value: String(b.value), asOf: b.asOf, sourceUrl: b.sourceUrl, n: b.n === null ? '' : String(b.n), margin: b.margin === null ? '' : String(b.margin), note: b.note ?? '' } : blank;
  const [form, setForm] = useState(fromBenchmark(initial));
  const [state, setState] = useState<'idle' | 'saving' | ApiError>('idle');
  // One form for adding and editing: choosing another benchmark to edit refills it.
  useEffect(() => {
    setForm(fromBenchmark(initial));
    setState('idle');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial]);
  const field = (name: keyof typeof blank) => ({ value: form[name], onChange: (event: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: event.target.value })) });
  const number = (text: string) => (text.trim() === '' ? null : Number(text.replace(',', '.')));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState('saving');
    const body = {
      metric: form.metric, label: form.label, kind: form.kind, value: number(form.value), as_of: form.asOf, source_url: form.sourceUrl,
      n: number(form.n), margin: number(form.margin), note: form.note.trim() ? form.note : null,
    };
    try {
      const result = initial
        ? await api<{ benchmark: BenchmarkJson }>(`/api/v1/benchmarks/${initial.id}`, { method: 'PATCH', query: { workspace: workspace.name }, body })
        : await api<{ benchmark: BenchmarkJson }>('/api/v1/benchmarks', { method: 'POST', query: { workspace: workspace.name }, body });
      setState('idle');
      setForm(blank);
      onSaved(result.benchmark);
    } catch (error) {
      setState(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };
  return (
    <section className="panel" aria-labelledby="benchmark-form-title">
      <h2 id="benchmark-form-title">{initial ? t('benchmarks.edit') : t('benchmarks.add')}</h2>
      <form className="controls annotation-form" onSubmit={submit} data-testid="benchmark-form">
        <label>
          {t('benchmarks.field.metric')}
          <select {...field('metric')} data-testid="field-metric">
            {metrics.map((m) => (
              <option key={m.name} value={m.name}>
                {metricTitle(i18n, m.name, m.title)}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t('field.label')}
          <input required maxLength={120} {...field('label')} dir="auto" data-testid="field-label" />
        </label>
        <label>
          {t('field.kind')}
          <select {...field('kind')} data-testid="field-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`benchmarks.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('field.value')}
          <input required inputMode="decimal" {...field('value')} dir="ltr" aria-describedby="benchmark-value-hint" data-testid="field-value" />
        </label>
        <label>
          {t('field.asOf')}
          <input type="date" required {...field('asOf')} data-testid="field-as-of" />
        </label>
        <label className="wide">
          {t('field.sourceUrl')}
          <input type="url" required maxLength={2048} placeholder="https://" {...field('sourceUrl')} dir="ltr" aria-describedby="benchmark-source-hint" data-testid="field-source" />
        </label>
        <label>
          {t('field.n')}
          <input inputMode="numeric" {...field('n')} dir="ltr" data-testid="field-n" />
        </label>
        <label>
          {t('field.margin')}
          <input inputMode="decimal" {...field('margin')} dir="ltr" aria-describedby="benchmark-margin-hint" data-testid="field-margin" />
        </label>
        <label className="wide">
          {t('field.note')}
          <textarea maxLength={2000} rows={2} {...field('note')} dir="auto" data-testid="field-note" />
        </label>
        <ul className="muted form-hints">
          <li id="benchmark-value-hint">{t('benchmarks.valueHint')}</li>
          <li id="benchmark-source-hint">{t('benchmarks.sourceHint')}</li>
          <li id="benchmark-margin-hint">{t('benchmarks.marginHint')}</li>
        </ul>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={state === 'saving'} data-testid="save-benchmark">
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

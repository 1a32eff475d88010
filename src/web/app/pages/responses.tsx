import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { DemoDataAction } from '../components/DemoData.tsx';
import { ThemesPanel } from './ThemesPanel.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { download, toCsv } from '../csv.ts';
import { useApi, useView, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n, type MessageKey } from '../i18n.tsx';
import type { ListedResponseJson, ResponseFacetsJson, ResponsePageJson, TimelineEventJson, TimelineJson } from '../types.ts';

const PAGE_SIZE = 50;
/** The export walks the pages of the filtered list up to this many rows. */
const EXPORT_LIMIT = 20000;
const KINDS_WITH_LABELS = new Set(['nps', 'csat', 'ces', 'intent', 'profile', 'text', 'choice']);
/** NPS bands (seeds 000/003): detractors 0–6, passives 7–8, promoters 9–10. */
const BANDS: Record<string, { min?: number; max?: number }> = { detractors: { max: 6 }, passives: { min: 7, max: 8 }, promoters: { min: 9 } };

const kindLabel = (i18n: I18n, kind: string) => (KINDS_WITH_LABELS.has(kind) ? i18n.t(`surveys.kind.${kind}` as MessageKey) : kind);

function dateTime(i18n: I18n, iso: string, zone: string): string {
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
}

function scoreText(i18n: I18n, r: { score: number | null; scaleMin: number | null; scaleMax: number | null; answer: string | null }): string {
  if (r.score === null) return r.answer ?? '–';
  return r.scaleMax === null ? i18n.number(r.score) : i18n.t('responses.scoreOf', { score: i18n.number(r.score), max: i18n.number(r.scaleMax) });
}

/** Low, middle or high on its own scale (NPS: detractor, passive, promoter), for the score's colour. */
function tone(r: ListedResponseJson): 'low' | 'mid' | 'high' | undefined {
  if (r.score === null || r.scaleMin === null || r.scaleMax === null) return undefined;
  if (r.kind === 'nps') return r.score <= 6 ? 'low' : r.score <= 8 ? 'mid' : 'high';
  const at = (r.score - r.scaleMin) / Math.max(1, r.scaleMax - r.scaleMin);
  return at < 0.5 ? 'low' : at < 0.75 ? 'mid' : 'high';
}

const EXPORT_COLUMNS = ['submitted_at', 'kind', 'score', 'scale_min', 'scale_max', 'comment', 'answer', 'language', 'touchpoint', 'channel', 'survey', 'question', 'customer_id', 'customer_name', 'id'];
const exportRow = (r: ListedResponseJson) => [r.submittedAt, r.kind, r.score, r.scaleMin, r.scaleMax, r.comment, r.answer, r.language, r.touchpoint, r.channel, r.surveyId, r.questionId, r.customerId, r.customerName, r.id];

/** Every answer and comment customers gave, searchable and filterable, and each customer's story. */
export default function Responses() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [view, setView] = useView({ q: '', kind: '', band: '', score_min: '', score_max: '', language: '', touchpoint: '', survey: '', comments: '', from: '', to: '', cursor: '', customer: '' });
  const [search, setSearch] = useState(view.q);
  const [previous, setPrevious] = useState<string[]>([]);
  const [exporting, setExporting] = useState<string | ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const band = BANDS[view.band];
  const filter = {
    workspace: workspace.name,
    q: view.q,
    kind: band ? 'nps' : view.kind,
    score_min: band ? band.min : view.score_min,
    score_max: band ? band.max : view.score_max,
    language: view.language,
    touchpoint: view.touchpoint,
    survey: view.survey,
    with_comment: view.comments ? 'true' : undefined,
    from: view.from,
    to: view.to,
  };
  const filterKey = JSON.stringify(filter);
  const page = useApi<ResponsePageJson>('/api/v1/responses', { ...filter, limit: PAGE_SIZE, cursor: view.cursor });
  const facets = useApi<ResponseFacetsJson>('/api/v1/responses/facets', { workspace: workspace.name });
  // The total comes with the first page; later pages keep it.
  const [totals, setTotals] = useState<Record<string, number>>({});
  useEffect(() => {
    const total = page.data?.total;
    if (total !== undefined) setTotals((known) => (known[filterKey] === total ? known : { ...known, [filterKey]: total }));
  }, [page.data, filterKey]);
  const total = totals[filterKey];

  const refine = (changes: Partial<typeof view>) => {
    setPrevious([]);
    setView({ ...changes, cursor: '' });
  };
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    refine({ q: search.trim() });
  };
  const next = () => {
    if (!page.data?.next) return;
    setPrevious((stack) => [...stack, view.cursor]);
    setView({ cursor: page.data.next });
  };
  const back = () => {
    const stack = [...previous];
    const cursor = stack.pop() ?? '';
    setPrevious(stack);
    setView({ cursor });
  };

  const exportAll = async (format: 'csv' | 'json') => {
    setExporting(t('responses.exporting', { count: 0 }));
    setBusy(true);
    try {
      const rows: ListedResponseJson[] = [];
      let cursor: string | undefined;
      do {
        const result = await api<ResponsePageJson>('/api/v1/responses', { query: { ...filter, limit: 500, cursor } });
        rows.push(...result.responses);
        cursor = result.next ?? undefined;
        setExporting(t('responses.exporting', { count: rows.length }));
      } while (cursor && rows.length < EXPORT_LIMIT);
      const name = `responses-${workspace.name}`;
      if (format === 'csv') download(`${name}.csv`, toCsv(EXPORT_COLUMNS, rows.map(exportRow)));
      else download(`${name}.json`, JSON.stringify(rows, null, 2), 'application/json');
      setExporting(cursor ? t('responses.exportCapped', { count: rows.length }) : undefined);
    } catch (error) {
      setExporting(error instanceof ApiError ? error : new ApiError(0, String(error)));
    } finally {
      setBusy(false);
    }
  };

  const nothingAtAll = facets.data && facets.data.kinds.length === 0;
  const rows = page.data?.responses ?? [];
  const pageNumber = previous.length + 1;
  return (
    <>
      <h1>{t('page.responses')}</h1>
      <p className="lede">{t('responses.lede')}</p>
      <form className="controls" role="search" onSubmit={submitSearch}>
        <label>
          {t('responses.control.search')}
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} maxLength={200} data-testid="search" dir="auto" />
        </label>
        <button type="submit" className="primary" data-testid="search-submit">
          {t('responses.action.search')}
        </button>
        <label>
          {t('responses.control.band')}
          <select value={view.band} onChange={(event) => refine({ band: event.target.value })} data-testid="band">
            <option value="">{t('responses.band.any')}</option>
            <option value="detractors">{t('responses.band.detractors')}</option>
            <option value="passives">{t('responses.band.passives')}</option>
            <option value="promoters">{t('responses.band.promoters')}</option>
          </select>
        </label>
        <label>
          {t('responses.control.kind')}
          <select value={band ? 'nps' : view.kind} disabled={!!band} onChange={(event) => refine({ kind: event.target.value })} data-testid="kind">
            <option value="">{t('responses.any')}</option>
            {(facets.data?.kinds ?? []).map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(i18n, kind)}
              </option>
            ))}
          </select>
        </label>
        {!band && (
          <>
            <label>
              {t('responses.control.scoreMin')}
              <input type="number" inputMode="decimal" className="narrow" value={view.score_min} onChange={(event) => refine({ score_min: event.target.value })} data-testid="score-min" />
            </label>
            <label>
              {t('responses.control.scoreMax')}
              <input type="number" inputMode="decimal" className="narrow" value={view.score_max} onChange={(event) => refine({ score_max: event.target.value })} data-testid="score-max" />
            </label>
          </>
        )}
        {(['language', 'touchpoint', 'survey'] as const).map((name) => (
          <label key={name}>
            {t(`dimension.${name}`)}
            <select value={view[name]} onChange={(event) => refine({ [name]: event.target.value })} data-testid={`filter-${name}`}>
              <option value="">{t('responses.any')}</option>
              {(facets.data?.[`${name}s` as 'languages' | 'touchpoints' | 'surveys'] ?? []).map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          {t('control.from')}
          <input type="date" value={view.from} onChange={(event) => refine({ from: event.target.value })} data-testid="from" />
        </label>
        <label>
          {t('control.to')}
          <input type="date" value={view.to} onChange={(event) => refine({ to: event.target.value })} data-testid="to" />
        </label>
        <label className="inline-check">
          <input type="checkbox" checked={!!view.comments} onChange={(event) => refine({ comments: event.target.checked ? '1' : '' })} data-testid="with-comment" />
          {t('responses.control.withComment')}
        </label>
      </form>
      {view.customer && <CustomerTimeline id={view.customer} onClose={() => setView({ customer: '' })} />}
      {facets.data && !nothingAtAll && (
        <ThemesPanel
          filter={filter}
          onPick={(phrase) => {
            setSearch(phrase);
            refine({ q: phrase });
          }}
        />
      )}
      {page.error && <Failure error={page.error} />}
      {page.loading && !page.data && <Loading />}
      {nothingAtAll && (
        <Empty title={t('empty.responses.title')}>
          <p>{t('empty.responses.body')}</p>
          <DemoDataAction />
        </Empty>
      )}
      {page.data && !nothingAtAll && (
        <section aria-busy={page.loading} aria-labelledby="responses-count">
          <div className="list-head">
            <p id="responses-count" className="count" data-testid="count" aria-live="polite">
              {total === undefined ? t('responses.pageOf', { page: pageNumber }) : t('responses.count', { count: total })}
            </p>
            <div className="table-actions">
              <button type="button" onClick={() => exportAll('csv')} disabled={busy} data-testid="export-csv">
                {t('action.exportCsv')}
              </button>
              <button type="button" onClick={() => exportAll('json')} disabled={busy} data-testid="export-json">
                {t('responses.action.exportJson')}
              </button>
            </div>
          </div>
          {typeof exporting === 'string' && <p className="muted" role="status">{exporting}</p>}
          {exporting instanceof ApiError && <Failure error={exporting} />}
          {rows.length === 0 ? (
            <Empty title={t('responses.noMatch.title')}>
              <p>{t('responses.noMatch.body')}</p>
            </Empty>
          ) : (
            <div className="table-scroll">
              <table data-testid="responses">
                <caption>{t('responses.caption', { page: pageNumber })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('responses.col.date')}</th>
                    <th scope="col">{t('responses.col.kind')}</th>
                    <th scope="col" className="numeric">{t('responses.col.score')}</th>
                    <th scope="col">{t('responses.col.comment')}</th>
                    <th scope="col">{t('dimension.language')}</th>
                    <th scope="col">{t('dimension.touchpoint')}</th>
                    <th scope="col">{t('dimension.survey')}</th>
                    <th scope="col">{t('responses.col.customer')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} data-id={r.id}>
                      <td className="nowrap">{dateTime(i18n, r.submittedAt, page.data!.timezone)}</td>
                      <td className="nowrap">{kindLabel(i18n, r.kind)}</td>
                      <td className={`numeric score score-${tone(r) ?? 'none'}`} data-testid="score">{scoreText(i18n, r)}</td>
                      <td className="comment">
                        {r.comment ? <span dir="auto" data-testid="comment">{r.comment}</span> : <span className="muted">–</span>}
                      </td>
                      <td>{r.language ?? '–'}</td>
                      <td>{r.touchpoint ?? '–'}</td>
                      <td>{r.surveyId ?? '–'}</td>
                      <td>
                        {r.customerId ? (
                          <button type="button" className="link-button" onClick={() => setView({ customer: r.customerId! })} data-testid="customer">
                            <span dir="auto">{r.customerName ?? r.customerId}</span>
                          </button>
                        ) : (
                          <span className="muted">{t('responses.anonymous')}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pager" aria-label={t('responses.pager')}>
            {previous.length > 0 ? (
              <button type="button" onClick={back} data-testid="previous">
                {t('responses.previous')}
              </button>
            ) : view.cursor ? (
              <button type="button" onClick={() => setView({ cursor: '' })} data-testid="first">
                {t('responses.first')}
              </button>
            ) : null}
            <span className="muted">{t('responses.pageOf', { page: pageNumber })}</span>
            {page.data.next && (
              <button type="button" onClick={next} data-testid="next">
                {t('responses.next')}
              </button>
            )}
          </nav>
        </section>
      )}
    </>
  );
}

/** A customer's responses, tickets and orders in time order. */
function CustomerTimeline({ id, onClose }: { id: string; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const { data, error, loading } = useApi<TimelineJson>(`/api/v1/customers/${encodeURIComponent(id)}/timeline`, { workspace: workspace.name });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (data) heading.current?.focus();
  }, [data]);
  const events = useMemo(() => data?.events ?? [], [data]);
  return (
    <section className="panel timeline" data-testid="timeline" aria-labelledby="timeline-title">
      <div className="list-head">
        <h2 id="timeline-title" ref={heading} tabIndex={-1}>
          {t('timeline.title', { name: data?.customer.name ?? id })}
        </h2>
        <button type="button" onClick={onClose} data-testid="timeline-close">
          {t('timeline.close')}
        </button>
      </div>
      {error && <Failure error={error} />}
      {loading && !data && <Loading />}
      {data && (
        <>
          <p className="muted" data-testid="timeline-summary">
            {[data.customer.segment, data.customer.country, data.customer.plan].filter(Boolean).join(' · ')}
            {' '}
            {t('timeline.summary', {
              responses: events.filter((e) => e.type === 'response').length,
              tickets: events.filter((e) => e.type === 'ticket').length,
              orders: events.filter((e) => e.type === 'order').length,
            })}
          </p>
          {data.truncated && <p className="muted">{t('timeline.truncated')}</p>}
          <ol className="events">
            {events.map((event) => (
              <li key={`${event.type}:${event.id}`} className={`event event-${event.type}`} data-testid={`event-${event.type}`}>
                <span className="event-type">{t(`timeline.type.${event.type}`)}</span>
                <time dateTime={event.at}>{dateTime(i18n, event.at, data.timezone)}</time>
                <EventDetails event={event} i18n={i18n} zone={data.timezone} />
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function money(i18n: I18n, amount: number, currency: string | null): string {
  try {
    if (currency) return i18n.number(amount, { style: 'currency', currency });
  } catch {
    // not an ISO 4217 code: the amount with the code beside it
  }
  return `${i18n.number(amount, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}${currency ? ` ${currency}` : ''}`;
}

function EventDetails({ event, i18n, zone }: { event: TimelineEventJson; i18n: I18n; zone: string }) {
  const { t } = i18n;
  switch (event.type) {
    case 'response':
      return (
        <div>
          {kindLabel(i18n, event.kind)} · <strong>{scoreText(i18n, event)}</strong>
          {event.touchpoint && <> · {event.touchpoint}</>}
          {event.comment && (
            <p dir="auto" className="event-comment">
              {event.comment}
            </p>
          )}
        </div>
      );
    case 'ticket':
      return (
        <div>
          <span dir="auto">{event.subject ?? event.id}</span>
          {' · '}
          {[event.channel, event.category, event.status].filter(Boolean).join(' · ')}
          {event.resolvedAt && <> · {t('timeline.resolved', { when: dateTime(i18n, event.resolvedAt, zone) })}</>}
        </div>
      );
    case 'order':
      return (
        <div>
          {event.amount !== null ? money(i18n, event.amount, event.currency) : event.id}
          {event.items !== null && <> · {t('timeline.items', { count: event.items })}</>}
          {event.status && <> · {event.status}</>}
        </div>
      );
  }
}

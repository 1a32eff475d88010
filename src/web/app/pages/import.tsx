import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { api, ApiError, withQuery } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Failure, Loading } from '../components/Status.tsx';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type I18n } from '../i18n.tsx';
import type { ImportCatalogue, ImportField, ImportPreview, ImportSummaryJson, RowProblemJson, UploadJson } from '../types.ts';

/**
 * Import: upload a file (streamed to the server, never read whole here), pick the kind of record,
 * take the preset its shape fits or map the columns by hand with a preview of what each field
 * reads, see every bad row (line, column, reason) in a dry run that stores nothing, then commit.
 * Committing the same file again changes nothing: the summary says so.
 */

type Source = { kind: 'column'; column: string } | { kind: 'value'; value: string } | { kind: 'none' };
interface FieldChoice {
  source: Source;
  format: string;
}
type Plan = { kind: string; preset: string } | { kind: string; mapping: Record<string, unknown> };

/** The page's mapping as the API's mapping JSON (docs/importing.md). */
function mappingOf(fields: Record<string, FieldChoice>, catalogueFields: ImportField[], options: { timezone: string; keepUnmapped: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of catalogueFields) {
    const choice = fields[field.name];
    if (!choice || choice.source.kind === 'none') continue;
    if (choice.source.kind === 'value') {
      const text = choice.source.value;
      const numeric = (field.type === 'integer' || field.type === 'number') && /^-?\d+(\.\d+)?$/.test(text.trim());
      out[field.name] = { value: numeric ? Number(text) : text };
    } else if (field.type === 'timestamp' && choice.format !== 'auto') {
      out[field.name] = { column: choice.source.column, format: choice.format };
    } else {
      out[field.name] = choice.source.column;
    }
  }
  return { ...(options.timezone ? { timezone: options.timezone } : {}), ...(options.keepUnmapped ? { keepUnmappedAsAttributes: true } : {}), fields: out };
}

/** Columns named like a field fill it, as the importer itself does. */
function initialChoices(fields: ImportField[], columns: string[]): Record<string, FieldChoice> {
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  return Object.fromEntries(
    fields.map((f) => {
      const column = byLower.get(f.name);
      return [f.name, { source: column ? { kind: 'column', column } : { kind: 'none' }, format: 'auto' } satisfies FieldChoice];
    }),
  );
}

function fileSize(i18n: I18n, bytes: number): string {
  const units: Array<[string, number]> = [['gigabyte', 2 ** 30], ['megabyte', 2 ** 20], ['kilobyte', 2 ** 10]];
  for (const [unit, size] of units) if (bytes >= size) return i18n.number(bytes / size, { style: 'unit', unit, maximumFractionDigits: 1 });
  return i18n.number(bytes, { style: 'unit', unit: 'byte' });
}

const cellText = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

async function uploadFile(workspace: string, file: File): Promise<UploadJson> {
  const response = await fetch(withQuery('/api/v1/imports', { workspace, name: file.name }), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream' },
    body: file,
  });
  if (response.status === 401) {
    location.assign(withQuery('/login', { next: location.pathname + location.search }));
    throw new ApiError(401, 'signed out');
  }
  const payload = (await response.json().catch(() => undefined)) as (UploadJson & { message?: string }) | undefined;
  if (!response.ok) throw new ApiError(response.status, payload?.message ?? response.statusText);
  return payload!;
}

export default function ImportPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const catalogue = useApi<ImportCatalogue>('/api/v1/imports/kinds', { workspace: workspace.name });
  const [upload, setUpload] = useState<UploadJson>();
  const [uploading, setUploading] = useState(false);
  const [kind, setKind] = useState('responses');
  const [mode, setMode] = useState<string>('hand'); // 'hand', 'json' or a preset spec
  const [choices, setChoices] = useState<Record<string, FieldChoice>>({});
  const [timezone, setTimezone] = useState('');
  const [keepUnmapped, setKeepUnmapped] = useState(false);
  const [jsonText, setJsonText] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState<'' | 'preview' | 'dry-run' | 'commit'>('');
  const [preview, setPreview] = useState<ImportPreview>();
  const [dryRun, setDryRun] = useState<{ plan: string; summary: ImportSummaryJson }>();
  const [committed, setCommitted] = useState<ImportSummaryJson[]>([]);

  const kindFields = useMemo(() => catalogue.data?.kinds.find((k) => k.name === kind)?.fields ?? [], [catalogue.data, kind]);
  useEffect(() => {
    if (upload) setChoices(initialChoices(kindFields, upload.columns));
  }, [upload, kindFields]);

  const handMapping = mappingOf(choices, kindFields, { timezone, keepUnmapped });
  const plan: Plan | { invalid: string } = useMemo(() => {
    if (mode === 'hand') return { kind, mapping: handMapping };
    if (mode === 'json') {
      try {
        const parsed = JSON.parse(jsonText) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { invalid: t('import.json.notObject') };
        return { kind, mapping: parsed as Record<string, unknown> };
      } catch (e) {
        return { invalid: t('import.json.invalid', { message: (e as Error).message }) };
      }
    }
    return { kind, preset: mode };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- handMapping is derived from these
  }, [mode, kind, jsonText, JSON.stringify(handMapping), t]);
  const planKey = JSON.stringify(plan);

  // A new plan needs a new dry run before committing.
  useEffect(() => {
    setPreview(undefined);
    setError(undefined);
  }, [planKey]);

  if (workspace.role === 'viewer') {
    return (
      <>
        <h1>{t('page.import')}</h1>
        <p className="status" role="note">{t('import.viewerOnly')}</p>
      </>
    );
  }

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setError(undefined);
    setPreview(undefined);
    setDryRun(undefined);
    setCommitted([]);
    if (upload) void api(`/api/v1/imports/${upload.id}`, { method: 'DELETE', query: { workspace: workspace.name } }).catch(() => undefined);
    setUpload(undefined);
    if (catalogue.data && file.size > catalogue.data.maxBytes) {
      setError(new ApiError(413, t('import.tooLarge', { size: fileSize(i18n, catalogue.data.maxBytes) })));
      return;
    }
    setUploading(true);
    try {
      const uploaded = await uploadFile(workspace.name, file);
      setUpload(uploaded);
      const offer = uploaded.presets[0];
      if (offer) {
        setMode(offer.spec);
        setKind(offer.kind);
      } else {
        setMode('hand');
      }
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setUploading(false);
    }
  };

  const call = async (step: 'preview' | 'dry-run' | 'commit') => {
    if (!upload || 'invalid' in plan) return;
    setBusy(step);
    setError(undefined);
    try {
      const result = await api<ImportPreview | ImportSummaryJson>(`/api/v1/imports/${upload.id}/${step}`, { method: 'POST', query: { workspace: workspace.name }, body: plan });
      if (step === 'preview') setPreview(result as ImportPreview);
      else if (step === 'dry-run') setDryRun({ plan: planKey, summary: result as ImportSummaryJson });
      else setCommitted((previous) => [...previous, result as ImportSummaryJson]);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy('');
    }
  };

  const setChoice = (field: string, change: Partial<FieldChoice>) => setChoices((previous) => ({ ...previous, [field]: { ...(previous[field] ?? { source: { kind: 'none' }, format: 'auto' }), ...change } }));
  const dryRunFresh = dryRun && dryRun.plan === planKey ? dryRun.summary : undefined;
  const latest = committed.at(-1);

  return (
    <>
      <h1>{t('page.import')}</h1>
      <p className="lede">{t('import.lede')}</p>
      {catalogue.error && <Failure error={catalogue.error} />}

      <section className="panel" aria-labelledby="import-step-file">
        <h2 id="import-step-file">{t('import.step.file')}</h2>
        <form className="controls" onSubmit={(event) => event.preventDefault()}>
          <label>
            {t('import.file')}
            <input type="file" accept=".csv,.tsv,.tab,.json,.ndjson,.jsonl" onChange={onFile} data-testid="import-file" />
          </label>
          <label>
            {t('import.kind')}
            <select value={kind} onChange={(event) => setKind(event.target.value)} data-testid="import-kind">
              {(catalogue.data?.kinds ?? []).map((k) => (
                <option key={k.name} value={k.name}>
                  {k.name}
                </option>
              ))}
            </select>
          </label>
        </form>
        <p className="muted">
          {t('import.formats', { size: catalogue.data ? fileSize(i18n, catalogue.data.maxBytes) : '…' })}{' '}
          {catalogue.data?.kinds.find((k) => k.name === kind)?.doc && <span dir="ltr" lang="en">({catalogue.data.kinds.find((k) => k.name === kind)!.doc})</span>}
        </p>
        {uploading && <Loading />}
        {upload && (
          <p data-testid="upload-info">
            {t('import.uploaded', { name: upload.name, size: fileSize(i18n, upload.size), format: upload.format.toUpperCase(), columns: upload.columns.length })}
          </p>
        )}
      </section>

      {error && <Failure error={error} />}

      {upload && (
        <>
          <section className="panel" aria-labelledby="import-step-raw">
            <h2 id="import-step-raw">{t('import.step.raw')}</h2>
            {upload.problems.length > 0 && (
              <ul className="import-warnings">
                {upload.problems.map((p) => (
                  <li key={p.line}>
                    {t('import.problemAt', { unit: upload.unit, line: p.line })} <span dir="ltr">{p.reason}</span>
                  </li>
                ))}
              </ul>
            )}
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
              <table data-testid="raw-preview" className="raw-preview">
                <caption>{t('import.rawCaption', { count: upload.rows.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{upload.unit === 'line' ? t('import.col.line') : t('import.col.element')}</th>
                    {upload.columns.map((c) => (
                      <th key={c} scope="col" dir="auto">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {upload.rows.map((row) => (
                    <tr key={row.line}>
                      <td className="numeric">{i18n.number(row.line)}</td>
                      {upload.columns.map((c) => (
                        <td key={c} dir="auto" className="cell-clip">
                          {row.cells[c] ?? ''}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="panel" aria-labelledby="import-step-map">
            <h2 id="import-step-map">{t('import.step.map')}</h2>
            <fieldset className="import-modes">
              <legend>{t('import.how')}</legend>
              {upload.presets.map((offer) => (
                <label key={offer.spec}>
                  <input
                    type="radio"
                    name="import-mode"
                    value={offer.spec}
                    checked={mode === offer.spec}
                    onChange={() => {
                      setMode(offer.spec);
                      setKind(offer.kind);
                    }}
                    data-testid={`mode-${offer.spec}`}
                  />{' '}
                  {t('import.usePreset', { tool: offer.toolTitle, source: offer.sourceTitle, kind: offer.kind })}
                </label>
              ))}
              <label>
                <input type="radio" name="import-mode" value="hand" checked={mode === 'hand'} onChange={() => setMode('hand')} data-testid="mode-hand" /> {t('import.byHand')}
              </label>
              <label>
                <input
                  type="radio"
                  name="import-mode"
                  value="json"
                  checked={mode === 'json'}
                  onChange={() => {
                    if (!jsonText) setJsonText(JSON.stringify(handMapping, null, 2));
                    setMode('json');
                  }}
                  data-testid="mode-json"
                />{' '}
                {t('import.byJson')}
              </label>
            </fieldset>
            {upload.presets.length > 0 && mode !== upload.presets[0]!.spec && <p className="muted">{t('import.presetHint', { tool: upload.presets[0]!.toolTitle })}</p>}

            {mode === 'hand' && (
              <>
                <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
                  <table className="mapping-table" data-testid="mapping">
                    <caption>{t('import.mappingCaption', { kind })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('import.col.field')}</th>
                        <th scope="col">{t('import.col.source')}</th>
                        <th scope="col">{t('import.col.detail')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {kindFields.map((field) => {
                        const choice = choices[field.name] ?? { source: { kind: 'none' }, format: 'auto' };
                        const selectValue = choice.source.kind === 'column' ? `column:${choice.source.column}` : choice.source.kind;
                        const labelId = `field-${field.name}`;
                        return (
                          <tr key={field.name} data-field={field.name}>
                            <th scope="row" id={labelId}>
                              <code>{field.name}</code>
                              {field.required && <span className="required"> {t('import.required')}</span>}
                              <div className="muted field-doc" lang="en" dir="ltr">
                                {field.doc}
                              </div>
                            </th>
                            <td>
                              <select
                                aria-labelledby={labelId}
                                value={selectValue}
                                data-testid={`source-${field.name}`}
                                onChange={(event) => {
                                  const v = event.target.value;
                                  setChoice(field.name, { source: v === 'none' ? { kind: 'none' } : v === 'value' ? { kind: 'value', value: '' } : { kind: 'column', column: v.slice('column:'.length) } });
                                }}
                              >
                                <option value="none">{t('import.source.none')}</option>
                                <option value="value">{t('import.source.value')}</option>
                                {upload.columns.map((c) => (
                                  <option key={c} value={`column:${c}`}>
                                    {t('import.source.column', { column: c })}
                                  </option>
                                ))}
                              </select>
                            </td>
                            <td>
                              {choice.source.kind === 'value' &&
                                (field.oneOf ? (
                                  <select aria-label={t('import.valueFor', { field: field.name })} value={choice.source.value} onChange={(event) => setChoice(field.name, { source: { kind: 'value', value: event.target.value } })} data-testid={`value-${field.name}`}>
                                    <option value="">—</option>
                                    {field.oneOf.map((o) => (
                                      <option key={o} value={o}>
                                        {o}
                                      </option>
                                    ))}
                                  </select>
                                ) : (
                                  <input aria-label={t('import.valueFor', { field: field.name })} value={choice.source.value} onChange={(event) => setChoice(field.name, { source: { kind: 'value', value: event.target.value } })} data-testid={`value-${field.name}`} />
                                ))}
                              {choice.source.kind === 'column' && field.type === 'timestamp' && (
                                <select aria-label={t('import.dateFormatFor', { field: field.name })} value={choice.format} onChange={(event) => setChoice(field.name, { format: event.target.value })} data-testid={`format-${field.name}`}>
                                  {(catalogue.data?.dateFormats ?? ['auto']).map((f) => (
                                    <option key={f} value={f}>
                                      {f === 'auto' ? t('import.dateAuto') : f}
                                    </option>
                                  ))}
                                </select>
                              )}
                              {choice.source.kind === 'column' && upload.rows[0] && (
                                <span className="muted sample" dir="auto">
                                  {t('import.sample', { value: cellText(upload.rows[0].cells[choice.source.column]).slice(0, 40) })}
                                </span>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                <form className="controls" onSubmit={(event) => event.preventDefault()}>
                  <label>
                    {t('import.timezone')}
                    <input value={timezone} onChange={(event) => setTimezone(event.target.value)} placeholder={t('import.timezoneDefault')} dir="ltr" data-testid="import-timezone" />
                  </label>
                  <label className="inline">
                    <input type="checkbox" checked={keepUnmapped} onChange={(event) => setKeepUnmapped(event.target.checked)} /> {t('import.keepUnmapped')}
                  </label>
                </form>
              </>
            )}
            {mode === 'json' && (
              <label className="block-label">
                {t('import.jsonLabel')}
                <textarea rows={14} value={jsonText} onChange={(event) => setJsonText(event.target.value)} dir="ltr" spellCheck={false} data-testid="mapping-json" />
                {'invalid' in plan && <span className="field-error">{plan.invalid}</span>}
              </label>
            )}

            <div className="actions">
              <button type="button" onClick={() => call('preview')} disabled={busy !== '' || 'invalid' in plan} data-testid="preview">
                {busy === 'preview' ? t('import.working') : t('import.preview')}
              </button>
              <button type="button" onClick={() => call('dry-run')} disabled={busy !== '' || 'invalid' in plan} data-testid="dry-run">
                {busy === 'dry-run' ? t('import.checking') : t('import.dryRun')}
              </button>
            </div>
            {preview && <PreviewTable preview={preview} unit={upload.unit} />}
          </section>

          {dryRunFresh && (
            <section className="panel" aria-labelledby="import-step-check" data-testid="dry-run-result">
              <h2 id="import-step-check">{t('import.step.check')}</h2>
              <Counts summary={dryRunFresh} />
              <Warnings summary={dryRunFresh} />
              {dryRunFresh.rejected > 0 ? <Rejects summary={dryRunFresh} /> : <p data-testid="no-rejects">{t('import.noRejects')}</p>}
              <div className="actions">
                <button type="button" className="primary" onClick={() => call('commit')} disabled={busy !== ''} data-testid="commit">
                  {busy === 'commit' ? t('import.importing') : t('import.commit', { count: dryRunFresh.inserted + dryRunFresh.updated + dryRunFresh.unchanged })}
                </button>
              </div>
            </section>
          )}
          {dryRun && !dryRunFresh && <p className="muted">{t('import.dryRunStale')}</p>}

          {latest && (
            <section className="panel" aria-labelledby="import-step-done" data-testid="commit-result" aria-live="polite">
              <h2 id="import-step-done">{t('import.step.done')}</h2>
              <Counts summary={latest} />
              {committed.length > 1 && latest.inserted === 0 && latest.updated === 0 && <p data-testid="unchanged-note">{t('import.againUnchanged')}</p>}
              <Warnings summary={latest} />
              {latest.rejected > 0 && <Rejects summary={latest} />}
            </section>
          )}
        </>
      )}
    </>
  );
}

function Counts({ summary }: { summary: ImportSummaryJson }) {
  const i18n = useI18n();
  const { t } = i18n;
  const items: Array<[string, number]> = [
    ['rows', summary.rows],
    ['inserted', summary.inserted],
    ['updated', summary.updated],
    ['unchanged', summary.unchanged],
    ['rejected', summary.rejected],
    ...(summary.skipped > 0 ? ([['skipped', summary.skipped]] as Array<[string, number]>) : []),
  ];
  return (
    <>
      <p>{summary.dryRun ? t('import.dryRunSays', { preset: summary.preset ?? '' }) : t('import.committedSays', { seconds: i18n.number(summary.seconds, { maximumFractionDigits: 1 }) })}</p>
      <dl className="counts" data-testid={summary.dryRun ? 'dry-counts' : 'commit-counts'}>
        {items.map(([name, value]) => (
          <div key={name} className={`count count-${name}`} data-count={name}>
            <dt>{t(`import.count.${name}` as 'import.count.rows', { dry: summary.dryRun ? 'yes' : 'no' })}</dt>
            <dd data-value={value}>{i18n.number(value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function Warnings({ summary }: { summary: ImportSummaryJson }) {
  const { t } = useI18n();
  if (summary.warnings.length === 0) return null;
  return (
    <>
      <h3>{t('import.warnings')}</h3>
      <ul className="import-warnings">
        {summary.warnings.map((w) => (
          <li key={w} dir="ltr" lang="en">
            {w}
          </li>
        ))}
      </ul>
    </>
  );
}

function Rejects({ summary }: { summary: ImportSummaryJson }) {
  const i18n = useI18n();
  const { t } = i18n;
  const shown = summary.firstRejects;
  return (
    <>
      <p>{t('import.rejectsShown', { shown: shown.length, total: summary.rejected })}</p>
      <DataTable<RowProblemJson>
        caption={t('import.rejectsCaption')}
        fileName={`rejects-${summary.name}`}
        testId="rejects"
        rows={shown}
        rowKey={(r, i) => `${r.line}-${r.column}-${i}`}
        columns={[
          { header: summary.unit === 'line' ? t('import.col.line') : t('import.col.element'), cell: (r) => i18n.number(r.line), value: (r) => r.line, numeric: true },
          { header: t('import.col.column'), cell: (r) => <span dir="auto">{r.column}</span>, value: (r) => r.column },
          { header: t('import.col.field'), cell: (r) => <code>{r.field}</code>, value: (r) => r.field },
          { header: t('import.col.value'), cell: (r) => <span dir="auto">{r.value}</span>, value: (r) => r.value },
          { header: t('import.col.reason'), cell: (r) => <span dir="ltr" lang="en">{r.reason}</span>, value: (r) => r.reason },
        ]}
      />
    </>
  );
}

function PreviewTable({ preview, unit }: { preview: ImportPreview; unit: 'line' | 'element' }) {
  const i18n = useI18n();
  const { t } = i18n;
  const fields = preview.fields.filter((f) => f !== 'attributes');
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
      <table data-testid="mapped-preview">
        <caption>{t('import.previewCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{unit === 'line' ? t('import.col.line') : t('import.col.element')}</th>
            <th scope="col">{t('import.col.status')}</th>
            {fields.map((f) => (
              <th key={f} scope="col">
                <code>{f}</code>
              </th>
            ))}
            <th scope="col">
              <code>attributes</code>
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, index) => (
            <tr key={`${row.line}-${index}`} className={row.ok ? undefined : 'row-bad'}>
              <td className="numeric">{i18n.number(row.line)}</td>
              <td>{row.ok ? t('import.rowOk') : t('import.rowBad')}</td>
              {row.ok ? (
                <>
                  {fields.map((f) => (
                    <td key={f} dir="auto" className="cell-clip">
                      {cellText(row.values?.[f])}
                    </td>
                  ))}
                  <td dir="ltr" className="cell-clip">
                    {cellText(row.values?.attributes)}
                  </td>
                </>
              ) : (
                <td colSpan={fields.length + 1}>
                  <ul className="problems">
                    {row.problems?.map((p, i) => (
                      <li key={i}>
                        <code>{p.field || '—'}</code> <span dir="auto">{p.column}</span>: <span dir="ltr" lang="en">{p.reason}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

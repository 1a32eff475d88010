import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Empty, Failure, Loading } from '../components/Status.tsx';
import { formatInterval, formatValue } from '../format.ts';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { metricTitle } from '../metric-labels.ts';
import type { Unit } from '../types.ts';

/** The shapes GET /api/v1/alert-rules and /api/v1/alerts answer with (src/http/routes/alerts.ts). */
interface RuleJson {
  id: number;
  name: string;
  kind: 'threshold' | 'drop' | 'frt_sla' | 'churn' | 'response' | 'theme';
  metric: string | null;
  params: Record<string, unknown>;
  channels: Array<{ type: 'email' | 'slack' | 'webhook'; target: string; to?: string[]; url?: string }>;
  cooldownMinutes: number;
  enabled: boolean;
}
interface AlertJson {
  id: number;
  ruleName: string;
  kind: string;
  period: string | null;
  figure: Record<string, unknown> & { value?: number; n?: number; ci?: [number, number] | null; metric?: string; score?: number; comment?: string | null; customer?: string | null; customerName?: string | null; theme?: string; share?: number; previous?: { share?: number } };
  suppressed: boolean;
  firedAt: string;
  deliveries: Array<{ type: string; target: string; status: string }>;
}

const KINDS = ['threshold', 'drop', 'frt_sla', 'churn', 'response', 'theme'] as const;
const METRICS = ['nps', 'csat', 'ces', 'fcr', 'frt', 'aht', 'reopen_rate', 'churn', 'retention', 'enps', 'esat'] as const;
const UNITS: Record<string, Unit> = { nps: 'nps', enps: 'nps', frt: 'seconds', frt_business: 'seconds', aht: 'seconds', resolution_time: 'seconds', first_resolution_time: 'seconds', cost_per_resolution: 'money' };
const unitOf = (metric: string | undefined): Unit => (metric ? (UNITS[metric] ?? 'percent') : 'count');
/** A customer's phrase inside a sentence of the page's language: its own direction, isolated (FSI … PDI). */
const isolate = (text: string) => `\u2068${text}\u2069`;
/** A figure's unit: a theme's share (and its interval) is a percentage. */
const figureUnit = (figure: AlertJson['figure']): Unit => (typeof figure.theme === 'string' ? 'percent' : unitOf(figure.metric));

/** Alert rules (add, edit, disable, delete) and the history of what fired. */
export default function Alerts() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const canWrite = workspace.role !== 'viewer';
  const [version, setVersion] = useState(0);
  const rules = useApi<{ rules: RuleJson[] }>('/api/v1/alert-rules', { workspace: workspace.name, v: version || undefined });
  const history = useApi<{ alerts: AlertJson[] }>('/api/v1/alerts', { workspace: workspace.name, limit: 100, v: version || undefined });
  const [editing, setEditing] = useState<RuleJson | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const dateTime = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' });

  const act = async (path: string, method: 'PATCH' | 'DELETE', body?: unknown) => {
    try {
      await api(path, { method, query: { workspace: workspace.name }, body });
      setVersion((v) => v + 1);
    } catch (error) {
      setFailure(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };

  const describe = (rule: RuleJson): string => {
    const p = rule.params;
    const metric = rule.metric ? metricTitle(i18n, rule.metric) : '';
    switch (rule.kind) {
      case 'threshold':
        return t(p.below !== undefined ? 'alerts.describe.below' : 'alerts.describe.above', { metric, level: formatValue(i18n, unitOf(rule.metric ?? undefined), Number(p.below ?? p.above)) });
      case 'drop':
        return t('alerts.describe.drop', { metric });
      case 'frt_sla':
        return t('alerts.describe.frt', { minutes: i18n.number(Number(p.slaMinutes)) });
      case 'churn':
        return t('alerts.describe.churn', { level: formatValue(i18n, 'percent', Number(p.above)) });
      case 'response':
        return t('alerts.describe.response', { kind: String(p.questionKind).toUpperCase(), score: i18n.number(Number(p.maxScore)) });
      case 'theme':
        return typeof p.phrase === 'string' ? t('alerts.describe.themePhrase', { phrase: isolate(p.phrase) }) : t('alerts.describe.theme');
    }
  };

  const ruleColumns: Array<Column<RuleJson>> = [
    { header: t('alerts.column.name'), cell: (r) => <span dir="auto">{r.name}</span>, value: (r) => r.name },
    { header: t('alerts.column.condition'), cell: (r) => describe(r), value: (r) => describe(r) },
    { header: t('alerts.column.channels'), cell: (r) => r.channels.map((c) => `${t(`alerts.channel.${c.type}` as MessageKey)}: ${c.target}`).join('; ') || '–', value: (r) => r.channels.map((c) => c.target).join('; ') },
    { header: t('alerts.column.status'), cell: (r) => (r.enabled ? t('alerts.enabled') : t('alerts.disabled')), value: (r) => String(r.enabled) },
    ...(canWrite
      ? [
          {
            header: t('column.actions'),
            cell: (r: RuleJson) => (
              <span className="row-actions">
                <button type="button" onClick={() => setEditing(r)} data-testid={`edit-rule-${r.id}`}>{t('action.edit')}</button>
                <button type="button" onClick={() => act(`/api/v1/alert-rules/${r.id}`, 'PATCH', { enabled: !r.enabled })} data-testid={`toggle-rule-${r.id}`}>
                  {r.enabled ? t('alerts.disable') : t('alerts.enable')}
                </button>
                <button type="button" className="danger" onClick={() => act(`/api/v1/alert-rules/${r.id}`, 'DELETE')} data-testid={`delete-rule-${r.id}`}>{t('action.delete')}</button>
              </span>
            ),
            value: () => undefined,
          },
        ]
      : []),
  ];

  const figureText = (a: AlertJson): string => {
    const f = a.figure;
    if (typeof f.theme === 'string') return t('alerts.figure.theme', { theme: isolate(f.theme), share: formatValue(i18n, 'percent', f.share ?? null), before: formatValue(i18n, 'percent', f.previous?.share ?? null) });
    if (typeof f.score === 'number') return t('alerts.figure.answer', { customer: f.customerName ?? f.customer ?? t('alerts.figure.anonymous'), score: i18n.number(f.score) });
    return formatValue(i18n, unitOf(f.metric), f.value ?? null);
  };
  const historyColumns: Array<Column<AlertJson>> = [
    { header: t('alerts.column.fired'), cell: (a) => <time dateTime={a.firedAt}>{dateTime.format(new Date(a.firedAt))}</time>, value: (a) => a.firedAt },
    { header: t('alerts.column.rule'), cell: (a) => <span dir="auto">{a.ruleName}</span>, value: (a) => a.ruleName },
    { header: t('alerts.column.period'), cell: (a) => a.period ?? '–', value: (a) => a.period },
    { header: t('alerts.column.figure'), cell: (a) => <span dir={typeof a.figure.theme === 'string' ? undefined : 'auto'} data-testid={`figure-${a.id}`}>{figureText(a)}</span>, value: (a) => figureText(a) },
    { header: t('alerts.column.n'), cell: (a) => (typeof a.figure.n === 'number' ? i18n.number(a.figure.n) : '–'), value: (a) => a.figure.n },
    { header: t('alerts.column.ci'), cell: (a) => (a.figure.ci ? formatInterval(i18n, figureUnit(a.figure), a.figure.ci) : '–'), value: (a) => (a.figure.ci ? a.figure.ci.join(' – ') : '') },
    { header: t('alerts.column.comment'), cell: (a) => (a.figure.comment ? <span dir="auto">{a.figure.comment}</span> : '–'), value: (a) => a.figure.comment },
    {
      header: t('alerts.column.delivered'),
      cell: (a) => (a.suppressed ? t('alerts.suppressed') : a.deliveries.map((d) => `${t(`alerts.channel.${d.type}` as MessageKey)}: ${t(`alerts.status.${d.status}` as MessageKey)}`).join('; ') || '–'),
      value: (a) => (a.suppressed ? 'suppressed' : a.deliveries.map((d) => `${d.type}:${d.status}`).join('; ')),
    },
  ];

  return (
    <>
      <h1>{t('page.alerts')}</h1>
      <p className="lede">{t('alerts.lede')}</p>
      {canWrite ? <RuleForm key={editing?.id ?? 'new'} initial={editing} onSaved={() => { setEditing(null); setVersion((v) => v + 1); }} onCancel={() => setEditing(null)} /> : <p className="muted" data-testid="read-only">{t('alerts.readOnly')}</p>}
      {failure && <Failure error={failure} />}
      {rules.error && <Failure error={rules.error} />}
      {rules.loading && !rules.data && <Loading />}
      {rules.data && rules.data.rules.length === 0 && <Empty title={t('alerts.empty')} />}
      {rules.data && rules.data.rules.length > 0 && <DataTable caption={t('alerts.rulesCaption')} columns={ruleColumns} rows={rules.data.rules} fileName="alert-rules" testId="rules-table" rowKey={(r) => String(r.id)} />}
      <h2>{t('alerts.history')}</h2>
      {history.error && <Failure error={history.error} />}
      {history.data && history.data.alerts.length === 0 && <p className="muted">{t('alerts.historyEmpty')}</p>}
      {history.data && history.data.alerts.length > 0 && <DataTable caption={t('alerts.historyCaption')} columns={historyColumns} rows={history.data.alerts} fileName="alerts" testId="history-table" rowKey={(a) => String(a.id)} />}
    </>
  );
}

function RuleForm({ initial, onSaved, onCancel }: { initial: RuleJson | null; onSaved: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const i18n = useI18n();
  const workspace = useWorkspace();
  const p = initial?.params ?? {};
  const [name, setName] = useState(initial?.name ?? '');
  const [kind, setKind] = useState<RuleJson['kind']>(initial?.kind ?? 'threshold');
  const [metric, setMetric] = useState(initial?.metric ?? 'csat');
  const [period, setPeriod] = useState(String(p.period ?? 'month'));
  const [level, setLevel] = useState(String(p.below ?? p.above ?? p.slaMinutes ?? p.maxScore ?? ''));
  const [questionKind, setQuestionKind] = useState(String(p.questionKind ?? 'nps'));
  const [phrase, setPhrase] = useState(typeof p.phrase === 'string' ? p.phrase : '');
  const [email, setEmail] = useState(initial?.channels.find((c) => c.type === 'email')?.to?.join(', ') ?? '');
  const [slack, setSlack] = useState(initial?.channels.find((c) => c.type === 'slack')?.url ?? '');
  const [cooldown, setCooldown] = useState(String(initial?.cooldownMinutes ?? 1440));
  const [state, setState] = useState<'idle' | 'saving' | ApiError>('idle');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState('saving');
    const value = Number(level);
    const params: Record<string, unknown> =
      kind === 'threshold' ? { period, below: value } : kind === 'drop' ? { period } : kind === 'frt_sla' ? { period, slaMinutes: value } : kind === 'churn' ? { period, above: value } : kind === 'theme' ? { period, ...(phrase.trim() ? { phrase: phrase.trim() } : {}) } : { questionKind, maxScore: value };
    const channels = [
      ...(email.trim() ? [{ type: 'email', to: email.split(',').map((s) => s.trim()).filter(Boolean), language: i18n.locale }] : []),
      ...(slack.trim() ? [{ type: 'slack', url: slack.trim(), language: i18n.locale }] : []),
      // A signed webhook channel is kept as it is (its secret is never shown again).
      ...(initial?.channels.filter((c) => c.type === 'webhook').map((c) => ({ type: 'webhook', url: c.url })) ?? []),
    ];
    const body = { name, kind, metric: kind === 'threshold' || kind === 'drop' ? metric : null, params, channels, cooldownMinutes: Number(cooldown) };
    try {
      if (initial) await api(`/api/v1/alert-rules/${initial.id}`, { method: 'PATCH', query: { workspace: workspace.name }, body });
      else await api('/api/v1/alert-rules', { method: 'POST', query: { workspace: workspace.name }, body });
      setState('idle');
      onSaved();
    } catch (error) {
      setState(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };
  const needsLevel = kind !== 'drop' && kind !== 'theme';
  return (
    <section className="panel" aria-labelledby="rule-form-title">
      <h2 id="rule-form-title">{initial ? t('alerts.editRule') : t('alerts.addRule')}</h2>
      <form className="controls" onSubmit={submit} data-testid="rule-form">
        <label className="grow">
          {t('alerts.field.name')}
          <input required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} data-testid="field-name" />
        </label>
        <label>
          {t('alerts.field.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as RuleJson['kind'])} data-testid="field-kind">
            {KINDS.map((k) => <option key={k} value={k}>{t(`alerts.kind.${k}` as MessageKey)}</option>)}
          </select>
        </label>
        {(kind === 'threshold' || kind === 'drop') && (
          <label>
            {t('alerts.field.metric')}
            <select value={metric} onChange={(e) => setMetric(e.target.value)} data-testid="field-metric">
              {METRICS.map((m) => <option key={m} value={m}>{metricTitle(i18n, m)}</option>)}
            </select>
          </label>
        )}
        {kind === 'response' ? (
          <label>
            {t('alerts.field.questionKind')}
            <select value={questionKind} onChange={(e) => setQuestionKind(e.target.value)} data-testid="field-question-kind">
              {['nps', 'csat', 'ces'].map((k) => <option key={k} value={k}>{k.toUpperCase()}</option>)}
            </select>
          </label>
        ) : (
          <label>
            {t('alerts.field.period')}
            <select value={period} onChange={(e) => setPeriod(e.target.value)} data-testid="field-period">
              {['day', 'week', 'month', 'quarter'].map((x) => <option key={x} value={x}>{t(`alerts.period.${x}` as MessageKey)}</option>)}
            </select>
          </label>
        )}
        {kind === 'theme' && (
          <label className="grow">
            {t('alerts.field.phrase')}
            <input type="text" dir="auto" maxLength={100} value={phrase} onChange={(e) => setPhrase(e.target.value)} data-testid="field-phrase" />
          </label>
        )}
        {needsLevel && (
          <label>
            {t(`alerts.level.${kind}` as MessageKey)}
            <input type="number" step="any" required value={level} onChange={(e) => setLevel(e.target.value)} data-testid="field-level" />
          </label>
        )}
        <label className="grow">
          {t('alerts.field.email')}
          <input type="text" inputMode="email" dir="ltr" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="field-email" />
        </label>
        <label className="grow">
          {t('alerts.field.slack')}
          <input type="url" dir="ltr" value={slack} onChange={(e) => setSlack(e.target.value)} data-testid="field-slack" />
        </label>
        <label>
          {t('alerts.field.cooldown')}
          <input type="number" min={0} max={525600} required value={cooldown} onChange={(e) => setCooldown(e.target.value)} data-testid="field-cooldown" />
        </label>
        <button type="submit" disabled={state === 'saving'} data-testid="save-rule">{t('action.save')}</button>
        {initial && <button type="button" onClick={onCancel}>{t('action.cancel')}</button>}
      </form>
      {state instanceof ApiError && <Failure error={state} />}
    </section>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Failure, Loading } from '../components/Status.tsx';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import type { ApiKeyJson, AuditEntryJson, HookReceiverJson, MemberJson, WorkspaceSettingsJson } from '../types.ts';
import { CaseSettings } from '../components/CaseSettings.tsx';
import { OutgoingWebhooks } from './settings-webhooks.tsx';

/**
 * Settings: the workspace's time zone, business hours, CSAT/CES thresholds and churn window
 * (every member reads them, admins change them); people and roles, API keys, the webhook
 * receivers' secrets, outgoing webhooks (settings-webhooks.tsx) and the audit log (admins). A secret is shown once, when it is made.
 */

const ROLES = ['viewer', 'analyst', 'admin'] as const;
type Role = (typeof ROLES)[number];

function useReload(): [number, () => void] {
  const [version, setVersion] = useState(0);
  return [version, () => setVersion((v) => v + 1)];
}

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, String(e)));

export default function SettingsPage() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const admin = workspace.role === 'admin';
  return (
    <>
      <h1>{t('page.settings')}</h1>
      <p className="lede">{admin ? t('settings.lede.admin') : t('settings.lede.reader')}</p>
      <WorkspaceSettings />
      <CaseSettings />
      {admin ? (
        <>
          <People />
          <ApiKeys />
          <Webhooks />
          <OutgoingWebhooks />
          <AuditLog />
        </>
      ) : (
        <p className="status" role="note">
          {t('settings.adminsOnly')}
        </p>
      )}
    </>
  );
}

function WorkspaceSettings() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const workspace = useWorkspace();
  const [version, reload] = useReload();
  const loaded = useApi<WorkspaceSettingsJson>('/api/v1/workspace-settings', { workspace: workspace.name, v: version });
  const [form, setForm] = useState<WorkspaceSettingsJson>();
  const [state, setState] = useState<'idle' | 'saving' | ApiError | WorkspaceSettingsJson>('idle');
  useEffect(() => {
    if (loaded.data) setForm(loaded.data);
  }, [loaded.data]);
  const editable = workspace.role === 'admin';
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });

  if (loaded.error) return <Failure error={loaded.error} />;
  if (!form) return <Loading />;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setState('saving');
    try {
      const saved = await api<WorkspaceSettingsJson>('/api/v1/workspace-settings', {
        method: 'PATCH',
        query: { workspace: workspace.name },
        body: { timezone: form.timezone, businessHours: form.businessHours, metrics: form.metrics, churnDays: form.churnDays },
      });
      setState(saved);
      reload();
    } catch (e) {
      setState(asApiError(e));
    }
  };
  const setThreshold = (table: 'positiveFrom' | 'easyFrom', scale: string, value: string) =>
    setForm({ ...form, metrics: { ...form.metrics, [table]: { ...form.metrics[table], [scale]: Number(value) } } });
  const toggleDay = (day: number) => {
    const days = form.businessHours.days.includes(day) ? form.businessHours.days.filter((d) => d !== day) : [...form.businessHours.days, day].sort();
    setForm({ ...form, businessHours: { ...form.businessHours, days } });
  };

  return (
    <section className="panel" aria-labelledby="settings-workspace">
      <h2 id="settings-workspace">{t('settings.workspace.title')}</h2>
      <form className="settings-form" onSubmit={save} data-testid="settings-form">
        <fieldset disabled={!editable}>
          <legend>{t('settings.time.legend')}</legend>
          <div className="settings-grid">
            <label>
              {t('settings.timezone')}
              <input list="sada-zones" value={form.timezone} onChange={(e) => setForm({ ...form, timezone: e.target.value })} dir="ltr" data-testid="timezone" required />
              <datalist id="sada-zones">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </label>
            <label>
              {t('settings.opens')}
              <input type="time" value={form.businessHours.opens} onChange={(e) => setForm({ ...form, businessHours: { ...form.businessHours, opens: e.target.value } })} data-testid="opens" />
            </label>
            <label>
              {t('settings.closes')}
              <input type="time" value={form.businessHours.closes} onChange={(e) => setForm({ ...form, businessHours: { ...form.businessHours, closes: e.target.value } })} data-testid="closes" />
            </label>
          </div>
          <fieldset>
            <legend>{t('settings.openDays')}</legend>
            <div className="weekdays">
              {[1, 2, 3, 4, 5, 6, 7].map((day) => (
                <label key={day}>
                  <input type="checkbox" checked={form.businessHours.days.includes(day)} onChange={() => toggleDay(day)} data-testid={`day-${day}`} />
                  {/* 2024-01-01 was a Monday: day 1 */}
                  {weekday.format(new Date(Date.UTC(2024, 0, day)))}
                </label>
              ))}
            </div>
          </fieldset>
          <p className="muted">{t('settings.time.note')}</p>
        </fieldset>
        <fieldset disabled={!editable}>
          <legend>{t('settings.scoring.legend')}</legend>
          <div className="settings-grid">
            {form.scales.map((scale) => (
              <label key={`p-${scale}`}>
                {t('settings.positiveFrom', { scale })}
                <input type="number" min={Number(scale.split('-')[0]) + 1} max={Number(scale.split('-')[1])} value={form.metrics.positiveFrom[scale] ?? ''} onChange={(e) => setThreshold('positiveFrom', scale, e.target.value)} data-testid={`positive-${scale}`} />
              </label>
            ))}
            {form.scales.map((scale) => (
              <label key={`e-${scale}`}>
                {t('settings.easyFrom', { scale })}
                <input type="number" min={Number(scale.split('-')[0]) + 1} max={Number(scale.split('-')[1])} value={form.metrics.easyFrom[scale] ?? ''} onChange={(e) => setThreshold('easyFrom', scale, e.target.value)} data-testid={`easy-${scale}`} />
              </label>
            ))}
            <label>
              {t('settings.cesDirection')}
              <select value={form.metrics.cesHighIsEasy ? 'high' : 'low'} onChange={(e) => setForm({ ...form, metrics: { ...form.metrics, cesHighIsEasy: e.target.value === 'high' } })}>
                <option value="high">{t('settings.cesHighIsEasy')}</option>
                <option value="low">{t('settings.cesLowIsEasy')}</option>
              </select>
            </label>
            <label>
              {t('settings.churnDays')}
              <input type="number" min={7} max={730} value={form.churnDays} onChange={(e) => setForm({ ...form, churnDays: Number(e.target.value) })} data-testid="churn-days" />
            </label>
          </div>
          <p className="muted">{t('settings.scoring.note')}</p>
        </fieldset>
        {editable && (
          <div className="actions">
            <button type="submit" className="primary" disabled={state === 'saving'} data-testid="save-settings">
              {state === 'saving' ? t('settings.saving') : t('settings.save')}
            </button>
          </div>
        )}
        {state instanceof ApiError && <Failure error={state} />}
        {typeof state === 'object' && !(state instanceof ApiError) && (
          <p className="ok-note" role="status" data-testid="settings-saved">
            {state.changed && state.changed.length > 0 ? t('settings.saved', { count: state.changed.length }) : t('settings.nothingChanged')}{' '}
            {state.rebuilt && state.rebuilt.length > 0 && t('settings.rebuilt', { count: state.rebuilt.length })}
          </p>
        )}
      </form>
    </section>
  );
}

function People() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [version, reload] = useReload();
  const members = useApi<{ users: MemberJson[] }>('/api/v1/users', { workspace: workspace.name, v: version });
  const [error, setError] = useState<ApiError>();
  const [draft, setDraft] = useState({ email: '', name: '', password: '', role: 'viewer' as Role });
  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await api('/api/v1/users', { method: 'POST', query: { workspace: workspace.name }, body: { email: draft.email, role: draft.role, ...(draft.name ? { name: draft.name } : {}), ...(draft.password ? { password: draft.password } : {}) } });
      setDraft({ email: '', name: '', password: '', role: 'viewer' });
    });
  };
  return (
    <section className="panel" aria-labelledby="settings-people">
      <h2 id="settings-people">{t('settings.people.title')}</h2>
      {members.error && <Failure error={members.error} />}
      {members.data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
          <table data-testid="people">
            <caption>{t('settings.people.caption', { count: members.data.users.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.col.email')}</th>
                <th scope="col">{t('settings.col.name')}</th>
                <th scope="col">{t('settings.col.role')}</th>
                <th scope="col">{t('settings.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {members.data.users.map((user) => (
                <tr key={user.id}>
                  <td dir="ltr">{user.email}</td>
                  <td dir="auto">{user.name}</td>
                  <td>
                    <select aria-label={t('settings.roleOf', { email: user.email })} value={user.role} onChange={(e) => act(() => api(`/api/v1/users/${user.id}`, { method: 'PATCH', query: { workspace: workspace.name }, body: { role: e.target.value } }))}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button type="button" onClick={() => confirm(t('settings.removeConfirm', { email: user.email })) && act(() => api(`/api/v1/users/${user.id}`, { method: 'DELETE', query: { workspace: workspace.name } }))}>
                      {t('settings.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="controls" onSubmit={add}>
        <label>
          {t('settings.col.email')}
          <input type="email" required value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} dir="ltr" />
        </label>
        <label>
          {t('settings.col.name')}
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label>
          {t('settings.password')}
          <input type="password" autoComplete="new-password" minLength={10} value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />
        </label>
        <label>
          {t('settings.col.role')}
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('settings.addPerson')}</button>
      </form>
      <p className="muted">{t('settings.people.note')}</p>
      {error && <Failure error={error} />}
    </section>
  );
}

function ApiKeys() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const [version, reload] = useReload();
  const keys = useApi<{ keys: ApiKeyJson[] }>('/api/v1/api-keys', { workspace: workspace.name, v: version });
  const [error, setError] = useState<ApiError>();
  const [draft, setDraft] = useState({ name: '', role: 'analyst' as Role });
  const [secret, setSecret] = useState<{ name: string; secret: string }>();
  const date = (iso: string | null) => (iso ? new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—');
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const made = await api<{ key: ApiKeyJson; secret: string }>('/api/v1/api-keys', { method: 'POST', query: { workspace: workspace.name }, body: draft });
      setSecret({ name: made.key.name, secret: made.secret });
      setDraft({ name: '', role: 'analyst' });
      reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const revoke = async (key: ApiKeyJson) => {
    if (!confirm(t('settings.keys.revokeConfirm', { name: key.name }))) return;
    try {
      await api(`/api/v1/api-keys/${key.id}`, { method: 'DELETE', query: { workspace: workspace.name } });
      reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <section className="panel" aria-labelledby="settings-keys">
      <h2 id="settings-keys">{t('settings.keys.title')}</h2>
      {keys.error && <Failure error={keys.error} />}
      {secret && (
        <div className="secret-once" role="status" data-testid="key-secret">
          <p>{t('settings.secretOnce', { name: secret.name })}</p>
          <code dir="ltr">{secret.secret}</code>
        </div>
      )}
      {keys.data && keys.data.keys.length === 0 && <p className="muted">{t('settings.keys.none')}</p>}
      {keys.data && keys.data.keys.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
          <table data-testid="api-keys">
            <caption>{t('settings.keys.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.col.name')}</th>
                <th scope="col">{t('settings.col.role')}</th>
                <th scope="col">{t('settings.col.prefix')}</th>
                <th scope="col">{t('settings.col.created')}</th>
                <th scope="col">{t('settings.col.lastUsed')}</th>
                <th scope="col">{t('settings.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.keys.map((key) => (
                <tr key={key.id}>
                  <td dir="auto">{key.name}</td>
                  <td>{t(`role.${key.role}` as MessageKey)}</td>
                  <td dir="ltr">
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{date(key.createdAt)}</td>
                  <td>{date(key.lastUsedAt)}</td>
                  <td>{key.revokedAt ? t('settings.keys.revoked', { date: date(key.revokedAt) }) : <button type="button" onClick={() => revoke(key)}>{t('settings.keys.revoke')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="controls" onSubmit={create}>
        <label>
          {t('settings.keys.name')}
          <input required maxLength={100} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="key-name" />
        </label>
        <label>
          {t('settings.col.role')}
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="create-key">
          {t('settings.keys.create')}
        </button>
      </form>
      {error && <Failure error={error} />}
    </section>
  );
}

function Webhooks() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [version, reload] = useReload();
  const receivers = useApi<{ receivers: HookReceiverJson[] }>('/api/v1/hook-receivers', { workspace: workspace.name, v: version });
  const [pasted, setPasted] = useState<Record<string, string>>({});
  const [shown, setShown] = useState<{ tool: string; secret?: string; url: string }>();
  const [error, setError] = useState<ApiError>();
  const setSecret = async (receiver: HookReceiverJson) => {
    setError(undefined);
    try {
      const secret = pasted[receiver.tool]?.trim();
      const result = await api<{ tool: string; url: string; secret?: string }>(`/api/v1/hook-receivers/${receiver.tool}/secret`, { method: 'PUT', query: { workspace: workspace.name }, body: secret ? { secret } : {} });
      setShown(result);
      setPasted({ ...pasted, [receiver.tool]: '' });
      reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <section className="panel" aria-labelledby="settings-hooks">
      <h2 id="settings-hooks">{t('settings.hooks.title')}</h2>
      <p className="muted">{t('settings.hooks.lede')}</p>
      {receivers.error && <Failure error={receivers.error} />}
      {shown && (
        <div className="secret-once" role="status" data-testid="hook-secret">
          {shown.secret ? <p>{t('settings.hooks.madeOnce', { tool: shown.tool })}</p> : <p>{t('settings.hooks.stored', { tool: shown.tool })}</p>}
          {shown.secret && (
            <p>
              <code dir="ltr">{shown.secret}</code>
            </p>
          )}
          <p>
            {t('settings.hooks.url')} <code className="url" dir="ltr">{shown.url}</code>
          </p>
        </div>
      )}
      {receivers.data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
          <table data-testid="hooks">
            <caption>{t('settings.hooks.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.col.tool')}</th>
                <th scope="col">{t('settings.hooks.url')}</th>
                <th scope="col">{t('settings.col.secret')}</th>
                <th scope="col">{t('settings.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {receivers.data.receivers.map((r) => (
                <tr key={r.tool} data-tool={r.tool}>
                  <th scope="row">{r.title}</th>
                  <td>
                    <code className="url" dir="ltr">
                      {r.url}
                    </code>
                  </td>
                  <td data-testid={`secret-state-${r.tool}`}>{r.secretSet ? t('settings.hooks.set') : t('settings.hooks.notSet')}</td>
                  <td>
                    {r.secretFrom === 'tool' ? (
                      <form
                        className="inline-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void setSecret(r);
                        }}
                      >
                        <input type="password" autoComplete="off" minLength={8} required aria-label={t('settings.hooks.pasteLabel', { tool: r.title })} value={pasted[r.tool] ?? ''} onChange={(e) => setPasted({ ...pasted, [r.tool]: e.target.value })} dir="ltr" />{' '}
                        <button type="submit">{r.secretSet ? t('settings.hooks.replace') : t('settings.hooks.save')}</button>
                      </form>
                    ) : (
                      <button type="button" onClick={() => setSecret(r)} data-testid={`make-secret-${r.tool}`}>
                        {r.secretSet ? t('settings.hooks.rotate') : t('settings.hooks.make')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && <Failure error={error} />}
    </section>
  );
}

function AuditLog() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const log = useApi<{ entries: AuditEntryJson[] }>('/api/v1/audit', { workspace: workspace.name, limit: 200 });
  const date = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <section className="panel" aria-labelledby="settings-audit">
      <h2 id="settings-audit">{t('settings.audit.title')}</h2>
      {log.error && <Failure error={log.error} />}
      {log.loading && !log.data && <Loading />}
      {log.data && (
        <DataTable<AuditEntryJson>
          caption={t('settings.audit.caption', { count: log.data.entries.length })}
          fileName={`audit-${workspace.name}`}
          testId="audit"
          rows={log.data.entries}
          rowKey={(e) => String(e.id)}
          columns={[
            { header: t('settings.col.when'), cell: (e) => date.format(new Date(e.at)), value: (e) => e.at },
            { header: t('settings.col.who'), cell: (e) => <span dir="ltr">{e.actor.label}</span>, value: (e) => e.actor.label },
            { header: t('settings.col.action'), cell: (e) => <code>{e.action}</code>, value: (e) => e.action },
            { header: t('settings.col.target'), cell: (e) => <span dir="ltr">{e.target ?? ''}</span>, value: (e) => e.target ?? '' },
            { header: t('settings.col.details'), cell: (e) => <span dir="ltr" className="cell-clip">{JSON.stringify(e.details)}</span>, value: (e) => JSON.stringify(e.details) },
          ]}
        />
      )}
    </section>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import type { CaseSettings as CaseSettingsJson } from '../../../domain/cases.ts';
import type { CaseOwner } from '../../../storage/cases.ts';
import { api, ApiError } from '../api.ts';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { Failure } from './Status.tsx';

/**
 * The closed loop's settings (docs/cases.md), on the Settings page: which answers open a case,
 * the SLA and who new cases go to. Everyone reads them; admins save them through
 * PATCH /api/v1/workspace-settings, audited like the other settings.
 */
export function CaseSettings() {
  const i18n = useI18n();
  const { t } = i18n;
  const workspace = useWorkspace();
  const editable = workspace.role === 'admin';
  const [version, setVersion] = useState(0);
  const loaded = useApi<{ cases: CaseSettingsJson }>('/api/v1/workspace-settings', { workspace: workspace.name, v: version || undefined });
  const owners = useApi<{ owners: CaseOwner[] }>('/api/v1/cases', { workspace: workspace.name, limit: 1 });
  const [form, setForm] = useState<CaseSettingsJson | null>(null);
  const [state, setState] = useState<'idle' | 'saving' | { changed: number } | ApiError>('idle');
  useEffect(() => {
    if (loaded.data) setForm(loaded.data.cases);
  }, [loaded.data]);
  if (!form) return null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setState('saving');
    try {
      const saved = await api<{ changed: string[] }>('/api/v1/workspace-settings', { method: 'PATCH', query: { workspace: workspace.name }, body: { cases: form } });
      setState({ changed: saved.changed.length });
      setVersion((v) => v + 1);
    } catch (error) {
      setState(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };
  const box = (key: 'csatBottomBox' | 'cesBottomBox', label: string) => (
    <label>
      {label}
      <select value={form.rule[key] ?? ''} onChange={(e) => setForm({ ...form, rule: { ...form.rule, [key]: e.target.value === '' ? null : Number(e.target.value) } })} data-testid={`case-rule-${key}`}>
        <option value="">{t('cases.settings.off')}</option>
        {[1, 2, 3].map((n) => (
          <option key={n} value={n}>{t('cases.settings.points', { n })}</option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="panel" aria-labelledby="settings-cases">
      <h2 id="settings-cases">{t('cases.settings.title')}</h2>
      <form className="settings-form" onSubmit={save} data-testid="case-settings-form">
        <fieldset disabled={!editable}>
          <legend>{t('cases.settings.title')}</legend>
          <label className="checkbox-row">
            <span>
              <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} data-testid="case-enabled" /> {t('cases.settings.enabled')}
            </span>
          </label>
          <div className="settings-grid">
            <label>
              {t('cases.settings.npsAtMost')}
              <select value={form.rule.npsAtMost ?? ''} onChange={(e) => setForm({ ...form, rule: { ...form.rule, npsAtMost: e.target.value === '' ? null : Number(e.target.value) } })} data-testid="case-rule-npsAtMost">
                <option value="">{t('cases.settings.off')}</option>
                {[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
                  <option key={n} value={n}>{i18n.number(n)}</option>
                ))}
              </select>
            </label>
            {box('csatBottomBox', t('cases.settings.csatBottomBox'))}
            {box('cesBottomBox', t('cases.settings.cesBottomBox'))}
            <label>
              {t('cases.settings.slaHours')}
              <input type="number" min={1} max={2160} required value={form.slaHours} onChange={(e) => setForm({ ...form, slaHours: Number(e.target.value) })} data-testid="case-sla-hours" />
            </label>
            <label>
              {t('cases.settings.owner')}
              <select value={form.ownerUserId ?? ''} onChange={(e) => setForm({ ...form, ownerUserId: e.target.value === '' ? null : Number(e.target.value) })} data-testid="case-default-owner">
                <option value="">{t('cases.owner.none')}</option>
                {(owners.data?.owners ?? []).map((o) => (
                  <option key={o.id} value={o.id}>{o.name || o.email}</option>
                ))}
              </select>
            </label>
          </div>
          <p className="muted">{t('cases.settings.note')}</p>
        </fieldset>
        {editable && (
          <div className="actions">
            <button type="submit" className="primary" disabled={state === 'saving'} data-testid="save-case-settings">
              {state === 'saving' ? t('settings.saving') : t('settings.save')}
            </button>
          </div>
        )}
        {state instanceof ApiError && <Failure error={state} />}
        {typeof state === 'object' && !(state instanceof ApiError) && (
          <p className="ok-note" role="status" data-testid="case-settings-saved">
            {state.changed > 0 ? t('settings.saved', { count: state.changed }) : t('settings.nothingChanged')}
          </p>
        )}
      </form>
    </section>
  );
}

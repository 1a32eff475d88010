import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { Failure, Loading } from '../components/Status.tsx';
import { useApi, useWorkspace } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import type { Webhook, WebhookDelivery } from '../../../storage/webhooks.ts';

/**
 * Settings → Outgoing webhooks (admins; docs/webhooks.md): the workspace's endpoints, a form to
 * add one, its signing secret shown once (after creation or rotation, like an API key's),
 * enable/disable, rotate, delete; each endpoint's delivery log with Resend. The server's 400
 * messages (an invalid or refused URL) are shown as they are: they say what to change. The last
 * error of a delivery holds the receiver's own answer: hostile text, rendered as text only.
 */

const EVENTS = [
  { name: 'response.created', label: 'settings.outhooks.event.created' },
  { name: 'response.completed', label: 'settings.outhooks.event.completed' },
] as const satisfies ReadonlyArray<{ name: string; label: MessageKey }>;

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, String(e)));

function useDates() {
  const { locale } = useI18n();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  return {
    at: (iso: string) => date.format(new Date(iso)),
    /** "in 4 minutes", "in 2 hours", "1 minute ago" in the reader's language. */
    fromNow: (iso: string) => {
      const minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60_000);
      return Math.abs(minutes) < 90 ? relative.format(minutes, 'minute') : relative.format(Math.round(minutes / 60), 'hour');
    },
  };
}

export function OutgoingWebhooks() {
  const { t } = useI18n();
  const dates = useDates();
  const workspace = useWorkspace();
  const query = { workspace: workspace.name };
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const hooks = useApi<{ webhooks: Webhook[] }>('/api/v1/webhooks', { ...query, v: version });
  const [draft, setDraft] = useState<{ url: string; events: string[] }>({ url: '', events: EVENTS.map((e) => e.name) });
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [logOf, setLogOf] = useState<number>();

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    setAdding(true);
    setSecret(undefined);
    await act(async () => {
      const made = await api<{ webhook: Webhook; secret: string }>('/api/v1/webhooks', { method: 'POST', query, body: { url: draft.url, events: draft.events } });
      setSecret({ url: made.webhook.url, secret: made.secret });
      setDraft({ url: '', events: EVENTS.map((e) => e.name) });
    });
    setAdding(false);
  };
  const patch = (hook: Webhook, body: Record<string, unknown>) => api<{ webhook: Webhook; secret?: string }>(`/api/v1/webhooks/${hook.id}`, { method: 'PATCH', query, body });
  const rotate = (hook: Webhook) => {
    if (!confirm(t('settings.outhooks.rotateConfirm', { url: hook.url }))) return;
    setSecret(undefined);
    void act(async () => {
      const changed = await patch(hook, { rotateSecret: true });
      if (changed.secret) setSecret({ url: changed.webhook.url, secret: changed.secret });
    });
  };
  const remove = (hook: Webhook) => {
    if (!confirm(t('settings.outhooks.deleteConfirm', { url: hook.url }))) return;
    void act(async () => {
      await api(`/api/v1/webhooks/${hook.id}`, { method: 'DELETE', query });
      if (logOf === hook.id) setLogOf(undefined);
      if (secret?.url === hook.url) setSecret(undefined);
    });
  };
  const toggleEvent = (name: string) =>
    setDraft({ ...draft, events: draft.events.includes(name) ? draft.events.filter((e) => e !== name) : EVENTS.map((e) => e.name).filter((e) => e === name || draft.events.includes(e)) });

  const list = hooks.data?.webhooks;
  const shownLog = list?.find((h) => h.id === logOf);
  return (
    <section className="panel" aria-labelledby="settings-outhooks" data-testid="outgoing-webhooks">
      <h2 id="settings-outhooks">{t('settings.outhooks.title')}</h2>
      <p className="muted">{t('settings.outhooks.lede')}</p>
      {hooks.error && <Failure error={hooks.error} />}
      {hooks.loading && !list && <Loading />}
      {secret && (
        <div className="secret-once" role="status" data-testid="webhook-secret">
          <p>{t('settings.outhooks.secretOnce')}</p>
          <p>
            <code className="url" dir="ltr">
              {secret.url}
            </code>
          </p>
          <code dir="ltr">{secret.secret}</code>
        </div>
      )}
      {list && list.length === 0 && <p className="muted">{t('settings.outhooks.none')}</p>}
      {list && list.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
          <table data-testid="webhooks">
            <caption>{t('settings.outhooks.caption', { count: list.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.outhooks.col.url')}</th>
                <th scope="col">{t('settings.outhooks.col.events')}</th>
                <th scope="col">{t('settings.outhooks.col.state')}</th>
                <th scope="col">{t('settings.outhooks.col.created')}</th>
                <th scope="col">{t('settings.outhooks.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((hook) => (
                <tr key={hook.id} data-webhook={hook.id}>
                  <th scope="row">
                    <code className="url" dir="ltr" data-testid="webhook-url">
                      {hook.url}
                    </code>
                  </th>
                  <td data-testid="webhook-events">
                    {hook.events.map((e, i) => (
                      <span key={e}>
                        {i > 0 && ' '}
                        <code dir="ltr">{e}</code>
                      </span>
                    ))}
                  </td>
                  <td data-testid="webhook-state">{hook.enabled ? t('settings.outhooks.on') : t('settings.outhooks.off')}</td>
                  <td>{dates.at(hook.createdAt)}</td>
                  <td>
                    <div className="actions">
                      <button type="button" aria-expanded={logOf === hook.id} onClick={() => setLogOf(logOf === hook.id ? undefined : hook.id)} data-testid="webhook-log">
                        {t('settings.outhooks.showLog')}
                      </button>
                      <button type="button" onClick={() => act(() => patch(hook, { enabled: !hook.enabled }))} data-testid="webhook-toggle">
                        {hook.enabled ? t('settings.outhooks.disable') : t('settings.outhooks.enable')}
                      </button>
                      <button type="button" onClick={() => rotate(hook)} data-testid="webhook-rotate">
                        {t('settings.outhooks.rotate')}
                      </button>
                      <button type="button" className="danger" onClick={() => remove(hook)} data-testid="webhook-delete">
                        {t('settings.outhooks.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="controls" onSubmit={add} data-testid="webhook-form">
        <label>
          {t('settings.outhooks.col.url')}
          <input type="url" required maxLength={2048} size={40} placeholder="https://hooks.example.com/sada" value={draft.url} onChange={(e) => setDraft({ ...draft, url: e.target.value })} dir="ltr" data-testid="webhook-new-url" />
        </label>
        <fieldset className="radios">
          <legend>{t('settings.outhooks.eventsLegend')}</legend>
          <div className="weekdays">
            {EVENTS.map((e) => (
              <label key={e.name} className="inline-check">
                <input type="checkbox" checked={draft.events.includes(e.name)} onChange={() => toggleEvent(e.name)} data-testid={`webhook-event-${e.name}`} />
                {t(e.label)} <code dir="ltr">{e.name}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" disabled={adding} data-testid="webhook-add">
          {adding ? t('settings.outhooks.adding') : t('settings.outhooks.add')}
        </button>
      </form>
      {error && <Failure error={error} />}
      {shownLog && <DeliveryLog key={shownLog.id} hook={shownLog} onClose={() => setLogOf(undefined)} />}
    </section>
  );
}

function DeliveryLog({ hook, onClose }: { hook: Webhook; onClose: () => void }) {
  const { t } = useI18n();
  const dates = useDates();
  const workspace = useWorkspace();
  const query = { workspace: workspace.name };
  const [version, setVersion] = useState(0);
  const log = useApi<{ deliveries: WebhookDelivery[] }>(`/api/v1/webhooks/${hook.id}/deliveries`, { ...query, v: version });
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const number = new Intl.NumberFormat(useI18n().locale);
  const resend = async (delivery: WebhookDelivery) => {
    setNote(undefined);
    try {
      await api(`/api/v1/webhook-deliveries/${delivery.id}/resend`, { method: 'POST', query });
      setNote({ ok: true, text: t('settings.outhooks.resent') });
      setVersion((v) => v + 1);
    } catch (e) {
      const error = asApiError(e);
      setNote({ ok: false, text: error.status === 409 ? t('settings.outhooks.busy') : error.message });
    }
  };
  const deliveries = log.data?.deliveries;
  return (
    <section className="delivery-log panel" aria-labelledby="settings-outhooks-log" data-testid="delivery-log">
      <h3 id="settings-outhooks-log">
        {t('settings.outhooks.log.title')}{' '}
        <code className="url" dir="ltr">
          {hook.url}
        </code>
      </h3>
      <div className="actions">
        <button type="button" onClick={() => setVersion((v) => v + 1)} data-testid="delivery-refresh">
          {t('settings.outhooks.log.refresh')}
        </button>
        <button type="button" onClick={onClose}>
          {t('settings.outhooks.log.close')}
        </button>
      </div>
      {note &&
        (note.ok ? (
          <p className="ok-note" role="status" data-testid="delivery-note">
            {note.text}
          </p>
        ) : (
          <div className="status status-error" role="alert" data-testid="delivery-note">
            <span dir="auto">{note.text}</span>
          </div>
        ))}
      {log.error && <Failure error={log.error} />}
      {log.loading && !deliveries && <Loading />}
      {deliveries && deliveries.length === 0 && <p className="muted">{t('settings.outhooks.log.none')}</p>}
      {deliveries && deliveries.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('import.scrollTable')}>
          <table data-testid="deliveries">
            <caption>{t('settings.outhooks.log.caption', { count: deliveries.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.outhooks.col.when')}</th>
                <th scope="col">{t('settings.outhooks.col.event')}</th>
                <th scope="col">{t('settings.outhooks.col.status')}</th>
                <th scope="col">{t('settings.outhooks.col.attempts')}</th>
                <th scope="col">{t('settings.outhooks.col.code')}</th>
                <th scope="col">{t('settings.outhooks.col.error')}</th>
                <th scope="col">{t('settings.outhooks.col.next')}</th>
                <th scope="col">{t('settings.outhooks.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-delivery={d.id} data-status={d.status}>
                  <td className="nowrap">{dates.at(d.createdAt)}</td>
                  <td>
                    <code dir="ltr">{d.event}</code>
                  </td>
                  <td data-testid="delivery-status">{t(`settings.outhooks.status.${d.status}` as MessageKey)}</td>
                  <td data-testid="delivery-attempts">{number.format(d.attempts)}</td>
                  <td data-testid="delivery-code">{d.responseCode === null ? '—' : <span dir="ltr">{d.responseCode}</span>}</td>
                  <td data-testid="delivery-error">
                    {d.lastError === null ? (
                      '—'
                    ) : (
                      <span dir="auto">
                        {d.lastError}
                      </span>
                    )}
                  </td>
                  <td data-testid="delivery-next">{d.nextAttemptAt ? t('settings.outhooks.nextAt', { date: dates.at(d.nextAttemptAt), relative: dates.fromNow(d.nextAttemptAt) }) : '—'}</td>
                  <td>
                    <button type="button" onClick={() => resend(d)} aria-label={t('settings.outhooks.resendLabel', { event: d.event, date: dates.at(d.createdAt) })} data-testid="delivery-resend">
                      {t('settings.outhooks.resend')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

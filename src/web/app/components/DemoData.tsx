import { useState } from 'react';
import { api, ApiError } from '../api.ts';
import { useWorkspace } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { Failure } from './Status.tsx';

/**
 * "Load demo data": fills the workspace with the `sada demo` company (a year of answers,
 * tickets, orders and visits with planted incidents) so every page has something to show.
 * Admins only; the server checks too.
 */
export function DemoDataAction() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [state, setState] = useState<'idle' | 'loading' | ApiError>('idle');
  if (workspace.role !== 'admin') return <p>{t('empty.askAdmin')}</p>;
  const load = async () => {
    setState('loading');
    try {
      await api('/api/v1/demo', { method: 'POST', query: { workspace: workspace.name } });
      location.reload();
    } catch (error) {
      setState(error instanceof ApiError ? error : new ApiError(0, String(error)));
    }
  };
  return (
    <>
      <button type="button" className="primary" onClick={load} disabled={state === 'loading'} data-testid="load-demo">
        {state === 'loading' ? t('demo.loading') : t('demo.load')}
      </button>
      {state instanceof ApiError && <Failure error={state} />}
    </>
  );
}

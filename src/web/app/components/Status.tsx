import type { ReactNode } from 'react';
import { useI18n } from '../i18n.tsx';
import type { ApiError } from '../api.ts';

export function Loading() {
  const { t } = useI18n();
  return <p className="status" role="status">{t('status.loading')}</p>;
}

/** The server's own message: it says what was wrong and what to do. */
export function Failure({ error }: { error: ApiError }) {
  const { t } = useI18n();
  return (
    <div className="status status-error" role="alert">
      <strong>{t('status.error')}</strong> <span dir="auto">{error.message}</span>
    </div>
  );
}

/** An empty state that teaches: what would be here, and how to get it there. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className="empty" data-testid="empty">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

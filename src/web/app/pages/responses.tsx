import { Empty } from '../components/Status.tsx';
import { useI18n } from '../i18n.tsx';

// Placeholder until this page is built (issue 6).
export default function Page() {
  const { t } = useI18n();
  return <Empty title={t('page.responses')} />;
}

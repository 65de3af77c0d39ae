import { EmptyState } from '@atrium/shared';
import { useTranslation } from 'react-i18next';

export function ReleasesPage() {
  const { t } = useTranslation('admin');
  return (
    <section aria-labelledby="admin-releases-title" data-testid="admin-releases">
      <h2 id="admin-releases-title">{t('releases.title')}</h2>
      <EmptyState title={t('releases.empty')} />
    </section>
  );
}

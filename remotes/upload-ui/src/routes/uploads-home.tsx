import type { MountProps } from '@atrium/contracts';
import { EmptyState } from '@atrium/shared';
import { useTranslation } from 'react-i18next';

/** The knowledge base's front door. Uploading and indexing arrive with the knowledge-base work. */
export function UploadsHome(_props: MountProps) {
  const { t } = useTranslation('uploads');
  return (
    <div className="card" data-testid="uploads-home">
      <h1>{t('title')}</h1>
      <EmptyState title={t('emptyTitle')}>{t('emptyBody')}</EmptyState>
    </div>
  );
}

import type { MountProps } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

export function AdminHome(_props: MountProps) {
  const { t } = useTranslation('admin');
  return (
    <div className="card" data-testid="admin-home">
      <h1>{t('title')}</h1>
    </div>
  );
}

import type { MountProps } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { PlansManagement } from '../features/entitlements/components/plans-management.js';

/** `/admin/plans`: users' plans and paid features, changed with a reason (permission `billing:manage`). */
export function PlansPage({ api, locale }: MountProps) {
  const { t } = useTranslation('admin');
  return (
    <section aria-labelledby="admin-plans-title" data-testid="admin-plans">
      <h2 id="admin-plans-title">{t('plans.title')}</h2>
      <PlansManagement api={api} locale={locale} />
    </section>
  );
}

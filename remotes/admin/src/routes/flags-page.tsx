import type { MountProps } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { FlagsManagement } from '../features/flags/components/flags-management.js';

/** `/admin/flags` (`flags:manage`): every feature flag, turned on or off and targeted with a reason. */
export function FlagsPage({ api, events, locale }: MountProps) {
  const { t } = useTranslation('admin');
  return (
    <section aria-labelledby="admin-flags-title" data-testid="admin-flags">
      <h2 id="admin-flags-title">{t('flags.title')}</h2>
      <FlagsManagement api={api} events={events} locale={locale} />
    </section>
  );
}

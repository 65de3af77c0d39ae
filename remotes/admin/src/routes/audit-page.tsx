import type { MountProps } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { AuditLog } from '../features/audit/components/audit-log.js';

/** `/admin/audit?target=&action=`: the filters live in the URL, so a trail can be linked to. */
export function AuditPage({ api, locale }: MountProps) {
  const { t } = useTranslation('admin');
  const [params, setParams] = useSearchParams();
  const filters = { target: params.get('target') ?? '', action: params.get('action') ?? '' };
  return (
    <section aria-labelledby="admin-audit-title" data-testid="admin-audit">
      <h2 id="admin-audit-title">{t('audit.title')}</h2>
      <AuditLog
        api={api}
        locale={locale}
        filters={filters}
        onFiltersChange={(next) =>
          setParams(Object.fromEntries(Object.entries(next).filter(([, value]) => value !== '')))
        }
      />
    </section>
  );
}

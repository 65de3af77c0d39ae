import type { ApiClient, Locale } from '@atrium/contracts';
import { ApiRequestError, Button, EmptyState, ErrorNotice, Spinner } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import type { AuditFilters as Filters } from '../api.js';
import { useAuditLog } from '../hooks/use-audit-log.js';
import { AuditFilters } from './audit-filters.js';
import { AuditTable } from './audit-table.js';

interface AuditLogProps {
  api: ApiClient;
  locale: Locale;
  filters: Filters;
  onFiltersChange(next: Filters): void;
}

export function AuditLog({ api, locale, filters, onFiltersChange }: AuditLogProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const log = useAuditLog(api, filters);
  const firstLoad = log.loading && log.entries.length === 0;
  return (
    <div data-testid="audit-log">
      <AuditFilters key={`${filters.target}|${filters.action}`} filters={filters} onApply={onFiltersChange} />
      {firstLoad ? <Spinner label={t('audit.loading')} /> : null}
      {!log.loading && !log.error && log.entries.length === 0 ? <EmptyState title={t('audit.empty')} /> : null}
      {log.entries.length > 0 ? <AuditTable entries={log.entries} locale={locale} /> : null}
      {log.error instanceof ApiRequestError && log.error.status === 403 ? (
        <ErrorNotice title={t('audit.forbidden')} />
      ) : log.error ? (
        <ErrorNotice title={t('audit.loadFailed')} onRetry={log.reload} retryLabel={t('errors.retry')}>
          {errorMessage(log.error)}
        </ErrorNotice>
      ) : null}
      {log.nextBefore ? (
        <Button variant="secondary" disabled={log.loading} onClick={() => void log.loadOlder()}>
          {t('audit.older')}
        </Button>
      ) : null}
    </div>
  );
}

import { ApiRequestError, ErrorNotice } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';

/** A failed read; a 403 says the role can't see releases instead of offering a pointless retry. */
export function LoadFailure({ title, error, onRetry }: { title: string; error: unknown; onRetry(): void }) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  if (error instanceof ApiRequestError && error.status === 403) {
    return <ErrorNotice title={t('releases.forbidden')} />;
  }
  return (
    <ErrorNotice title={title} onRetry={onRetry} retryLabel={t('errors.retry')}>
      {errorMessage(error)}
    </ErrorNotice>
  );
}

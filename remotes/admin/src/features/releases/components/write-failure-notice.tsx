import { ErrorNotice } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import type { WriteFailure } from '../hooks/use-release-write.js';

/** A refused write; an incompatible contract gets its own heading and the server's explanation. */
export function WriteFailureNotice({ failure }: { failure: WriteFailure }) {
  const { t } = useTranslation('admin');
  return (
    <ErrorNotice title={failure.incompatible ? t('action.incompatible') : t('action.failed')}>
      <span data-testid="write-failure">{failure.message}</span>
    </ErrorNotice>
  );
}

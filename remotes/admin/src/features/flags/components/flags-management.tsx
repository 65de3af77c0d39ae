import type { ApiClient, Locale, ServerEventStream, ToggleFeatureFlagRequest } from '@atrium/contracts';
import { EmptyState, ErrorNotice, Spinner } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { toggleFlag } from '../api.js';
import { useFlags } from '../hooks/use-flags.js';
import { type FlagChange, FlagDialog } from './flag-dialog.js';
import { FlagTable } from './flag-table.js';

interface FlagsManagementProps {
  api: ApiClient;
  events: ServerEventStream;
  locale: Locale;
}

/** The Feature flags page body: the table, the change dialog and what the last change did. */
export function FlagsManagement({ api, events, locale }: FlagsManagementProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const { state, reload } = useFlags(api, events);
  const [change, setChange] = useState<FlagChange | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const open = (next: FlagChange) => {
    setFailure(null);
    setNotice(null);
    setChange(next);
  };

  async function confirm(key: string, body: ToggleFeatureFlagRequest) {
    setPending(true);
    setFailure(null);
    try {
      const flag = await toggleFlag(api, key, body);
      setChange(null);
      setNotice(
        t('flags.changed', {
          flag: flag.key,
          state: flag.enabled ? t('flags.on') : t('flags.off'),
        }),
      );
      reload();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <p className="admin-muted">{t('flags.intro')}</p>
      <p role="status" data-testid="flag-notice">
        {notice}
      </p>
      {state.status === 'loading' ? <Spinner label={t('flags.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('flags.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.flags.length === 0 ? <EmptyState title={t('flags.empty')} /> : null}
      {state.status === 'ready' && state.flags.length > 0 ? (
        <FlagTable
          flags={state.flags}
          users={state.users}
          locale={locale}
          onToggle={(flag) => open({ flag, mode: 'toggle' })}
          onTarget={(flag) => open({ flag, mode: 'target' })}
        />
      ) : null}
      <FlagDialog
        change={change}
        users={state.status === 'ready' ? state.users : []}
        pending={pending}
        failure={failure}
        onConfirm={(key, body) => void confirm(key, body)}
        onCancel={() => setChange(null)}
      />
    </div>
  );
}

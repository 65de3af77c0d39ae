import type { ApiClient, Locale } from '@atrium/contracts';
import { EmptyState, ErrorNotice, Spinner, TableScroll } from '@atrium/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { revokeSession } from '../api.js';
import { useSessions } from '../hooks/use-sessions.js';
import { SessionRow } from './session-row.js';

interface SessionListProps {
  api: ApiClient;
  locale: Locale;
  /** Bumped by the page when something else (a password change) may have ended sessions. */
  version: number;
}

export function SessionList({ api, locale, version }: SessionListProps) {
  const { t } = useTranslation('auth');
  const errorMessage = useErrorMessage();
  const { state, reload } = useSessions(api, version);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
    [locale],
  );

  async function revoke(id: string) {
    setRevoking(id);
    setFailure(null);
    try {
      await revokeSession(api, id);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setRevoking(null);
      reload();
    }
  }

  return (
    <section className="card" aria-labelledby="sessions-title" data-testid="sessions">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      {failure ? <ErrorNotice title={t('sessions.revokeFailed')}>{failure}</ErrorNotice> : null}
      {state.status === 'loading' ? <Spinner label={t('sessions.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('sessions.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.sessions.length === 0 ? <EmptyState title={t('sessions.empty')} /> : null}
      {state.status === 'ready' && state.sessions.length > 0 ? (
        <TableScroll label={t('sessions.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('sessions.device')}</th>
                <th scope="col">{t('sessions.ip')}</th>
                <th scope="col">{t('sessions.created')}</th>
                <th scope="col">{t('sessions.lastSeen')}</th>
                <th scope="col">{t('sessions.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {state.sessions.map((session) => (
                <SessionRow
                  key={session.id}
                  session={session}
                  formatDate={(iso) => dateFormat.format(new Date(iso))}
                  revoking={revoking === session.id}
                  onRevoke={() => void revoke(session.id)}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}

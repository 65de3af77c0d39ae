import type { AccessToken, ApiClient, Locale } from '@atrium/contracts';
import { Button, EmptyState, ErrorNotice, Spinner, TableScroll } from '@atrium/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { revokeAccessToken } from '../api.js';
import { useAccessTokens } from '../hooks/use-access-tokens.js';
import { CreateTokenForm } from './create-token-form.js';

interface AccessTokenListProps {
  api: ApiClient;
  locale: Locale;
  /** The current time, to tell expired tokens apart (ms since the epoch). */
  now?: () => number;
}

function tokenState(token: AccessToken, now: number): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

const stateLabel = {
  active: 'tokens.stateActive',
  expired: 'tokens.stateExpired',
  revoked: 'tokens.stateRevoked',
} as const;

/** The account page's "Access tokens" section: create (shown once), list, revoke. */
export function AccessTokenList({ api, locale, now = Date.now }: AccessTokenListProps) {
  const { t } = useTranslation('auth');
  const errorMessage = useErrorMessage();
  const { state, reload } = useAccessTokens(api);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const dateFormat = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }), [locale]);
  const format = (iso: string | null, empty: string) => (iso ? dateFormat.format(new Date(iso)) : empty);

  async function revoke(id: string) {
    setRevoking(id);
    setFailure(null);
    try {
      await revokeAccessToken(api, id);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setRevoking(null);
      reload();
    }
  }

  return (
    <section className="card" aria-labelledby="tokens-title" data-testid="access-tokens">
      <h2 id="tokens-title">{t('tokens.title')}</h2>
      <p>{t('tokens.intro')}</p>
      <CreateTokenForm api={api} onCreated={reload} />
      {failure ? <ErrorNotice title={t('tokens.revokeFailed')}>{failure}</ErrorNotice> : null}
      {state.status === 'loading' ? <Spinner label={t('tokens.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('tokens.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.tokens.length === 0 ? <EmptyState title={t('tokens.empty')} /> : null}
      {state.status === 'ready' && state.tokens.length > 0 ? (
        <TableScroll label={t('tokens.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.status')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.expires')}</th>
                <th scope="col">{t('tokens.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {state.tokens.map((token) => {
                const status = tokenState(token, now());
                return (
                  <tr key={token.id} data-testid="token-row" data-status={status}>
                    <td>{token.name}</td>
                    <td>{t(stateLabel[status])}</td>
                    <td>{format(token.createdAt, '')}</td>
                    <td>{format(token.lastUsedAt, t('tokens.neverUsed'))}</td>
                    <td>{format(token.expiresAt, t('tokens.never'))}</td>
                    <td>
                      {status === 'active' ? (
                        <Button
                          variant="danger"
                          disabled={revoking === token.id}
                          aria-label={t('tokens.revokeLabel', { name: token.name })}
                          onClick={() => void revoke(token.id)}
                        >
                          {revoking === token.id ? t('tokens.revoking') : t('tokens.revoke')}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}

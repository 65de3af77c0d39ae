import type { ApiClient, Locale } from '@atrium/contracts';
import { Button, EmptyState, ModalDialog, Spinner, TableScroll } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateTime } from '../../../i18n/use-date-time.js';
import { revokeDeployToken } from '../api.js';
import { useDeployTokens } from '../hooks/use-deploy-tokens.js';
import { useReleaseWrite } from '../hooks/use-release-write.js';
import { type CreatedToken, CreateTokenForm } from './create-token-form.js';
import { LoadFailure } from './load-failure.js';
import { TokenSecret } from './token-secret.js';
import { WriteFailureNotice } from './write-failure-notice.js';

type Token = { id: string; name: string; remote: string };

export function DeployTokens({ api, locale }: { api: ApiClient; locale: Locale }) {
  const { t } = useTranslation('admin');
  const formatDate = useDateTime(locale);
  const { state, reload } = useDeployTokens(api);
  const write = useReleaseWrite(reload);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);

  async function revoke(token: Token) {
    if (await write.run(() => revokeDeployToken(api, token.id), t('tokens.revoked', { name: token.name }))) {
      setRevoking(null);
    }
  }

  return (
    <div className="admin-tokens" data-testid="deploy-tokens">
      <p>{t('tokens.intro')}</p>
      <p role="status" className="admin-notice">
        {write.notice}
      </p>
      {created ? (
        <TokenSecret token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          api={api}
          onCreated={(token) => {
            setCreated(token);
            reload();
          }}
        />
      )}
      {state.status === 'loading' ? <Spinner label={t('tokens.loading')} /> : null}
      {state.status === 'failed' ? (
        <LoadFailure title={t('tokens.loadFailed')} error={state.error} onRetry={reload} />
      ) : null}
      {state.status === 'ready' && state.data.length === 0 ? <EmptyState title={t('tokens.empty')} /> : null}
      {state.status === 'ready' && state.data.length > 0 ? (
        <TableScroll label={t('tokens.title')}>
          <table data-testid="token-table">
            <caption className="visually-hidden">{t('tokens.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.remote')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('versions.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((token) => (
                <tr key={token.id} data-testid="token-row" data-revoked={String(token.revokedAt !== null)}>
                  <th scope="row">{token.name}</th>
                  <td>{token.remote}</td>
                  <td>{formatDate(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : t('tokens.never')}</td>
                  <td>
                    {token.revokedAt
                      ? t('tokens.revokedAt', { when: formatDate(token.revokedAt) })
                      : t('tokens.active')}
                  </td>
                  <td>
                    {token.revokedAt ? null : (
                      <Button
                        variant="secondary"
                        disabled={write.pending}
                        aria-label={t('tokens.revokeFor', { name: token.name })}
                        onClick={() => {
                          write.reset();
                          setRevoking(token);
                        }}
                      >
                        {t('tokens.revoke')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <ModalDialog
        className="admin-dialog"
        open={revoking !== null}
        title={t('tokens.revokeTitle', { name: revoking?.name ?? '' })}
        onCancel={() => setRevoking(null)}
      >
        <p>{t('tokens.revokeBody', { remote: revoking?.remote ?? '' })}</p>
        {write.failure ? <WriteFailureNotice failure={write.failure} /> : null}
        <div className="admin-actions">
          <Button variant="secondary" autoFocus onClick={() => setRevoking(null)} disabled={write.pending}>
            {t('action.cancel')}
          </Button>
          <Button variant="danger" disabled={write.pending} onClick={() => revoking && void revoke(revoking)}>
            {t('tokens.confirmRevoke')}
          </Button>
        </div>
      </ModalDialog>
    </div>
  );
}

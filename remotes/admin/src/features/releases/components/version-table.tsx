import type { Locale, Release, RemoteStatus } from '@atrium/contracts';
import { Button, TableScroll } from '@atrium/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActorName } from '../../../i18n/actor-name.js';
import { useDateTime } from '../../../i18n/use-date-time.js';
import { shortSha, versionActions, versionMarks } from '../release-state.js';

export type VersionIntent = { kind: 'promote' | 'canary' | 'yank' | 'rollback'; version: string };

interface VersionTableProps {
  status: RemoteStatus;
  locale: Locale;
  pending: boolean;
  onIntent(intent: VersionIntent): void;
}

export function VersionTable({ status, locale, pending, onIntent }: VersionTableProps) {
  const { t } = useTranslation('admin');
  const formatDate = useDateTime(locale);
  return (
    <TableScroll label={t('versions.title')}>
      <table data-testid="version-table">
        <caption className="visually-hidden">{t('versions.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('versions.version')}</th>
            <th scope="col">{t('versions.contract')}</th>
            <th scope="col">{t('versions.published')}</th>
            <th scope="col">{t('versions.status')}</th>
            <th scope="col">{t('versions.gitSha')}</th>
            <th scope="col">{t('versions.signature')}</th>
            <th scope="col">{t('versions.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {status.versions.map((version) => (
            <VersionRow
              key={version.version}
              release={status.release}
              version={version}
              published={
                <>
                  {formatDate(version.publishedAt)} · <ActorName actor={version.publishedBy} />
                </>
              }
              pending={pending}
              onIntent={onIntent}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

interface VersionRowProps {
  release: Release;
  version: RemoteStatus['versions'][number];
  published: ReactNode;
  pending: boolean;
  onIntent(intent: VersionIntent): void;
}

function VersionRow({ release, version, published, pending, onIntent }: VersionRowProps) {
  const { t } = useTranslation('admin');
  const allowed = versionActions(release, version);
  const marks = versionMarks(release, version.version);
  const open = (kind: VersionIntent['kind']) => () => onIntent({ kind, version: version.version });
  return (
    <tr data-testid={`version-row-${version.version}`} data-status={version.status} data-marks={marks.join(' ')}>
      <th scope="row">
        {version.version}{' '}
        {marks.map((mark) => (
          <span key={mark} className={`admin-badge admin-badge-${mark}`}>
            {t(`versions.mark_${mark}`)}
          </span>
        ))}
      </th>
      <td>
        <code className="admin-nowrap">{version.contract}</code>
      </td>
      <td>{published}</td>
      <td>
        <span className={version.status === 'yanked' ? 'admin-badge admin-badge-danger' : undefined}>
          {t(`versions.${version.status}_status`)}
        </span>
      </td>
      <td>
        {version.gitSha ? <code title={version.gitSha}>{shortSha(version.gitSha)}</code> : '—'}
        {version.gitDirty ? <span className="admin-badge admin-badge-canary">{t('versions.gitDirty')}</span> : null}
      </td>
      <td>
        <SignatureCell signature={version.signature} />
      </td>
      <td>
        <div className="admin-actions">
          {allowed.promote ? (
            <Button variant="secondary" disabled={pending} onClick={open('promote')}>
              {t('versions.promote')}
            </Button>
          ) : null}
          {allowed.canary ? (
            <Button variant="secondary" disabled={pending} onClick={open('canary')}>
              {t('versions.startCanary')}
            </Button>
          ) : null}
          {allowed.yank ? (
            <Button variant="secondary" disabled={pending} onClick={open('yank')}>
              {t('versions.yank')}
            </Button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

/**
 * Signed (by which key), signed by a key revoked since (a warning: with signed releases required
 * the registry refuses to expose it), or unsigned.
 */
function SignatureCell({ signature }: { signature: RemoteStatus['versions'][number]['signature'] }) {
  const { t } = useTranslation('admin');
  if (!signature) {
    return (
      <span className="admin-badge" data-testid="signature-unsigned">
        {t('versions.unsigned')}
      </span>
    );
  }
  const revoked = signature.keyRevokedAt !== null;
  return (
    <span className="admin-nowrap" title={t('versions.signatureKey', { keyId: signature.keyId })}>
      <span
        className={`admin-badge ${revoked ? 'admin-badge-danger' : 'admin-badge-stable'}`}
        data-testid={revoked ? 'signature-revoked' : 'signature-signed'}
      >
        {revoked ? t('versions.signedRevoked') : t('versions.signed')}
      </span>{' '}
      {t('versions.signedBy', { signer: signature.signer })}
    </span>
  );
}

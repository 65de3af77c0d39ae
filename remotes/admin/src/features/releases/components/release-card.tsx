import type { Locale, RemoteStatus } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { wasAutoRolledBack } from '../release-state.js';
import { ReleaseFacts } from './release-facts.js';

interface ReleaseCardProps {
  status: RemoteStatus;
  href: string;
  locale: Locale;
}

export function ReleaseCard({ status, href, locale }: ReleaseCardProps) {
  const { t } = useTranslation('admin');
  const remote = status.release.remote;
  return (
    <li className="admin-release-card" data-testid={`release-row-${remote}`}>
      <h3>
        <Link to={href} aria-label={t('releases.manage', { remote })}>
          {remote}
        </Link>
        {wasAutoRolledBack(status.lastChange) ? (
          <span className="admin-badge admin-badge-danger" data-testid="auto-rolled-back">
            {t('releases.autoRolledBack')}
          </span>
        ) : null}
      </h3>
      <ReleaseFacts status={status} locale={locale} />
    </li>
  );
}

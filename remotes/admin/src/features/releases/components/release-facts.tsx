import type { Locale, RemoteStatus } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { ActorName } from '../../../i18n/actor-name.js';
import { useDateTime } from '../../../i18n/use-date-time.js';
import { CanaryBar } from './canary-bar.js';
import { CanaryHealth } from './canary-health.js';

interface ReleaseFactsProps {
  status: RemoteStatus;
  locale: Locale;
}

/** Where a remote stands: stable, canary and its share, the fallback, canary health, last change. */
export function ReleaseFacts({ status, locale }: ReleaseFactsProps) {
  const { t } = useTranslation('admin');
  const formatDate = useDateTime(locale);
  const { release, canaryHealth } = status;
  return (
    <dl className="admin-facts">
      <dt>{t('releases.stable')}</dt>
      <dd data-testid="release-stable">{release.stable ?? t('releases.none')}</dd>
      <dt>{t('releases.canary')}</dt>
      <dd data-testid="release-canary">
        {release.canary ? (
          <>
            {t('releases.canaryShare', { version: release.canary, percent: release.canaryPercent })}{' '}
            <CanaryBar percent={release.canaryPercent} />
          </>
        ) : (
          t('releases.none')
        )}
      </dd>
      <dt>{t('releases.previous')}</dt>
      <dd data-testid="release-previous">{release.previousStable ?? t('releases.none')}</dd>
      <dt>{t('releases.health')}</dt>
      <dd>
        <CanaryHealth health={canaryHealth} />
      </dd>
      <dt>{t('releases.lastChange')}</dt>
      <dd>
        {release.updatedBy ? (
          <>
            {formatDate(release.updatedAt)} · <ActorName actor={release.updatedBy} />
          </>
        ) : (
          t('releases.never')
        )}
      </dd>
    </dl>
  );
}

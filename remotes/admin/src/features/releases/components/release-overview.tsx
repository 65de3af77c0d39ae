import type { ApiClient, Locale, ServerEventStream } from '@atrium/contracts';
import { Spinner } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { useOverview } from '../hooks/use-overview.js';
import { useReleaseChanged } from '../hooks/use-release-changed.js';
import { LoadFailure } from './load-failure.js';
import { ReleaseCard } from './release-card.js';

interface ReleaseOverviewProps {
  api: ApiClient;
  events: ServerEventStream;
  locale: Locale;
  hrefOf(remote: string): string;
}

export function ReleaseOverview({ api, events, locale, hrefOf }: ReleaseOverviewProps) {
  const { t } = useTranslation('admin');
  const { state, reload } = useOverview(api);
  useReleaseChanged(events, null, reload);

  if (state.status === 'loading') return <Spinner label={t('releases.loading')} />;
  if (state.status === 'failed') {
    return <LoadFailure title={t('releases.loadFailed')} error={state.error} onRetry={reload} />;
  }
  return (
    <>
      <p className="admin-muted">{t('releases.live')}</p>
      <ul className="admin-release-cards" data-testid="release-overview">
        {state.data.map((status) => (
          <ReleaseCard
            key={status.release.remote}
            status={status}
            href={hrefOf(status.release.remote)}
            locale={locale}
          />
        ))}
      </ul>
    </>
  );
}

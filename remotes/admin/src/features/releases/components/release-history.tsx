import type { Locale, ReleaseHistoryEntry } from '@atrium/contracts';
import { Button, EmptyState } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { ActorName } from '../../../i18n/actor-name.js';
import { useDateTime } from '../../../i18n/use-date-time.js';
import { LoadFailure } from './load-failure.js';

interface ReleaseHistoryProps {
  entries: ReleaseHistoryEntry[];
  hasOlder: boolean;
  loading: boolean;
  error: unknown;
  locale: Locale;
  onLoadOlder(): void;
  onRetry(): void;
}

export function ReleaseHistory(props: ReleaseHistoryProps) {
  const { t } = useTranslation('admin');
  const { entries, hasOlder, loading, error, locale } = props;
  const formatDate = useDateTime(locale);
  return (
    <>
      {entries.length === 0 && !loading && !error ? <EmptyState title={t('history.empty')} /> : null}
      <ol className="admin-history" data-testid="release-history">
        {entries.map((entry) => (
          <li key={entry.id} data-action={entry.action} data-automatic={String(entry.automatic)}>
            <div className="admin-history-head">
              <time dateTime={entry.at}>{formatDate(entry.at)}</time>
              <strong>{t(`history.${entry.action}`, { version: entry.version ?? '' })}</strong>
              <span data-testid="history-actor">
                {t('history.by')}{' '}
                {entry.automatic ? (
                  <span className="admin-badge admin-badge-auto">{t('history.automatic')}</span>
                ) : null}
                <ActorName actor={entry.actor} />
              </span>
            </div>
            <div className="admin-muted">
              <StateChange entry={entry} />
            </div>
            <div data-testid="history-reason">{t('history.reason', { reason: entry.reason })}</div>
          </li>
        ))}
      </ol>
      {error ? <LoadFailure title={t('history.loadFailed')} error={error} onRetry={props.onRetry} /> : null}
      {hasOlder ? (
        <Button variant="secondary" disabled={loading} onClick={props.onLoadOlder}>
          {t('history.older')}
        </Button>
      ) : null}
    </>
  );
}

function StateChange({ entry }: { entry: ReleaseHistoryEntry }) {
  const { t } = useTranslation('admin');
  const none = t('releases.none');
  const describe = (state: ReleaseHistoryEntry['from']) =>
    state.canary
      ? t('history.stateCanary', { stable: state.stable ?? none, canary: state.canary, percent: state.canaryPercent })
      : t('history.state', { stable: state.stable ?? none, canary: none });
  return <>{t('history.change', { from: describe(entry.from), to: describe(entry.to) })}</>;
}

import type { ApiClient, Locale, RemoteName, ServerEventStream } from '@atrium/contracts';
import { EmptyState, Spinner } from '@atrium/shared';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { promote, rollback, setCanary, yank } from '../api.js';
import { useReleaseWrite } from '../hooks/use-release-write.js';
import { useRemoteRelease } from '../hooks/use-remote-release.js';
import { CanaryControl } from './canary-control.js';
import { LoadFailure } from './load-failure.js';
import { ReleaseFacts } from './release-facts.js';
import { ReleaseHistory } from './release-history.js';
import { RollbackPanel } from './rollback-panel.js';
import { type ConfirmedIntent, VersionActionDialog } from './version-action-dialog.js';
import { type VersionIntent, VersionTable } from './version-table.js';

interface RemoteReleaseViewProps {
  api: ApiClient;
  events: ServerEventStream;
  remote: RemoteName;
  locale: Locale;
}

export function RemoteReleaseView({ api, events, remote, locale }: RemoteReleaseViewProps) {
  const { t } = useTranslation('admin');
  const { state, history, reload } = useRemoteRelease(api, events, remote);
  const write = useReleaseWrite(reload);
  const [intent, setIntent] = useState<VersionIntent | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);

  // After a change the button that started it may be gone: the outcome takes the focus instead.
  useEffect(() => {
    if (write.notice && intent === null) noticeRef.current?.focus();
  }, [write.notice, intent]);

  function open(next: VersionIntent) {
    write.reset();
    setIntent(next);
  }

  async function confirm({ kind, version, reason, percent }: ConfirmedIntent) {
    const done = await write.run(
      () =>
        kind === 'promote'
          ? promote(api, remote, { version, reason })
          : kind === 'canary'
            ? setCanary(api, remote, { version, percent, reason })
            : kind === 'yank'
              ? yank(api, remote, version, { reason })
              : rollback(api, remote, { version, reason }),
      {
        promote: t('action.promoted', { remote, version }),
        canary: t('action.canaryStarted', { remote, version, percent }),
        yank: t('action.yanked', { remote, version }),
        rollback: t('rollbackPanel.done', { remote, version }),
      }[kind],
    );
    if (done) setIntent(null);
  }

  if (state.status === 'loading') return <Spinner label={t('releases.loading')} />;
  if (state.status === 'failed') {
    return <LoadFailure title={t('releases.loadFailed')} error={state.error} onRetry={reload} />;
  }
  const status = state.data;
  return (
    <div className="admin-release-page" data-testid="remote-release" data-remote={remote}>
      <p role="status" className="admin-notice" ref={noticeRef} tabIndex={-1}>
        {write.notice}
      </p>
      <ReleaseFacts status={status} locale={locale} />

      <h3>{t('versions.title')}</h3>
      {status.versions.length === 0 ? (
        <EmptyState title={t('versions.empty')} />
      ) : (
        <VersionTable status={status} locale={locale} pending={write.pending} onIntent={open} />
      )}

      <h3>{t('canaryControl.title')}</h3>
      <CanaryControl
        key={`${status.release.canary}:${status.release.canaryPercent}`}
        release={status.release}
        pending={write.pending}
        failure={intent ? null : write.failure}
        onApply={({ version, percent, reason }) =>
          write.run(
            () => setCanary(api, remote, { version, percent, reason }),
            t('canaryControl.applied', { remote, version, percent }),
          )
        }
      />

      <h3>{t('rollbackPanel.title')}</h3>
      <RollbackPanel
        status={status}
        pending={write.pending}
        onRollback={(version) => open({ kind: 'rollback', version })}
      />

      <h3>{t('history.title')}</h3>
      <ReleaseHistory
        {...history}
        locale={locale}
        onLoadOlder={() => void history.loadOlder()}
        onRetry={history.reload}
      />

      <VersionActionDialog
        intent={intent}
        release={status.release}
        pending={write.pending}
        failure={write.failure}
        onConfirm={(confirmed) => void confirm(confirmed)}
        onCancel={() => setIntent(null)}
      />
    </div>
  );
}

import type { Release } from '@atrium/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WriteFailure } from '../hooks/use-release-write.js';
import { outcomeOf } from '../release-state.js';
import { ActionDialog } from './action-dialog.js';
import { PercentField, validPercent } from './percent-field.js';
import type { VersionIntent } from './version-table.js';

export interface ConfirmedIntent extends VersionIntent {
  reason: string;
  percent: number;
}

interface VersionActionDialogProps {
  intent: VersionIntent | null;
  release: Release;
  pending: boolean;
  failure: WriteFailure | null;
  onConfirm(confirmed: ConfirmedIntent): void;
  onCancel(): void;
}

const initialCanaryPercent = 5;

/** Names exactly what the registry will do for promote, canary, yank and rollback, then asks why. */
export function VersionActionDialog({
  intent,
  release,
  pending,
  failure,
  onConfirm,
  onCancel,
}: VersionActionDialogProps) {
  const { t } = useTranslation('admin');
  const [percent, setPercent] = useState(initialCanaryPercent);
  const [percentError, setPercentError] = useState<string | null>(null);
  const remote = release.remote;
  const none = t('releases.none');

  const [shownFor, setShownFor] = useState<VersionIntent | null>(null);
  if (intent !== shownFor) {
    setShownFor(intent);
    setPercent(initialCanaryPercent);
    setPercentError(null);
  }

  const kind = intent?.kind ?? 'promote';
  const version = intent?.version ?? '';
  const outcome = outcomeOf(release, kind === 'canary' ? 'promote' : kind, version);
  const cleared = outcome.canaryCleared ? t('action.canaryCleared') : '';
  const from = outcome.fromStable ?? none;
  const copy = {
    promote: {
      title: t('action.promoteTitle', { remote, version }),
      summary: t('action.promoteSummary', { remote, from, to: version }) + cleared,
      confirm: t('action.confirmPromote'),
    },
    canary: {
      title: t('action.canaryTitle', { remote, version }),
      summary: t('action.canarySummary', { remote, version, percent, stable: from }),
      confirm: t('action.confirmCanary'),
    },
    yank: {
      title: t('action.yankTitle', { remote, version }),
      summary: t('action.yankSummary', { remote, version }) + cleared,
      confirm: t('action.confirmYank'),
    },
    rollback: {
      title: t('rollbackPanel.dialogTitle', { remote }),
      summary: t('rollbackPanel.summary', { remote, from, to: version }) + cleared,
      confirm: t('rollbackPanel.confirm'),
    },
  }[kind];

  function percentValid() {
    const ok = kind !== 'canary' || validPercent(percent, 1);
    setPercentError(ok ? null : t('action.percentInvalid', { min: 1 }));
    return ok;
  }

  return (
    <ActionDialog
      formKey={`${kind}:${version}`}
      open={intent !== null}
      title={copy.title}
      summary={copy.summary}
      confirmLabel={copy.confirm}
      pending={pending}
      failure={failure}
      valid={percentValid}
      onConfirm={(reason) => intent && onConfirm({ ...intent, reason, percent })}
      onCancel={onCancel}
    >
      {kind === 'canary' ? (
        <PercentField value={percent} min={1} onChange={setPercent} disabled={pending} error={percentError} />
      ) : null}
    </ActionDialog>
  );
}

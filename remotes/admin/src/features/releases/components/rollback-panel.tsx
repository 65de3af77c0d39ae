import type { RemoteStatus } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultRollbackTarget, rollbackTargets } from '../release-state.js';

interface RollbackPanelProps {
  status: RemoteStatus;
  pending: boolean;
  onRollback(version: string): void;
}

/** Back to the previous stable by default, or to any earlier published version. Confirmed in a dialog. */
export function RollbackPanel({ status, pending, onRollback }: RollbackPanelProps) {
  const { t } = useTranslation('admin');
  const selectId = useId();
  const targets = rollbackTargets(status);
  const fallback = defaultRollbackTarget(status);
  const [chosen, setChosen] = useState<string | null>(null);
  const target = chosen && targets.includes(chosen) ? chosen : fallback;
  if (!target) return <p className="admin-muted">{t('rollbackPanel.noTarget')}</p>;
  return (
    <div className="admin-actions admin-rollback">
      <label htmlFor={selectId}>{t('rollbackPanel.target')}</label>
      <select id={selectId} value={target} disabled={pending} onChange={(event) => setChosen(event.target.value)}>
        {targets.map((version) => (
          <option key={version} value={version}>
            {version === status.release.previousStable ? t('rollbackPanel.previousOption', { version }) : version}
          </option>
        ))}
      </select>
      <Button variant="danger" disabled={pending} onClick={() => onRollback(target)}>
        {t('rollbackPanel.rollback')}
      </Button>
    </div>
  );
}

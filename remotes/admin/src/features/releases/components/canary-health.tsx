import type { RemoteStatus } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';
import { canaryHealthState } from '../release-state.js';

export function CanaryHealth({ health }: { health: RemoteStatus['canaryHealth'] }) {
  const { t } = useTranslation('admin');
  const state = canaryHealthState(health);
  if (!health) return <>{t('releases.none')}</>;
  return (
    <span className={`admin-health admin-health-${state}`} data-health={state}>
      {state === 'idle'
        ? t('releases.healthIdle')
        : t('releases.healthCounts', {
            loads: health.loads,
            failures: health.failures,
            minutes: Math.round(health.windowSeconds / 60),
          })}
    </span>
  );
}

import { useTranslation } from 'react-i18next';

export function CanaryBar({ percent }: { percent: number }) {
  const { t } = useTranslation('admin');
  return (
    <meter
      className="admin-canary-bar"
      min={0}
      max={100}
      value={percent}
      aria-label={t('releases.canaryShareLabel', { percent })}
    />
  );
}

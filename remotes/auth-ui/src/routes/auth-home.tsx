import type { MountProps } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

export function AuthHome(_props: MountProps) {
  const { t } = useTranslation('auth');
  return (
    <div className="card" data-testid="auth-home">
      <h1>{t('title')}</h1>
    </div>
  );
}

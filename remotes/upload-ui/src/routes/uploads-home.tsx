import type { MountProps } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

export function UploadsHome(_props: MountProps) {
  const { t } = useTranslation('uploads');
  return (
    <div className="card" data-testid="uploads-home">
      <h1>{t('title')}</h1>
    </div>
  );
}

import type { MountProps } from '@atrium/contracts';
import { EmptyState } from '@atrium/shared';
import { useTranslation } from 'react-i18next';

export function ChatHome(_props: MountProps) {
  const { t } = useTranslation('chat');
  return (
    <div className="card" data-testid="chat-home">
      <h1>{t('title')}</h1>
      <EmptyState title={t('empty')} />
    </div>
  );
}

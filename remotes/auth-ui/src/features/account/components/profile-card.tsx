import type { UserView } from '@atrium/contracts';
import { useTranslation } from 'react-i18next';

export function ProfileCard({ user }: { user: UserView }) {
  const { t } = useTranslation('auth');
  return (
    <section className="card" aria-labelledby="account-profile-title" data-testid="account-profile">
      <h2 id="account-profile-title">{user.displayName}</h2>
      <dl>
        <dt>{t('account.email')}</dt>
        <dd>{user.email}</dd>
        <dt>{t('account.displayName')}</dt>
        <dd>{user.displayName}</dd>
        <dt>{t('account.role')}</dt>
        <dd>{t(`roles.${user.role}`)}</dd>
      </dl>
    </section>
  );
}

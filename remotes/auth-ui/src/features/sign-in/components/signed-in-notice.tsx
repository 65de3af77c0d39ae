import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function SignedInNotice({ email, next }: { email: string; next: string }) {
  const { t } = useTranslation('auth');
  return (
    <div data-testid="signed-in-notice">
      <p>{t('signIn.alreadySignedIn', { email })}</p>
      <Link to={next}>{t('signIn.continue')}</Link>
    </div>
  );
}

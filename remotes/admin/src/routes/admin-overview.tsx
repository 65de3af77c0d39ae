import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function AdminOverview({ basePath, canReadAudit }: { basePath: string; canReadAudit: boolean }) {
  const { t } = useTranslation('admin');
  return (
    <section data-testid="admin-overview">
      <p>{t('overview.intro')}</p>
      <dl>
        <dt>
          <Link to={`${basePath}/users`}>{t('nav.users')}</Link>
        </dt>
        <dd>{t('overview.users')}</dd>
        <dt>
          <Link to={`${basePath}/releases`}>{t('nav.releases')}</Link>
        </dt>
        <dd>{t('overview.releases')}</dd>
        {canReadAudit ? (
          <>
            <dt>
              <Link to={`${basePath}/audit`}>{t('nav.audit')}</Link>
            </dt>
            <dd>{t('overview.audit')}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export type Section =
  | 'approvals'
  | 'users'
  | 'plans'
  | 'releases'
  | 'tools'
  | 'agents'
  | 'flags'
  | 'audit'
  | 'dashboards';

/** The admin area's front page: one card per section, each a link with what it is for. */
export function AdminOverview({ basePath, sections }: { basePath: string; sections: readonly Section[] }) {
  const { t } = useTranslation('admin');
  return (
    <section data-testid="admin-overview" aria-labelledby="admin-overview-intro">
      <p id="admin-overview-intro" className="admin-muted">
        {t('overview.intro')}
      </p>
      <ul className="admin-overview-cards">
        {sections.map((section) => (
          <li key={section} className="admin-overview-card" data-testid={`admin-overview-${section}`}>
            <h2>
              <Link to={`${basePath}/${section}`}>{t(`nav.${section}`)}</Link>
            </h2>
            <p>{t(`overview.${section}`)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

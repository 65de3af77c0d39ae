import { type DocumentAudience, type DocumentStatus, documentAudiences, documentStatuses } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DocumentFilters as Filters, noFilters } from '../api.js';

/** The search applies on submit (no request per key); a status or audience applies when chosen. */
export function DocumentFilters({ filters, onChange }: { filters: Filters; onChange(next: Filters): void }) {
  const { t } = useTranslation('uploads');
  const [q, setQ] = useState(filters.q);
  const searchId = useId();
  const statusId = useId();
  const audienceId = useId();
  useEffect(() => setQ(filters.q), [filters.q]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, q: q.trim() });
  };
  const filtered = filters.q !== '' || filters.status !== '' || filters.audience !== '';

  return (
    <form className="uploads-filters" aria-label={t('list.filters')} onSubmit={submit}>
      <div className="uploads-field uploads-field-search">
        <label htmlFor={searchId}>{t('list.search')}</label>
        <div className="uploads-search-row">
          <input
            id={searchId}
            type="search"
            value={q}
            maxLength={200}
            placeholder={t('list.searchPlaceholder')}
            onChange={(event) => setQ(event.target.value)}
          />
          <Button type="submit" variant="secondary">
            {t('list.apply')}
          </Button>
        </div>
      </div>
      <div className="uploads-field">
        <label htmlFor={statusId}>{t('list.status')}</label>
        <select
          id={statusId}
          value={filters.status}
          onChange={(event) => onChange({ ...filters, q: q.trim(), status: event.target.value as DocumentStatus | '' })}
        >
          <option value="">{t('list.anyStatus')}</option>
          {documentStatuses.map((status) => (
            <option key={status} value={status}>
              {t(`statusName.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="uploads-field">
        <label htmlFor={audienceId}>{t('list.audience')}</label>
        <select
          id={audienceId}
          value={filters.audience}
          onChange={(event) =>
            onChange({ ...filters, q: q.trim(), audience: event.target.value as DocumentAudience | '' })
          }
        >
          <option value="">{t('list.anyAudience')}</option>
          {documentAudiences.map((audience) => (
            <option key={audience} value={audience}>
              {t(`audience.${audience}`)}
            </option>
          ))}
        </select>
      </div>
      {filtered ? (
        <Button variant="secondary" className="uploads-clear" onClick={() => onChange(noFilters)}>
          {t('list.clearFilters')}
        </Button>
      ) : null}
    </form>
  );
}

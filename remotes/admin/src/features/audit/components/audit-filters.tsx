import { auditActions } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actionLabelKey } from '../action-label.js';
import type { AuditFilters as Filters } from '../api.js';

/** Edits a draft; the list changes only when the filters are applied. */
export function AuditFilters({ filters, onApply }: { filters: Filters; onApply(next: Filters): void }) {
  const { t } = useTranslation('admin');
  const [target, setTarget] = useState(filters.target);
  const [action, setAction] = useState(filters.action);

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ target: target.trim(), action });
  }

  return (
    <form className="admin-audit-filters" onSubmit={submit} aria-label={t('audit.filters')}>
      <label>
        {t('audit.target')}
        <input
          type="search"
          value={target}
          placeholder={t('audit.targetPlaceholder')}
          onChange={(event) => setTarget(event.target.value)}
        />
      </label>
      <label>
        {t('audit.action')}
        <select value={action} onChange={(event) => setAction(event.target.value)}>
          <option value="">{t('audit.anyAction')}</option>
          {auditActions.map((value) => (
            <option key={value} value={value}>
              {t(actionLabelKey(value))}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit">{t('audit.apply')}</Button>
    </form>
  );
}

import { type AuditAction, type AuditEntry, auditActions, type Locale } from '@atrium/contracts';
import { TableScroll } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { ActorName } from '../../../i18n/actor-name.js';
import { useDateTime } from '../../../i18n/use-date-time.js';
import { actionLabelKey } from '../action-label.js';

const isKnown = (action: string): action is AuditAction => (auditActions as readonly string[]).includes(action);

export function AuditTable({ entries, locale }: { entries: AuditEntry[]; locale: Locale }) {
  const { t } = useTranslation('admin');
  const formatDate = useDateTime(locale);
  return (
    <TableScroll label={t('audit.title')}>
      <table data-testid="audit-table" className="admin-stacked-table">
        <caption className="visually-hidden">{t('audit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
              <td className="admin-nowrap" data-label={t('audit.at')}>
                <time dateTime={entry.at}>{formatDate(entry.at)}</time>
              </td>
              <td data-testid="audit-actor" data-label={t('audit.actor')}>
                <ActorName actor={entry.actor} />
              </td>
              <td data-label={t('audit.action')}>
                {isKnown(entry.action) ? t(actionLabelKey(entry.action)) : null} <code>{entry.action}</code>
              </td>
              <td data-label={t('audit.target')}>{entry.target ? <code>{entry.target}</code> : '—'}</td>
              <td data-testid="audit-detail" data-label={t('audit.detail')}>
                <Detail entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The reason up front when there is one; the whole record (and its request id) one click away. */
function Detail({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('admin');
  const reason = typeof entry.detail.reason === 'string' ? entry.detail.reason : null;
  return (
    <>
      {reason ? <div>{t('audit.reason', { reason })}</div> : null}
      <details>
        <summary>{t('audit.raw')}</summary>
        <pre className="admin-audit-json">
          {JSON.stringify({ ...entry.detail, requestId: entry.requestId }, null, 2)}
        </pre>
      </details>
    </>
  );
}

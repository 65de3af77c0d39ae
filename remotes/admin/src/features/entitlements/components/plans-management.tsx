import type { ApiClient, Locale } from '@atrium/contracts';
import { Button, EmptyState, ErrorNotice, Spinner, TableScroll } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { useDateTime } from '../../../i18n/use-date-time.js';
import { planChangedAt, reasonPreview } from '../hooks/plan-view.js';
import { type PlanRow, usePlans } from '../hooks/use-plans.js';
import { ChangePlanDialog } from './change-plan-dialog.js';

/** The Plans page body: each user's plan, where it came from, overrides and effective features. */
export function PlansManagement({ api, locale }: { api: ApiClient; locale: Locale }) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const formatDate = useDateTime(locale);
  const { state, reload } = usePlans(api);
  const [editing, setEditing] = useState<PlanRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <p className="admin-muted">{t('plans.intro')}</p>
      <p role="status">{notice}</p>
      {state.status === 'loading' ? <Spinner label={t('plans.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('plans.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.rows.length === 0 ? <EmptyState title={t('plans.empty')} /> : null}
      {state.status === 'ready' && state.rows.length > 0 ? (
        <TableScroll label={t('plans.title')}>
          <table data-testid="plans-table">
            <caption className="visually-hidden">{t('plans.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('plans.user')}</th>
                <th scope="col">{t('plans.plan')}</th>
                <th scope="col">{t('plans.source')}</th>
                <th scope="col">{t('plans.features')}</th>
                <th scope="col">{t('plans.overrides')}</th>
                <th scope="col">{t('plans.updated')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('versions.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.rows.map((row) => {
                const { user, entitlements: e } = row;
                const changedAt = planChangedAt(e);
                return (
                  <tr key={user.id} data-testid="plan-row" data-email={user.email} data-plan={e.plan}>
                    <th scope="row">
                      {user.displayName}
                      <br />
                      <span className="admin-muted">{user.email}</span>
                    </th>
                    <td>{t(`plans.planName_${e.plan}`)}</td>
                    <td>{t(`plans.sourceName_${e.planSource}`)}</td>
                    <td>
                      {e.features.length === 0
                        ? t('plans.noFeatures')
                        : e.features.map((f) => t(`plans.featureName_${f}`)).join(', ')}
                    </td>
                    <td>
                      {e.overrides.length === 0 ? (
                        t('plans.noOverrides')
                      ) : (
                        <ul>
                          {e.overrides.map((o) => {
                            const feature = t(`plans.featureName_${o.feature}`);
                            const full = t(`plans.overrideLine_${o.effect}`, { feature, reason: o.reason });
                            const preview = reasonPreview(o.reason);
                            return (
                              <li key={o.feature} className="admin-plan-override">
                                {preview === null ? (
                                  full
                                ) : (
                                  <details>
                                    <summary title={full}>
                                      {t(`plans.overrideLine_${o.effect}`, { feature, reason: preview })}
                                    </summary>
                                    <p>{o.reason}</p>
                                  </details>
                                )}
                              </li>
                            );
                          })}
                        </ul>
                      )}
                    </td>
                    <td>
                      {changedAt === null ? (
                        <span title={t('plans.neverChanged')}>
                          <span aria-hidden="true">—</span>
                          <span className="visually-hidden">{t('plans.neverChanged')}</span>
                        </span>
                      ) : (
                        formatDate(changedAt)
                      )}
                    </td>
                    <td>
                      <Button
                        variant="secondary"
                        aria-label={t('plans.changeFor', { email: user.email })}
                        onClick={() => {
                          setNotice(null);
                          setEditing(row);
                        }}
                      >
                        {t('plans.change')}
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <ChangePlanDialog
        api={api}
        row={editing}
        onCancel={() => setEditing(null)}
        onSaved={(email) => {
          setEditing(null);
          setNotice(t('plans.saved', { email }));
          reload();
        }}
      />
    </div>
  );
}

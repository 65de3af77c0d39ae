import { type DraftStatus, draftStatuses, type MountProps, type ToolRisk, toolRisks } from '@atrium/contracts';
import { EmptyState } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ApprovalFilters } from '../features/approvals/api.js';
import { ApprovalQueue } from '../features/approvals/components/approval-queue.js';

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | '' =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : '';

/** `/admin/approvals?status=&risk=&tool=`: the filters live in the URL; pending is the default view. */
export function ApprovalsPage({ api, events, locale, session }: MountProps) {
  const { t } = useTranslation('admin');
  const [params, setParams] = useSearchParams();
  if (!session) return <EmptyState title={t('approvals.forbidden')} />;
  const filters: ApprovalFilters = {
    status: params.has('status') ? oneOf<DraftStatus>(draftStatuses, params.get('status')) : 'pending',
    risk: oneOf<ToolRisk>(toolRisks, params.get('risk')),
    tool: params.get('tool') ?? '',
  };
  return (
    <section aria-labelledby="admin-approvals-title" data-testid="admin-approvals">
      <h2 id="admin-approvals-title">{t('approvals.title')}</h2>
      <ApprovalQueue
        api={api}
        events={events}
        locale={locale}
        me={{ id: session.user.id, role: session.user.role }}
        filters={filters}
        onFiltersChange={(next) =>
          setParams({
            status: next.status,
            ...(next.risk ? { risk: next.risk } : {}),
            ...(next.tool ? { tool: next.tool } : {}),
          })
        }
      />
    </section>
  );
}

import {
  type ApiClient,
  type Draft,
  draftStatuses,
  type Locale,
  type ServerEventStream,
  toolRisks,
} from '@atrium/contracts';
import {
  ApiRequestError,
  argumentsForDisplay,
  Button,
  EmptyState,
  ErrorNotice,
  escapeBidiControls,
  nextRowTarget,
  Spinner,
  TableScroll,
} from '@atrium/shared';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActorName } from '../../../i18n/actor-name.js';
import { useErrorMessage } from '../../../i18n/error-message.js';
import type { ApprovalFilters } from '../api.js';
import { useApprovals } from '../hooks/use-approvals.js';
import { ageOf, waitingOn } from '../waiting-on.js';
import { DecisionDialog } from './decision-dialog.js';

interface ApprovalQueueProps {
  api: ApiClient;
  events: ServerEventStream;
  locale: Locale;
  /** The signed-in approver: their own drafts and levels they cannot give show no buttons. */
  me: { id: string; role: string };
  filters: ApprovalFilters;
  onFiltersChange(next: ApprovalFilters): void;
}

/**
 * The approvals queue: filters, each draft's age and who it waits on, approve / reject with a
 * reason; live through `draft.updated`. Arguments (and summary, tool, outcome) show bidi controls
 * escaped (`\u202E`). When the decision dialog closes focus returns to its button, or after a
 * decision took the button away, to the next row's first button, else the table.
 */
export function ApprovalQueue({ api, events, locale, me, filters, onFiltersChange }: ApprovalQueueProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const queue = useApprovals(api, events, filters);
  const [deciding, setDeciding] = useState<{
    draft: Draft;
    decision: 'approve' | 'reject';
    /** Row ids in order when the dialog opened, to find the decided row's place if it is gone. */
    order: string[];
  } | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const firstLoad = queue.loading && queue.drafts.length === 0;
  /** Focus after a decision removed the opener's button: the next row's first button, else the table, else the queue. */
  function focusAfterDecision(): HTMLElement | null {
    const container = root.current;
    if (!container || !deciding) return null;
    const rows = [...container.querySelectorAll<HTMLElement>('tr[data-testid="approval-row"]')].map((row) => ({
      id: row.dataset.draft ?? '',
      control: row.querySelector<HTMLElement>('button:not([disabled])'),
    }));
    return (
      nextRowTarget(rows, deciding.draft.id, deciding.order) ??
      container.querySelector<HTMLElement>('.table-scroll') ??
      container
    );
  }
  return (
    <div data-testid="approval-queue" ref={root} tabIndex={-1}>
      <Filters key={`${filters.status}|${filters.risk}|${filters.tool}`} filters={filters} onApply={onFiltersChange} />
      {firstLoad ? <Spinner label={t('approvals.loading')} /> : null}
      {!queue.loading && !queue.error && queue.drafts.length === 0 ? <EmptyState title={t('approvals.empty')} /> : null}
      {queue.drafts.length > 0 ? (
        <TableScroll label={t('approvals.title')}>
          <table className="admin-stacked-table admin-approvals-table" data-testid="approvals-table">
            <caption className="visually-hidden">{t('approvals.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('approvals.what')}</th>
                <th scope="col">{t('approvals.risk')}</th>
                <th scope="col">{t('approvals.requester')}</th>
                <th scope="col">{t('approvals.age')}</th>
                <th scope="col">{t('approvals.waitingOn')}</th>
                <th scope="col">{t('approvals.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.drafts.map((draft) => (
                <Row
                  key={draft.id}
                  draft={draft}
                  locale={locale}
                  me={me}
                  onDecide={(decision) => setDeciding({ draft, decision, order: queue.drafts.map((d) => d.id) })}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {queue.error instanceof ApiRequestError && queue.error.status === 403 ? (
        <ErrorNotice title={t('approvals.forbidden')} />
      ) : queue.error ? (
        <ErrorNotice title={t('approvals.loadFailed')} onRetry={queue.reload} retryLabel={t('errors.retry')}>
          {errorMessage(queue.error)}
        </ErrorNotice>
      ) : null}
      {queue.nextCursor ? (
        <Button variant="secondary" disabled={queue.loading} onClick={() => void queue.loadMore()}>
          {t('approvals.more')}
        </Button>
      ) : null}
      {deciding ? (
        <DecisionDialog
          api={api}
          draft={deciding.draft}
          decision={deciding.decision}
          onCancel={() => setDeciding(null)}
          fallbackFocus={focusAfterDecision}
          onDone={(draft) => {
            queue.replace(draft);
            setDeciding(null);
          }}
        />
      ) : null}
    </div>
  );
}

function Row({
  draft,
  locale,
  me,
  onDecide,
}: {
  draft: Draft;
  locale: Locale;
  me: { id: string; role: string };
  onDecide(decision: 'approve' | 'reject'): void;
}) {
  const { t } = useTranslation('admin');
  const relative = useMemo(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }), [locale]);
  const age = ageOf(draft.createdAt, Date.now());
  const next = waitingOn(draft);
  const own = draft.requester.kind === 'user' && draft.requester.id === me.id;
  const decidedByMe = draft.levels.some((l) => l.decision?.by.kind === 'user' && l.decision.by.id === me.id);
  const mayDecide = next !== null && !own && !decidedByMe && (next.roles as string[]).includes(me.role);
  return (
    <tr data-testid="approval-row" data-draft={draft.id} data-status={draft.status}>
      <td className="admin-approvals-what" data-label={t('approvals.what')}>
        <strong>{escapeBidiControls(draft.summary)}</strong>
        <div>
          <code>{escapeBidiControls(draft.tool)}</code> · {t(`draftStatus.${draft.status}`)}
        </div>
        <details>
          <summary>{t('approvals.arguments')}</summary>
          <pre className="admin-audit-json">{argumentsForDisplay(draft.arguments)}</pre>
        </details>
        {draft.outcome ? <div data-testid="approval-outcome">{escapeBidiControls(draft.outcome.message)}</div> : null}
      </td>
      <td data-label={t('approvals.risk')}>{t(`risk.${draft.risk}`)}</td>
      <td data-label={t('approvals.requester')}>
        <ActorName actor={draft.requester} />
      </td>
      <td className="admin-nowrap" data-label={t('approvals.age')}>
        <time dateTime={draft.createdAt}>{relative.format(age.value, age.unit)}</time>
      </td>
      <td data-label={t('approvals.waitingOn')} data-testid="approval-waiting">
        {next
          ? t('approvals.levelOf', {
              level: next.level,
              of: next.of,
              roles: next.roles.map((role) => t(`roles.${role}`)).join(t('approvals.or')),
            })
          : '—'}
        <ul className="admin-levels">
          {draft.levels.map((level, index) =>
            level.decision ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: levels are positional and never reorder
              <li key={index}>
                {t(level.decision.approve ? 'approvals.approvedBy' : 'approvals.rejectedBy', { level: index + 1 })}{' '}
                <ActorName actor={level.decision.by} />
                {level.decision.reason ? ` — ${level.decision.reason}` : ''}
              </li>
            ) : null,
          )}
        </ul>
      </td>
      <td data-label={t('approvals.actions')}>
        {mayDecide ? (
          <div className="admin-actions">
            <Button
              onClick={() => onDecide('approve')}
              aria-label={t('approvals.approveLabel', { what: escapeBidiControls(draft.summary) })}
            >
              {t('approvals.approve')}
            </Button>
            <Button
              variant="danger"
              onClick={() => onDecide('reject')}
              aria-label={t('approvals.rejectLabel', { what: escapeBidiControls(draft.summary) })}
            >
              {t('approvals.reject')}
            </Button>
          </div>
        ) : own && next ? (
          t('approvals.ownRequest')
        ) : next ? (
          <span className="admin-muted">{t(decidedByMe ? 'approvals.youDecided' : 'approvals.othersDecide')}</span>
        ) : null}
      </td>
    </tr>
  );
}

function Filters({ filters, onApply }: { filters: ApprovalFilters; onApply(next: ApprovalFilters): void }) {
  const { t } = useTranslation('admin');
  const [status, setStatus] = useState(filters.status);
  const [risk, setRisk] = useState(filters.risk);
  const [tool, setTool] = useState(filters.tool);
  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ status, risk, tool: tool.trim() });
  }
  return (
    <form className="admin-audit-filters" onSubmit={submit} aria-label={t('approvals.filters')}>
      <label>
        {t('approvals.status')}
        <select value={status} onChange={(event) => setStatus(event.target.value as ApprovalFilters['status'])}>
          <option value="">{t('approvals.any')}</option>
          {draftStatuses.map((value) => (
            <option key={value} value={value}>
              {t(`draftStatus.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('approvals.risk')}
        <select value={risk} onChange={(event) => setRisk(event.target.value as ApprovalFilters['risk'])}>
          <option value="">{t('approvals.any')}</option>
          {toolRisks.map((value) => (
            <option key={value} value={value}>
              {t(`risk.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('approvals.tool')}
        <input type="search" value={tool} onChange={(event) => setTool(event.target.value)} />
      </label>
      <Button type="submit">{t('approvals.apply')}</Button>
    </form>
  );
}

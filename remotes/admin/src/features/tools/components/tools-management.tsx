import type { ApiClient, HttpTool, Locale } from '@atrium/contracts';
import { Button, EmptyState, ErrorNotice, Spinner } from '@atrium/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { useTools } from '../hooks/use-tools.js';
import { HttpToolForm } from './http-tool-form.js';
import { ToolTable } from './tool-table.js';

interface ToolsManagementProps {
  api: ApiClient;
  locale: Locale;
  /** `tools:manage`: may create, change and delete HTTP tools. */
  canManage: boolean;
}

/** The Tools page body: every tool with its statistics, and the HTTP tool form for admins. */
export function ToolsManagement({ api, locale, canManage }: ToolsManagementProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const { state, reload } = useTools(api, canManage);
  const [form, setForm] = useState<{ editing: HttpTool | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const httpTools = useMemo(
    () => new Map(state.status === 'ready' ? state.httpTools.map((tool) => [tool.name, tool]) : []),
    [state],
  );

  const done = (message: string) => {
    setForm(null);
    setNotice(message);
    reload();
  };

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <p className="admin-muted">{t('tools.intro')}</p>
      <p role="status">{notice}</p>
      {canManage && form ? (
        <HttpToolForm
          key={form.editing?.id ?? 'new'}
          api={api}
          editing={form.editing}
          onSaved={(tool) => done(t('tools.saved', { name: tool.name }))}
          onDeleted={(name) => done(t('tools.deleted', { name }))}
          onCancel={() => setForm(null)}
        />
      ) : null}
      {canManage && !form ? (
        <div>
          <Button onClick={() => setForm({ editing: null })}>{t('tools.add')}</Button>
        </div>
      ) : null}
      {state.status === 'loading' ? <Spinner label={t('tools.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('tools.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.tools.length === 0 ? <EmptyState title={t('tools.empty')} /> : null}
      {state.status === 'ready' && state.tools.length > 0 ? (
        <ToolTable
          tools={state.tools}
          httpTools={httpTools}
          locale={locale}
          onEdit={(tool) => {
            setNotice(null);
            setForm({ editing: tool });
          }}
        />
      ) : null}
    </div>
  );
}

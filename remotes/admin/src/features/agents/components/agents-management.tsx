import type { Agent, ApiClient } from '@atrium/contracts';
import { Button, EmptyState, ErrorNotice, ModalDialog, Spinner, TableScroll } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { deleteAgent } from '../api.js';
import { useAgents } from '../hooks/use-agents.js';
import { AgentForm } from './agent-form.js';

/** The Agents page body: every agent, a form to create or change one, deletion behind a confirmation. */
export function AgentsManagement({ api }: { api: ApiClient }) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const { state, reload } = useAgents(api);
  const [form, setForm] = useState<{ editing: Agent | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Agent | null>(null);
  const [deleteFailure, setDeleteFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const done = (message: string) => {
    setForm(null);
    setNotice(message);
    reload();
  };

  async function remove(agent: Agent) {
    setPending(true);
    setDeleteFailure(null);
    try {
      await deleteAgent(api, agent.id);
      setDeleting(null);
      done(t('agents.deleted', { name: agent.name }));
    } catch (error) {
      setDeleteFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div style={{ display: 'grid', gap: 16 }}>
      <p className="admin-muted">{t('agents.intro')}</p>
      <p role="status">{notice}</p>
      {form && state.status === 'ready' ? (
        <AgentForm
          key={form.editing?.id ?? 'new'}
          api={api}
          editing={form.editing}
          tools={state.tools}
          onSaved={(agent) => done(t('agents.saved', { name: agent.name }))}
          onCancel={() => setForm(null)}
        />
      ) : null}
      {form ? null : (
        <div>
          <Button onClick={() => setForm({ editing: null })} disabled={state.status !== 'ready'}>
            {t('agents.add')}
          </Button>
        </div>
      )}
      {state.status === 'loading' ? <Spinner label={t('agents.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('agents.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.agents.length === 0 ? <EmptyState title={t('agents.empty')} /> : null}
      {state.status === 'ready' && state.agents.length > 0 ? (
        <TableScroll label={t('agents.title')}>
          <table data-testid="agent-table">
            <caption className="visually-hidden">{t('agents.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agents.name')}</th>
                <th scope="col">{t('agents.tools')}</th>
                <th scope="col">{t('agents.model')}</th>
                <th scope="col">{t('agents.audience')}</th>
                <th scope="col">{t('agents.plan')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('agents.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.agents.map((agent) => (
                <tr key={agent.id} data-testid={`agent-${agent.id}`}>
                  <th scope="row">
                    {agent.name} <code className="admin-muted">{agent.id}</code>
                    {agent.builtIn ? <span className="admin-muted"> ({t('agents.builtIn')})</span> : null}
                    {agent.description ? <div className="admin-muted">{agent.description}</div> : null}
                  </th>
                  <td>{agent.tools === null ? t('agents.allTools') : agent.tools.join(', ') || t('agents.noTools')}</td>
                  <td>{agent.model ?? t('agents.defaultModel')}</td>
                  <td>{t(`agentAudiences.${agent.audience ?? 'asker'}`)}</td>
                  <td>{agent.paid ? t('agents.paid') : t('agents.free')}</td>
                  <td>
                    <div className="admin-actions">
                      <Button
                        variant="secondary"
                        aria-label={t('agents.editLabel', { name: agent.name })}
                        onClick={() => {
                          setNotice(null);
                          setForm({ editing: agent });
                        }}
                      >
                        {t('agents.edit')}
                      </Button>
                      {agent.builtIn ? null : (
                        <Button
                          variant="danger"
                          aria-label={t('agents.deleteLabel', { name: agent.name })}
                          onClick={() => {
                            setDeleteFailure(null);
                            setDeleting(agent);
                          }}
                        >
                          {t('agents.delete')}
                        </Button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <ModalDialog
        className="admin-dialog"
        open={deleting !== null}
        title={t('agents.deleteTitle', { name: deleting?.name ?? '' })}
        onCancel={() => setDeleting(null)}
      >
        <p>{t('agents.deleteBody')}</p>
        {deleteFailure ? <ErrorNotice title={t('agents.deleteFailed')}>{deleteFailure}</ErrorNotice> : null}
        <div className="admin-actions">
          <Button variant="secondary" autoFocus onClick={() => setDeleting(null)} disabled={pending}>
            {t('action.cancel')}
          </Button>
          <Button variant="danger" disabled={pending} onClick={() => deleting && void remove(deleting)}>
            {t('agents.confirmDelete')}
          </Button>
        </div>
      </ModalDialog>
    </div>
  );
}

import type { ApiClient, McpServer } from '@atrium/contracts';
import { Button, EmptyState, ErrorNotice, Spinner, TableScroll } from '@atrium/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { updateMcpServer } from '../api.js';
import { useMcpServers } from '../hooks/use-mcp-servers.js';
import { McpServerForm } from './mcp-server-form.js';

interface McpServersSectionProps {
  api: ApiClient;
  /** Called after every change: the tool list above includes the servers' tools. */
  onChanged(): void;
}

/** "MCP servers" on the Tools page (admins): the registered servers, register, edit, enable/disable, delete. */
export function McpServersSection({ api, onChanged }: McpServersSectionProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const { state, reload } = useMcpServers(api);
  const [form, setForm] = useState<{ editing: McpServer | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);

  const done = (message: string) => {
    setForm(null);
    setNotice(message);
    reload();
    onChanged();
  };

  async function toggle(server: McpServer) {
    setToggling(server.id);
    setNotice(null);
    try {
      const saved = await updateMcpServer(api, server.id, { enabled: !server.enabled });
      done(t(saved.enabled ? 'mcp.enabledNotice' : 'mcp.disabledNotice', { name: saved.name }));
    } catch (error) {
      setNotice(errorMessage(error));
    } finally {
      setToggling(null);
    }
  }

  return (
    <section aria-labelledby="admin-mcp-title" data-testid="admin-mcp-servers" style={{ display: 'grid', gap: 12 }}>
      <h3 id="admin-mcp-title">{t('mcp.title')}</h3>
      <p className="admin-muted">{t('mcp.intro')}</p>
      <p role="status">{notice}</p>
      {form ? (
        <McpServerForm
          key={form.editing?.id ?? 'new'}
          api={api}
          editing={form.editing}
          onSaved={(server) => done(t('mcp.saved', { name: server.name }))}
          onDeleted={(name) => done(t('mcp.deleted', { name }))}
          onCancel={() => setForm(null)}
        />
      ) : (
        <div>
          <Button
            onClick={() => {
              setNotice(null);
              setForm({ editing: null });
            }}
          >
            {t('mcp.add')}
          </Button>
        </div>
      )}
      {state.status === 'loading' ? <Spinner label={t('mcp.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('mcp.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {state.status === 'ready' && state.servers.length === 0 ? <EmptyState title={t('mcp.empty')} /> : null}
      {state.status === 'ready' && state.servers.length > 0 ? (
        <TableScroll label={t('mcp.title')}>
          <table data-testid="mcp-server-table">
            <caption className="visually-hidden">{t('mcp.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mcp.name')}</th>
                <th scope="col">{t('mcp.url')}</th>
                <th scope="col">{t('mcp.defaultRisk')}</th>
                <th scope="col">{t('mcp.overrides')}</th>
                <th scope="col">{t('mcp.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('tools.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.servers.map((server) => (
                <tr key={server.id}>
                  <td>
                    <code>{server.name}</code>
                    {server.hasToken ? <div className="admin-muted">{t('mcp.hasToken')}</div> : null}
                  </td>
                  <td style={{ overflowWrap: 'anywhere' }}>{server.url}</td>
                  <td>{t(`toolRisks.${server.defaultRisk}`)}</td>
                  <td>
                    {Object.entries(server.riskOverrides).map(([tool, risk]) => (
                      <div key={tool}>
                        <code>{tool}</code> {t(`toolRisks.${risk}`)}
                      </div>
                    ))}
                  </td>
                  <td>{server.enabled ? t('mcp.enabled') : t('tools.disabled')}</td>
                  <td>
                    <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
                      <Button
                        variant="secondary"
                        disabled={toggling === server.id}
                        onClick={() => void toggle(server)}
                        aria-label={t(server.enabled ? 'mcp.disableNamed' : 'mcp.enableNamed', { name: server.name })}
                      >
                        {server.enabled ? t('mcp.disable') : t('mcp.enable')}
                      </Button>
                      <Button
                        variant="secondary"
                        onClick={() => {
                          setNotice(null);
                          setForm({ editing: server });
                        }}
                        aria-label={t('tools.editNamed', { name: server.name })}
                      >
                        {t('tools.edit')}
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}

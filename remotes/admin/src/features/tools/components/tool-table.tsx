import type { HttpTool, Locale, ToolView } from '@atrium/contracts';
import { Button, TableScroll } from '@atrium/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

interface ToolTableProps {
  tools: ToolView[];
  /** HTTP tools by name: their rows get an Edit button (admins only). */
  httpTools: Map<string, HttpTool>;
  locale: Locale;
  onEdit(tool: HttpTool): void;
}

/** Every tool with its risk, who may call it, the approvals it needs and how its calls have gone. */
export function ToolTable({ tools, httpTools, locale, onEdit }: ToolTableProps) {
  const { t } = useTranslation('admin');
  const when = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }), [locale]);
  return (
    <TableScroll label={t('tools.title')}>
      <table data-testid="tool-table">
        <caption className="visually-hidden">{t('tools.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tools.name')}</th>
            <th scope="col">{t('tools.kind')}</th>
            <th scope="col">{t('tools.risk')}</th>
            <th scope="col">{t('tools.roles')}</th>
            <th scope="col">{t('tools.approvals')}</th>
            <th scope="col">{t('tools.calls')}</th>
            <th scope="col">{t('tools.failures')}</th>
            <th scope="col">{t('tools.p50')}</th>
            <th scope="col">{t('tools.lastCalled')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('tools.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tools.map((tool) => {
            const http = httpTools.get(tool.name);
            return (
              <tr key={tool.name} data-testid={`tool-${tool.name}`}>
                <th scope="row">
                  <code>{tool.name}</code>
                  {tool.enabled ? null : <span className="admin-muted"> ({t('tools.disabled')})</span>}
                  <div className="admin-muted">{tool.description}</div>
                </th>
                <td>{t(`toolKinds.${tool.kind}`)}</td>
                <td>{t(`toolRisks.${tool.risk}`)}</td>
                <td>{tool.roles.map((role) => t(`roles.${role}`)).join(', ')}</td>
                <td>{tool.approvalLevels === null ? t('tools.personOnly') : tool.approvalLevels}</td>
                <td>{tool.stats.calls}</td>
                <td>{tool.stats.failures}</td>
                <td>{tool.stats.p50Ms === null ? '—' : t('tools.ms', { ms: tool.stats.p50Ms })}</td>
                <td>{tool.stats.lastCalledAt ? when.format(new Date(tool.stats.lastCalledAt)) : '—'}</td>
                <td>
                  {http ? (
                    <Button
                      variant="secondary"
                      onClick={() => onEdit(http)}
                      aria-label={t('tools.editNamed', { name: tool.name })}
                    >
                      {t('tools.edit')}
                    </Button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

import { Button, EmptyState, ErrorNotice, Spinner, TableScroll } from '@atrium/shared';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import type { Loaded } from '../hooks/use-dashboard-data.js';

export interface TableColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
}

interface ChartPanelProps<T, Row> {
  title: string;
  description: string;
  state: Loaded<T>;
  reload: () => void;
  /** Rows of the table fallback; an empty list shows the empty state instead of a chart. */
  rows: (data: T) => Row[];
  columns: TableColumn<Row>[];
  chart: (data: T) => ReactNode;
  /** Controls above the chart (a grouping select). */
  controls?: ReactNode;
  /** More below the chart and its table (the failed loads' details). */
  after?: (data: T) => ReactNode;
  testId: string;
}

/**
 * One dashboard panel: a titled chart with its loading, empty and error states, and a "Show as
 * table" toggle revealing the same numbers as a real table with a caption (the accessible
 * fallback for the canvas).
 */
export function ChartPanel<T, Row>({
  title,
  description,
  state,
  reload,
  rows,
  columns,
  chart,
  controls,
  after,
  testId,
}: ChartPanelProps<T, Row>) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const [asTable, setAsTable] = useState(false);
  const headingId = useId();
  const tableId = useId();
  const data = state.status === 'ready' ? state.data : null;
  const tableRows = data === null ? [] : rows(data);
  return (
    <section aria-labelledby={headingId} className="dash-panel" data-testid={testId}>
      <div className="dash-panel-head">
        <h3 id={headingId}>{title}</h3>
        {data !== null && tableRows.length > 0 ? (
          <Button
            variant="secondary"
            aria-expanded={asTable}
            aria-controls={tableId}
            onClick={() => setAsTable((v) => !v)}
          >
            {asTable ? t('dashboards.hideTable') : t('dashboards.showTable')}
          </Button>
        ) : null}
      </div>
      <p className="admin-muted">{description}</p>
      {controls}
      {state.status === 'loading' ? <Spinner label={t('dashboards.loading')} /> : null}
      {state.status === 'failed' ? (
        <ErrorNotice title={t('dashboards.loadFailed')} onRetry={reload} retryLabel={t('errors.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      ) : null}
      {data !== null && tableRows.length === 0 ? <EmptyState title={t('dashboards.empty')} /> : null}
      {data !== null && tableRows.length > 0 ? (
        <>
          {chart(data)}
          <div id={tableId} hidden={!asTable}>
            <TableScroll label={title}>
              <table className="dash-table">
                <caption>{title}</caption>
                <thead>
                  <tr>
                    {columns.map((column) => (
                      <th key={column.header} scope="col" className={column.numeric ? 'dash-num' : undefined}>
                        {column.header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {tableRows.map((row, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: rows are a read-only snapshot, never reordered
                    <tr key={i}>
                      {columns.map((column) => (
                        <td key={column.header} className={column.numeric ? 'dash-num' : undefined}>
                          {column.cell(row)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </div>
        </>
      ) : null}
      {data !== null && after ? after(data) : null}
    </section>
  );
}

import type { ApiClient, DocumentView, Locale } from '@atrium/contracts';
import { Button, EmptyState, ErrorNotice, Spinner } from '@atrium/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { useFormats } from '../../../i18n/formats.js';
import { type DocumentFilters as Filters, noFilters } from '../api.js';
import type { DocumentListState } from '../document-list-state.js';
import { DocumentFilters } from './document-filters.js';
import { DocumentRow } from './document-row.js';

interface DocumentListProps {
  api: ApiClient;
  locale: Locale;
  state: DocumentListState;
  canShare: boolean;
  highlightId: string | null;
  onFilter(next: Filters): void;
  onRetry(): void;
  onLoadMore(): void;
  onSaved(document: DocumentView): void;
  onRemoved(documentId: string): void;
}

/** The library: search and filters, then loading, failure, empty or the rows, and "Load more" while there are pages. */
export function DocumentList(props: DocumentListProps) {
  const { api, locale, state, canShare, highlightId, onFilter, onRetry, onLoadMore, onSaved, onRemoved } = props;
  const { t } = useTranslation('uploads');
  const errorMessage = useErrorMessage();
  const formats = useFormats(locale);
  const headingId = useId();
  const filtered = state.filters.q !== '' || state.filters.status !== '' || state.filters.audience !== '';

  const body = (() => {
    if (state.status === 'loading' && state.documents.length === 0) return <Spinner label={t('list.loading')} />;
    if (state.status === 'failed' && state.documents.length === 0) {
      return (
        <ErrorNotice title={t('list.loadFailed')} onRetry={onRetry} retryLabel={t('list.retry')}>
          {errorMessage(state.error)}
        </ErrorNotice>
      );
    }
    if (state.documents.length === 0) {
      return filtered ? (
        <EmptyState title={t('list.noMatchTitle')}>
          <p>{t('list.noMatchBody')}</p>
          <Button variant="secondary" onClick={() => onFilter(noFilters)}>
            {t('list.clearFilters')}
          </Button>
        </EmptyState>
      ) : (
        <EmptyState title={t('list.emptyTitle')}>{t('list.emptyBody')}</EmptyState>
      );
    }
    return (
      <ul className="uploads-docs" aria-labelledby={headingId} data-testid="document-list">
        {state.documents.map((document) => (
          <DocumentRow
            key={document.id}
            api={api}
            document={document}
            canShare={canShare}
            highlighted={document.id === highlightId}
            formats={formats}
            onSaved={onSaved}
            onRemoved={onRemoved}
          />
        ))}
      </ul>
    );
  })();

  // A failure after rows are shown (a reload or the next page) keeps the rows and says so below them.
  const laterFailure = state.error && state.documents.length > 0 ? errorMessage(state.error) : null;

  return (
    <section className="uploads-library" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('list.label')}</h2>
      <DocumentFilters filters={state.filters} onChange={onFilter} />
      {body}
      {laterFailure ? (
        <ErrorNotice
          title={t('list.loadFailed')}
          onRetry={state.status === 'failed' ? onRetry : onLoadMore}
          retryLabel={t('list.retry')}
        >
          {laterFailure}
        </ErrorNotice>
      ) : null}
      {state.nextCursor && state.documents.length > 0 ? (
        <div className="uploads-more">
          <Button variant="secondary" onClick={onLoadMore} disabled={state.loadingMore}>
            {state.loadingMore ? t('list.loadingMore') : t('list.loadMore')}
          </Button>
        </div>
      ) : null}
    </section>
  );
}

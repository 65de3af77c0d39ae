import type { ApiClient, DocumentView, ServerEventStream } from '@atrium/contracts';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { type DocumentFilters, listDocuments } from '../api.js';
import { documentListReducer, initialDocumentList } from '../document-list-state.js';

/**
 * The documents the caller may see, for the current filters, kept current by `document.*`
 * events from any tab (another tab's upload, the ingestion job's steps); `resync` reloads.
 */
export function useDocumentList(api: ApiClient, events: ServerEventStream) {
  const [state, dispatch] = useReducer(documentListReducer, initialDocumentList);
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  });

  useEffect(() => events.subscribe((event) => dispatch({ type: 'event', event })), [events]);

  const { request, filters } = state;
  useEffect(() => {
    listDocuments(api, filters).then(
      (page) => dispatch({ type: 'loaded', request, page, more: false }),
      (error: unknown) => dispatch({ type: 'loadFailed', request, error, more: false }),
    );
  }, [api, request, filters]);

  const loadMore = useCallback(() => {
    const { request: current, filters: shown, nextCursor, loadingMore } = latest.current;
    if (!nextCursor || loadingMore) return;
    dispatch({ type: 'loadingMore' });
    listDocuments(api, shown, nextCursor).then(
      (page) => dispatch({ type: 'loaded', request: current, page, more: true }),
      (error: unknown) => dispatch({ type: 'loadFailed', request: current, error, more: true }),
    );
  }, [api]);

  return {
    state,
    loadMore,
    reload: useCallback(() => dispatch({ type: 'reload' }), []),
    filter: useCallback((next: DocumentFilters) => dispatch({ type: 'filtered', filters: next }), []),
    saved: useCallback((document: DocumentView) => dispatch({ type: 'saved', document }), []),
    removed: useCallback((documentId: string) => dispatch({ type: 'removed', documentId }), []),
  };
}

import { type DocumentView, defaultUploadMaxBytes, type ServerEvent } from '@atrium/contracts';
import type { DocumentFilters, DocumentPage } from './api.js';
import { noFilters } from './api.js';

export interface DocumentListState {
  filters: DocumentFilters;
  /**
   * Counts the loads asked for (new filters, a retry, a `resync`); a page answering an older
   * request is dropped, so a slow answer never overwrites a newer one.
   */
  request: number;
  status: 'loading' | 'ready' | 'failed';
  error: unknown;
  documents: DocumentView[];
  nextCursor: string | null;
  loadingMore: boolean;
  /** The BFF's upload limit in bytes (from the list response), else the contract's default. */
  uploadMaxBytes: number;
}

export type DocumentListAction =
  | { type: 'filtered'; filters: DocumentFilters }
  | { type: 'reload' }
  | { type: 'loaded'; request: number; page: DocumentPage; more: boolean }
  | { type: 'loadFailed'; request: number; error: unknown; more: boolean }
  | { type: 'loadingMore' }
  | { type: 'saved'; document: DocumentView }
  | { type: 'removed'; documentId: string }
  | { type: 'event'; event: ServerEvent };

export const initialDocumentList: DocumentListState = {
  filters: noFilters,
  request: 0,
  status: 'loading',
  error: null,
  documents: [],
  nextCursor: null,
  loadingMore: false,
  uploadMaxBytes: defaultUploadMaxBytes,
};

/** The BFF's filters, applied loosely to a document the stream announces, so it joins the right lists. */
export function matchesFilters(document: DocumentView, filters: DocumentFilters): boolean {
  const needle = filters.q.trim().toLocaleLowerCase();
  if (needle && ![document.title, document.filename].some((text) => text.toLocaleLowerCase().includes(needle))) {
    return false;
  }
  if (filters.status && document.status !== filters.status) return false;
  return !filters.audience || document.audience === filters.audience;
}

/** The list's order: newest upload first (a status change never moves a row). */
const newestFirst = (a: DocumentView, b: DocumentView) =>
  Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id);

/**
 * Views of one document can arrive out of order (an action's answer after the event the job
 * pushed, a page read before an event): a view never replaces a newer one.
 */
const newer = (incoming: DocumentView, known: DocumentView | undefined) =>
  known && Date.parse(known.updatedAt) > Date.parse(incoming.updatedAt) ? known : incoming;

/**
 * A known document is replaced where it is, even if it no longer matches the filters (a row
 * that vanishes under the pointer is worse than a stale filter); an unknown one joins when it
 * matches, or always when `force` (the caller just uploaded or opened it).
 */
function upsert(state: DocumentListState, document: DocumentView, force: boolean): DocumentListState {
  const known = state.documents.find((d) => d.id === document.id);
  if (!known && !force && !matchesFilters(document, state.filters)) return state;
  const others = state.documents.filter((d) => d !== known);
  return { ...state, documents: [...others, newer(document, known)].sort(newestFirst) };
}

function remove(state: DocumentListState, documentId: string): DocumentListState {
  return { ...state, documents: state.documents.filter((d) => d.id !== documentId) };
}

/** Load again, keeping what is shown until the answer arrives (no flicker on `resync`). */
function reload(state: DocumentListState): DocumentListState {
  return {
    ...state,
    request: state.request + 1,
    status: state.status === 'failed' ? 'loading' : state.status,
    error: null,
    loadingMore: false,
  };
}

export function documentListReducer(state: DocumentListState, action: DocumentListAction): DocumentListState {
  switch (action.type) {
    case 'filtered':
      return {
        ...state,
        filters: action.filters,
        request: state.request + 1,
        status: 'loading',
        error: null,
        documents: [],
        nextCursor: null,
        loadingMore: false,
      };
    case 'reload':
      return reload(state);
    case 'loaded': {
      if (action.request !== state.request) return state;
      const { page } = action;
      const documents = action.more
        ? [...state.documents, ...page.documents.filter((d) => !state.documents.some((known) => known.id === d.id))]
        : page.documents.map((d) =>
            newer(
              d,
              state.documents.find((known) => known.id === d.id),
            ),
          );
      return {
        ...state,
        status: 'ready',
        error: null,
        documents,
        nextCursor: page.nextCursor,
        loadingMore: false,
        uploadMaxBytes: page.limits?.uploadMaxBytes ?? state.uploadMaxBytes,
      };
    }
    case 'loadFailed':
      if (action.request !== state.request) return state;
      return action.more
        ? { ...state, loadingMore: false, error: action.error }
        : { ...state, status: 'failed', error: action.error };
    case 'loadingMore':
      return { ...state, loadingMore: true, error: null };
    case 'saved':
      return upsert(state, action.document, true);
    case 'removed':
      return remove(state, action.documentId);
    case 'event':
      switch (action.event.type) {
        case 'document.updated':
          return upsert(state, action.event.document, false);
        case 'document.deleted':
          return remove(state, action.event.documentId);
        // Events after the tab's cursor were trimmed: only a fresh read can say what changed.
        case 'resync':
          return reload(state);
        default:
          return state;
      }
  }
}

import { activeDocumentStatuses, type DocumentView } from '@atrium/contracts';

export interface DocumentActions {
  cancel: boolean;
  retry: boolean;
  reindex: boolean;
  changeAudience: boolean;
  delete: boolean;
}

/**
 * What a row offers, from the contract's rules (`DocumentView.mine`): owners cancel work in
 * progress, retry a failed or cancelled document, reindex a ready one and delete it; owners
 * whose role holds `documents:share` (`canShare`) change its audience — nobody changes the
 * audience of someone else's document. Only offered — the BFF decides every request again.
 */
export function documentActions(document: DocumentView, canShare: boolean): DocumentActions {
  const { mine, status } = document;
  return {
    cancel: mine && activeDocumentStatuses.includes(status),
    retry: mine && (status === 'failed' || status === 'cancelled'),
    reindex: mine && status === 'ready',
    changeAudience: mine && canShare,
    delete: mine,
  };
}

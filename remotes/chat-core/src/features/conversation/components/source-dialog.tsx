import type { ApiClient, Citation } from '@atrium/contracts';
import { Button, ErrorNotice, Spinner } from '@atrium/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { loadingPassage, loadSourcePassage, type SourcePassage, sourcePath } from '../source-passage.js';

interface SourceDialogProps {
  api: ApiClient;
  /** The citation to show; null keeps the dialog closed. */
  citation: Citation | null;
  onClose(): void;
}

/**
 * A cited passage in its document, fetched again when opened (so the BFF checks permission
 * again): highlighted between its neighbours, with the document title, heading path and page. A
 * deleted or no longer visible document says so and shows the excerpt stored with the citation.
 * A modal `<dialog>`: focus moves in, Esc closes, focus returns to the chip or source opened.
 */
export function SourceDialog({ api, citation, onClose }: SourceDialogProps) {
  const { t } = useTranslation('chat');
  const errorMessage = useErrorMessage();
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const [passage, setPassage] = useState<SourcePassage>(loadingPassage);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (citation && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    }
    if (!citation && dialog.open) dialog.close();
  }, [citation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the Retry trigger
  useEffect(() => {
    if (!citation) return;
    let cancelled = false;
    setPassage(loadingPassage);
    loadSourcePassage(api, citation).then((next) => !cancelled && setPassage(next));
    return () => {
      cancelled = true;
    };
  }, [api, citation, attempt]);

  const closed = () => {
    const back = opener.current;
    opener.current = null;
    setPassage(loadingPassage);
    if (back instanceof HTMLElement && back.isConnected) back.focus();
    onClose();
  };

  return (
    <dialog
      ref={ref}
      className="chat-dialog chat-source-dialog"
      aria-labelledby={titleId}
      data-testid="source-dialog"
      onClose={() => citation && closed()}
    >
      {citation ? (
        <>
          <h2 id={titleId}>{t('sources.dialogTitle', { n: citation.n })}</h2>
          <SourceBody citation={citation} passage={passage} />
          {passage.status === 'failed' ? (
            <ErrorNotice
              title={t('sources.loadFailed')}
              onRetry={() => setAttempt((n) => n + 1)}
              retryLabel={t('errors.retry')}
            >
              {errorMessage(passage.error)}
            </ErrorNotice>
          ) : null}
          <div className="chat-dialog-actions">
            <Button variant="secondary" onClick={() => ref.current?.close()} autoFocus>
              {t('sources.close')}
            </Button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}

/** The dialog's content for each state of `SourcePassage` (the failed state adds a Retry notice). */
export function SourceBody({ citation, passage }: { citation: Citation; passage: SourcePassage }) {
  const { t } = useTranslation('chat');
  if (passage.status === 'loaded') {
    const { document, passage: cited, before, after } = passage.response;
    return (
      <>
        <SourceWhere title={document.title} headingPath={cited.headingPath} page={cited.page} />
        <div className="chat-source-passage" data-testid="source-passage">
          {before ? <p className="chat-source-context">{before.text}</p> : null}
          <p>
            <mark data-testid="source-highlight">{cited.text}</mark>
          </p>
          {after ? <p className="chat-source-context">{after.text}</p> : null}
        </div>
      </>
    );
  }
  return (
    <>
      <SourceWhere title={citation.documentTitle} headingPath={citation.headingPath} page={citation.page} />
      {passage.status === 'loading' ? <Spinner label={t('sources.loading')} /> : null}
      {passage.status === 'deleted' ? (
        <div data-testid="source-deleted">
          <p role="status">{t('sources.deleted')}</p>
          <figure className="chat-source-excerpt">
            <figcaption>{t('sources.storedExcerpt')}</figcaption>
            <blockquote>{citation.excerpt}</blockquote>
          </figure>
        </div>
      ) : null}
    </>
  );
}

function SourceWhere({ title, headingPath, page }: { title: string; headingPath: string[]; page: number | null }) {
  const { t } = useTranslation('chat');
  return (
    <p className="chat-source-where">
      <span>{sourcePath({ documentTitle: title, headingPath })}</span>
      {page !== null ? <span className="chat-source-page">{t('sources.page', { page })}</span> : null}
    </p>
  );
}

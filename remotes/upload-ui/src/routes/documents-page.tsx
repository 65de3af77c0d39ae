import { flagKeys, type MountProps, roleHas } from '@atrium/contracts';
import { ErrorNotice } from '@atrium/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { getDocument } from '../features/documents/api.js';
import { DocumentList } from '../features/documents/components/document-list.js';
import { useDocumentList } from '../features/documents/hooks/use-document-list.js';
import { UploadPanel } from '../features/uploads/components/upload-panel.js';
import { isNotFound, useErrorMessage } from '../i18n/error-message.js';
import { UploadStyles } from '../styles.js';

/**
 * The Documents page: uploads on top, the library below. `/uploads/:documentId` opens the page
 * with that document highlighted (a duplicate upload links there), fetching it when it is not
 * on the first page. With the `uploads` feature flag off for the user the upload panel gives way
 * to a notice (the shell re-renders with new flags as soon as they change; the BFF refuses uploads too).
 */
export function DocumentsPage({ api, events, session, flags, locale, basePath }: MountProps) {
  const { t } = useTranslation('uploads');
  const errorMessage = useErrorMessage();
  const { documentId = null } = useParams();
  const navigate = useNavigate();
  const list = useDocumentList(api, events);
  const { saved, removed } = list;
  // Deleting the document the address names leaves its address too, without asking the BFF
  // for it again on the way out (the navigation lands after the list has dropped it).
  const deletedHere = useRef(new Set<string>());
  const deleted = useCallback(
    (id: string) => {
      deletedHere.current.add(id);
      removed(id);
      if (id === documentId) navigate(basePath, { replace: true });
    },
    [removed, documentId, navigate, basePath],
  );
  const canShare = session !== null && roleHas(session.user.role, 'documents:share');
  const [missing, setMissing] = useState<{ id: string; error: unknown } | null>(null);

  const listed = documentId !== null && list.state.documents.some((d) => d.id === documentId);
  const settled = list.state.status !== 'loading';
  useEffect(() => {
    if (!documentId || listed || !settled || deletedHere.current.has(documentId)) return;
    let cancelled = false;
    getDocument(api, documentId).then(
      (document) => !cancelled && saved(document),
      (error: unknown) => !cancelled && setMissing({ id: documentId, error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, listed, settled, saved]);

  return (
    <div className="uploads-page" data-testid="uploads-home">
      <UploadStyles />
      <header className="uploads-page-header">
        <h1>{t('title')}</h1>
        <p>{t('intro')}</p>
      </header>
      {flags[flagKeys.uploads] === false ? (
        <p className="uploads-off" role="status" data-testid="uploads-off">
          {t('upload.off')}
        </p>
      ) : (
        <UploadPanel
          api={api}
          locale={locale}
          basePath={basePath}
          limitBytes={list.state.uploadMaxBytes}
          canShare={canShare}
          onCreated={saved}
        />
      )}
      {missing && missing.id === documentId ? (
        <ErrorNotice title={t('list.notFound')}>
          {isNotFound(missing.error) ? null : errorMessage(missing.error)}
        </ErrorNotice>
      ) : null}
      <DocumentList
        api={api}
        locale={locale}
        state={list.state}
        canShare={canShare}
        highlightId={documentId}
        onFilter={list.filter}
        onRetry={list.reload}
        onLoadMore={list.loadMore}
        onSaved={saved}
        onRemoved={deleted}
      />
    </div>
  );
}

import type { ApiClient, DocumentMediaType, DocumentView } from '@atrium/contracts';
import { Button } from '@atrium/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { changeAudience, deleteDocument, runCommand } from '../api.js';
import { documentActions } from '../document-actions.js';
import { type DocumentActionName, useDocumentAction } from '../hooks/use-document-action.js';
import { AudienceDialog } from './audience-dialog.js';
import { DeleteDialog } from './delete-dialog.js';
import { StatusLine } from './status-line.js';
import { StatusSteps } from './status-steps.js';

/** Format names are the same in every language. */
const formatNames: Record<DocumentMediaType, string> = {
  'text/plain': 'TXT',
  'text/markdown': 'Markdown',
  'text/html': 'HTML',
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
};

interface DocumentRowProps {
  api: ApiClient;
  document: DocumentView;
  canShare: boolean;
  highlighted: boolean;
  formats: { bytes(value: number): string; dateTime(iso: string): string };
  onSaved(document: DocumentView): void;
  onRemoved(documentId: string): void;
}

/** One document: an `article` named by its title, its facts, its way through ingestion, and what the caller may do. */
export function DocumentRow({ api, document, canShare, highlighted, formats, onSaved, onRemoved }: DocumentRowProps) {
  const { t } = useTranslation('uploads');
  const errorMessage = useErrorMessage();
  const titleId = useId();
  const ref = useRef<HTMLElement>(null);
  const action = useDocumentAction();
  const [dialog, setDialog] = useState<{ kind: 'audience' | 'delete'; open: boolean; n: number } | null>(null);
  const offered = documentActions(document, canShare);

  useEffect(() => {
    if (!highlighted) return;
    ref.current?.scrollIntoView({ block: 'center' });
    ref.current?.focus({ preventScroll: true });
  }, [highlighted]);

  const openDialog = (kind: 'audience' | 'delete') => {
    action.clearFailure();
    setDialog((current) => ({ kind, open: true, n: (current?.n ?? 0) + 1 }));
  };
  const closeDialog = () => setDialog((current) => (current ? { ...current, open: false } : null));
  const dismissDialog = () => {
    action.clearFailure();
    closeDialog();
  };

  const command = (name: 'cancel' | 'retry' | 'reindex') =>
    action.run(name, async () => onSaved(await runCommand(api, document.id, name)));

  const saveAudience = async (audience: DocumentView['audience'], reason: string) => {
    const ok = await action.run('changeAudience', async () =>
      onSaved(await changeAudience(api, document.id, audience, reason)),
    );
    if (ok) closeDialog();
  };

  const remove = async () => {
    const ok = await action.run('delete', async () => {
      await deleteDocument(api, document.id);
      onRemoved(document.id);
    });
    if (ok) closeDialog();
  };

  const failureIn = (name: DocumentActionName) =>
    action.failure?.action === name ? errorMessage(action.failure.error) : null;
  const rowFailure =
    action.failure && !dialog?.open
      ? t(`actionFailed.${action.failure.action}`, { reason: errorMessage(action.failure.error) })
      : null;

  const facts = [
    document.filename,
    document.mediaType ? formatNames[document.mediaType] : null,
    formats.bytes(document.sizeBytes),
    document.pageCount !== null ? t('document.pages', { count: document.pageCount }) : null,
    document.status === 'ready' ? t('document.passages', { count: document.chunkCount }) : null,
  ].filter((fact): fact is string => fact !== null);

  const button = (name: 'cancel' | 'retry' | 'reindex', onClick: () => void) => (
    <Button
      variant="secondary"
      onClick={onClick}
      disabled={action.running !== null}
      aria-label={t(`actionName.${name}`, { title: document.title })}
    >
      {t(`action.${name}`)}
    </Button>
  );

  return (
    <li className="uploads-doc-item">
      <article
        ref={ref}
        className="uploads-doc"
        aria-labelledby={titleId}
        data-highlighted={highlighted || undefined}
        data-testid="document-row"
        tabIndex={-1}
      >
        <header className="uploads-doc-head">
          <h3 id={titleId}>{document.title}</h3>
          <span className="uploads-badge" data-audience={document.audience}>
            {t(`audience.${document.audience}`)}
          </span>
        </header>
        <p className="uploads-doc-facts">{facts.join(' · ')}</p>
        <p className="uploads-doc-meta">
          {document.mine ? null : <span>{t('document.owner', { name: document.ownerName })} · </span>}
          <time dateTime={document.updatedAt}>
            {t('document.updated', { time: formats.dateTime(document.updatedAt) })}
          </time>
        </p>
        <StatusSteps document={document} />
        <StatusLine document={document} />
        {rowFailure ? (
          <p role="alert" className="uploads-error-text">
            {rowFailure}
          </p>
        ) : null}
        <div className="uploads-doc-actions">
          {offered.cancel ? button('cancel', () => void command('cancel')) : null}
          {offered.retry ? button('retry', () => void command('retry')) : null}
          {offered.reindex ? button('reindex', () => void command('reindex')) : null}
          {offered.changeAudience ? (
            <Button
              variant="secondary"
              onClick={() => openDialog('audience')}
              disabled={action.running !== null}
              aria-label={t('actionName.changeAudience', { title: document.title })}
            >
              {t('action.changeAudience')}
            </Button>
          ) : null}
          {offered.delete ? (
            <Button
              variant="secondary"
              className="uploads-delete"
              onClick={() => openDialog('delete')}
              disabled={action.running !== null}
              aria-label={t('actionName.delete', { title: document.title })}
            >
              {t('action.delete')}
            </Button>
          ) : null}
        </div>
      </article>
      {dialog?.kind === 'audience' ? (
        <AudienceDialog
          key={dialog.n}
          document={document}
          open={dialog.open}
          busy={action.running === 'changeAudience'}
          error={failureIn('changeAudience')}
          onSave={(audience, reason) => void saveAudience(audience, reason)}
          onCancel={dismissDialog}
        />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteDialog
          key={dialog.n}
          document={document}
          open={dialog.open}
          busy={action.running === 'delete'}
          error={failureIn('delete')}
          onConfirm={() => void remove()}
          onCancel={dismissDialog}
        />
      ) : null}
    </li>
  );
}

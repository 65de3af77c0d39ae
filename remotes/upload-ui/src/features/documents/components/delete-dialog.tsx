import type { DocumentView } from '@atrium/contracts';
import { Button, ModalDialog } from '@atrium/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface DeleteDialogProps {
  document: DocumentView;
  open: boolean;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onCancel(): void;
}

/** Deleting asks first; "Keep it" has the focus, so Enter never deletes by accident. */
export function DeleteDialog({ document, open, busy, error, onConfirm, onCancel }: DeleteDialogProps) {
  const { t } = useTranslation('uploads');
  const bodyId = useId();
  return (
    <ModalDialog
      className="uploads-dialog"
      open={open}
      title={t('deleteDialog.title', { title: document.title })}
      onCancel={onCancel}
      describedBy={bodyId}
    >
      <p id={bodyId}>{t('deleteDialog.body')}</p>
      {error ? (
        <p role="alert" className="uploads-error-text">
          {error}
        </p>
      ) : null}
      <div className="uploads-dialog-actions">
        <Button variant="secondary" onClick={onCancel} autoFocus>
          {t('deleteDialog.cancel')}
        </Button>
        <Button variant="danger" onClick={onConfirm} disabled={busy}>
          {t('deleteDialog.confirm')}
        </Button>
      </div>
    </ModalDialog>
  );
}

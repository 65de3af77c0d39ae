import { type DocumentAudience, type DocumentView, documentAudiences } from '@atrium/contracts';
import { Button, ModalDialog } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface AudienceDialogProps {
  document: DocumentView;
  open: boolean;
  busy: boolean;
  error: string | null;
  onSave(audience: DocumentAudience, reason: string): void;
  onCancel(): void;
}

/** Who may read the document; the reason goes to the audit log with the change. */
export function AudienceDialog({ document, open, busy, error, onSave, onCancel }: AudienceDialogProps) {
  const { t } = useTranslation('uploads');
  const [audience, setAudience] = useState<DocumentAudience>(document.audience);
  const [reason, setReason] = useState('');
  const audienceId = useId();
  const reasonId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(audience, reason.trim());
  };

  return (
    <ModalDialog
      className="uploads-dialog"
      open={open}
      title={t('audienceDialog.title', { title: document.title })}
      onCancel={onCancel}
    >
      <form className="uploads-dialog-form" onSubmit={submit}>
        <label htmlFor={audienceId}>{t('audienceDialog.audience')}</label>
        <select
          id={audienceId}
          value={audience}
          onChange={(event) => setAudience(event.target.value as DocumentAudience)}
        >
          {documentAudiences.map((value) => (
            <option key={value} value={value}>
              {t(`audience.${value}`)}
            </option>
          ))}
        </select>
        <label htmlFor={reasonId}>{t('audienceDialog.reason')}</label>
        <textarea id={reasonId} rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        {error ? (
          <p role="alert" className="uploads-error-text">
            {error}
          </p>
        ) : null}
        <div className="uploads-dialog-actions">
          <Button variant="secondary" onClick={onCancel}>
            {t('audienceDialog.cancel')}
          </Button>
          <Button type="submit" disabled={busy || audience === document.audience}>
            {t('audienceDialog.save')}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}

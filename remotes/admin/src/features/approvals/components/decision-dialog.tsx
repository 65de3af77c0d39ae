import type { ApiClient, Draft } from '@atrium/contracts';
import { Button, escapeBidiControls, ModalDialog } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { decideDraft } from '../api.js';

interface DecisionDialogProps {
  api: ApiClient;
  draft: Draft;
  decision: 'approve' | 'reject';
  onDone(draft: Draft): void;
  onCancel(): void;
  /** Where focus goes on close if the button that opened the dialog is gone (ModalDialog `fallbackFocus`). */
  fallbackFocus?(): HTMLElement | null;
}

/**
 * Approve (reason optional) or reject (reason required: the requester is told why) one draft;
 * server errors shown in place. The reason's label sits above its box, which takes the full width.
 */
export function DecisionDialog({ api, draft, decision, onDone, onCancel, fallbackFocus }: DecisionDialogProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rejecting = decision === 'reject';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (rejecting && !reason.trim()) {
      setError(t('approvals.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone((await decideDraft(api, draft.id, decision, reason)).draft);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  }

  return (
    <ModalDialog
      className="admin-dialog"
      open
      title={t(rejecting ? 'approvals.rejectTitle' : 'approvals.approveTitle')}
      onCancel={onCancel}
      fallbackFocus={fallbackFocus}
      testId="decision-dialog"
    >
      <form className="form admin-dialog-form" onSubmit={submit}>
        <p className="admin-dialog-summary">{escapeBidiControls(draft.summary)}</p>
        <div className="field admin-dialog-field">
          <label htmlFor={reasonId}>
            {t(rejecting ? 'approvals.reasonRequiredLabel' : 'approvals.reasonOptional')}
          </label>
          <textarea
            id={reasonId}
            value={reason}
            maxLength={1000}
            rows={3}
            required={rejecting}
            aria-invalid={error ? true : undefined}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="admin-actions">
          <Button type="submit" variant={rejecting ? 'danger' : 'primary'} disabled={busy}>
            {t(rejecting ? 'approvals.reject' : 'approvals.approve')}
          </Button>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {t('approvals.cancel')}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}

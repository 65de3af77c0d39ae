import { reasonSchema } from '@atrium/contracts';
import { Button, ModalDialog, TextField } from '@atrium/shared';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WriteFailure } from '../hooks/use-release-write.js';
import { WriteFailureNotice } from './write-failure-notice.js';

interface ActionDialogProps {
  open: boolean;
  title: string;
  /** Exactly what will happen, e.g. "chat-core: stable 1.1.0 → 1.0.0, canary cleared". */
  summary: string;
  confirmLabel: string;
  pending: boolean;
  failure: WriteFailure | null;
  /** Extra inputs (the canary percentage); return false from `valid` to hold the submit. */
  children?: ReactNode;
  valid?: () => boolean;
  onConfirm(reason: string): void;
  onCancel(): void;
  /** A new key starts a fresh form (an empty reason) for a new action. */
  formKey?: string;
}

/** Every registry write asks why, says what it will do, and waits for an explicit Confirm. */
export function ActionDialog(props: ActionDialogProps) {
  return (
    <ModalDialog
      className="admin-dialog"
      open={props.open}
      title={props.title}
      onCancel={props.onCancel}
      testId="release-action-dialog"
    >
      <ActionForm key={props.formKey} {...props} />
    </ModalDialog>
  );
}

function ActionForm({
  summary,
  confirmLabel,
  pending,
  failure,
  children,
  valid,
  onConfirm,
  onCancel,
}: ActionDialogProps) {
  const { t } = useTranslation('admin');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = reasonSchema.safeParse(reason);
    setReasonError(parsed.success ? null : t('action.reasonInvalid'));
    if (!parsed.success || (valid && !valid())) return;
    onConfirm(parsed.data);
  }

  return (
    <form className="form admin-dialog-form" noValidate onSubmit={submit} aria-busy={pending}>
      <p className="admin-dialog-summary" data-testid="action-summary">
        <strong>{summary}</strong>
      </p>
      {children}
      <TextField
        label={t('action.reason')}
        hint={t('action.reasonHint')}
        required
        minLength={3}
        autoFocus
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={reasonError}
      />
      {failure ? <WriteFailureNotice failure={failure} /> : null}
      <div className="admin-actions">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          {t('action.cancel')}
        </Button>
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? t('action.working') : confirmLabel}
        </Button>
      </div>
    </form>
  );
}

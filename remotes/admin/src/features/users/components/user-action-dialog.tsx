import { type ManagedUser, userAdminReasonSchema } from '@atrium/contracts';
import { Button, ModalDialog, TextField } from '@atrium/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { deleteUser, disableUser, enableUser, resetPassword, revokeSessions, unlockSignIn } from '../api.js';

export type UserAction = 'disable' | 'enable' | 'resetPassword' | 'revokeSessions' | 'unlock' | 'delete';

/** Each action's strings live in their own i18n group (two levels at most: the shell's `Translations`). */
export const actionGroup = {
  disable: 'userDisable',
  enable: 'userEnable',
  resetPassword: 'userResetPassword',
  revokeSessions: 'userRevokeSessions',
  unlock: 'userUnlock',
  delete: 'userDelete',
} as const satisfies Record<UserAction, string>;

/** What an action did, for the page's notice (and the list's reload). */
export type ActionOutcome =
  | { action: Exclude<UserAction, 'delete'>; user: ManagedUser }
  | { action: 'delete'; user: ManagedUser; deleted: { chats: number; documents: number; sharedDocumentsKept: number } };

interface UserActionDialogProps {
  api: ApiClientLike;
  user: ManagedUser;
  action: UserAction;
  onDone(outcome: ActionOutcome): void;
  onCancel(): void;
}
type ApiClientLike = Parameters<typeof disableUser>[0];

/**
 * Every account action asks why (3–500 characters, audited), says what will happen, and waits
 * for an explicit confirm; deleting also asks for the account's email typed out. A password
 * reset then shows the temporary password once, with a copy button, until "Done".
 */
export function UserActionDialog({ api, user, action, onDone, onCancel }: UserActionDialogProps) {
  const { t } = useTranslation('admin');
  const [temporary, setTemporary] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const title = t(`${actionGroup[action]}.title`, { email: user.email });
  return (
    <ModalDialog
      className="admin-dialog"
      open
      title={title}
      onCancel={onCancel}
      // Esc neither hides a running request's outcome nor the password that is shown only once.
      dismissible={!pending && temporary === null}
      testId="user-action-dialog"
    >
      {temporary ? (
        <TemporaryPassword
          password={temporary}
          email={user.email}
          onDone={() => onDone({ action: 'resetPassword', user })}
        />
      ) : (
        <ActionForm
          api={api}
          user={user}
          action={action}
          onDone={onDone}
          onCancel={onCancel}
          onReset={setTemporary}
          onPendingChange={setPending}
        />
      )}
    </ModalDialog>
  );
}

function ActionForm({
  api,
  user,
  action,
  onDone,
  onCancel,
  onReset,
  onPendingChange,
}: UserActionDialogProps & { onReset(password: string): void; onPendingChange(pending: boolean): void }) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [confirmEmail, setConfirmEmail] = useState('');
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [pending, setPendingHere] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const setPending = (value: boolean) => {
    setPendingHere(value);
    onPendingChange(value);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = userAdminReasonSchema.safeParse({ reason });
    setReasonError(parsed.success ? null : t('userActions.reasonInvalid'));
    const emailMatches = action !== 'delete' || confirmEmail.trim().toLowerCase() === user.email;
    setConfirmError(emailMatches ? null : t('userDelete.confirmMismatch'));
    if (!parsed.success || !emailMatches) return;
    const why = parsed.data.reason;
    setPending(true);
    setFailure(null);
    try {
      switch (action) {
        case 'disable':
          onDone({ action, user: await disableUser(api, user.id, why) });
          break;
        case 'enable':
          onDone({ action, user: await enableUser(api, user.id, why) });
          break;
        case 'revokeSessions':
          onDone({ action, user: await revokeSessions(api, user.id, why) });
          break;
        case 'unlock':
          onDone({ action, user: await unlockSignIn(api, user.id, why) });
          break;
        case 'delete':
          onDone({ action, user, deleted: await deleteUser(api, user.id, why) });
          break;
        case 'resetPassword':
          onReset(await resetPassword(api, user.id, why));
          break;
      }
    } catch (error) {
      setFailure(errorMessage(error));
      setPending(false);
    }
  }

  return (
    <form className="form admin-dialog-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={pending}>
      <p className="admin-dialog-summary" data-testid="user-action-summary">
        <strong>{t(`${actionGroup[action]}.summary`, { email: user.email })}</strong>
      </p>
      <TextField
        label={t('userActions.reason')}
        hint={t('userActions.reasonHint')}
        required
        minLength={3}
        maxLength={500}
        autoFocus
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={reasonError}
      />
      {action === 'delete' ? (
        <TextField
          label={t('userDelete.confirmLabel', { email: user.email })}
          required
          autoComplete="off"
          spellCheck={false}
          value={confirmEmail}
          onChange={(event) => setConfirmEmail(event.target.value)}
          error={confirmError}
        />
      ) : null}
      {failure ? (
        <p role="alert" style={{ color: 'var(--danger)' }}>
          {t('userActions.failed', { reason: failure })}
        </p>
      ) : null}
      <div className="admin-actions">
        <Button variant="secondary" onClick={onCancel} disabled={pending}>
          {t('action.cancel')}
        </Button>
        <Button
          type="submit"
          variant={action === 'enable' || action === 'unlock' ? 'primary' : 'danger'}
          disabled={pending}
        >
          {pending ? t('action.working') : t(`${actionGroup[action]}.confirm`)}
        </Button>
      </div>
    </form>
  );
}

/** The only time the temporary password is visible: copy it now; "Done" forgets it. */
function TemporaryPassword({ password, email, onDone }: { password: string; email: string; onDone(): void }) {
  const { t } = useTranslation('admin');
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => heading.current?.focus(), []);

  function copy() {
    navigator.clipboard.writeText(password).then(
      () => setCopyState('copied'),
      () => setCopyState('failed'),
    );
  }

  return (
    <section className="admin-secret" aria-labelledby={`${id}-title`} data-testid="temporary-password">
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('userResetPassword.doneTitle', { email })}
      </h3>
      <p role="alert">
        <strong>{t('userResetPassword.shownOnce')}</strong>
      </p>
      <p>{t('userResetPassword.explain')}</p>
      <label htmlFor={id}>{t('userResetPassword.label')}</label>
      <div className="admin-actions">
        <input
          id={id}
          readOnly
          value={password}
          size={28}
          data-testid="temporary-password-value"
          onFocus={(event) => event.target.select()}
        />
        <Button variant="secondary" onClick={copy}>
          {t('tokens.copy')}
        </Button>
        <span role="status">
          {copyState === 'copied' ? t('tokens.copied') : copyState === 'failed' ? t('tokens.copyFailed') : null}
        </span>
      </div>
      <div>
        <Button onClick={onDone}>{t('tokens.done')}</Button>
      </div>
    </section>
  );
}

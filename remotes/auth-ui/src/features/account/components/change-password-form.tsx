import type { MountProps } from '@atrium/contracts';
import { ApiRequestError, Button, ErrorNotice, rejectedFields, TextField } from '@atrium/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { changePassword } from '../api.js';
import { checkPasswordDraft, type PasswordDraft } from '../password-form.js';

interface ChangePasswordFormProps {
  services: Pick<MountProps, 'api' | 'refreshSession' | 'bus'>;
  onChanged(): void;
}

const emptyDraft: PasswordDraft = { currentPassword: '', newPassword: '', confirmPassword: '' };

type Field = keyof PasswordDraft;

const fields: Field[] = ['currentPassword', 'newPassword', 'confirmPassword'];
const clientMessageKeys: Record<Field, string> = {
  currentPassword: 'password.currentRequired',
  newPassword: 'password.tooShort',
  confirmPassword: 'password.mismatch',
};

/** Which field a refusal from the BFF is about, so it shows where the user will look. */
function fieldOf(error: unknown): Field | null {
  if (!(error instanceof ApiRequestError)) return null;
  if (error.code === 'auth.wrong_password') return 'currentPassword';
  if (error.code === 'auth.password_too_weak') return 'newPassword';
  return null;
}

export function ChangePasswordForm({ services, onChanged }: ChangePasswordFormProps) {
  const { t } = useTranslation('auth');
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState(emptyDraft);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  const clientErrors = (invalid: Set<string>) =>
    Object.fromEntries(
      fields.filter((field) => invalid.has(field)).map((field) => [field, t(clientMessageKeys[field])]),
    );
  const edit = (field: Field) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [field]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    setDone(false);
    const check = checkPasswordDraft(draft);
    if (!check.ok) {
      setFieldErrors(clientErrors(check.invalid));
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      await changePassword(services, check.body);
      setDraft(emptyDraft);
      setDone(true);
      onChanged();
    } catch (error) {
      const field = fieldOf(error);
      const rejected = rejectedFields(error);
      if (field) setFieldErrors({ [field]: errorMessage(error) });
      else if (rejected) setFieldErrors(clientErrors(rejected));
      else setFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="change-password-title">
      <h2 id="change-password-title">{t('password.title')}</h2>
      <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={pending}>
        {failure ? <ErrorNotice title={t('password.failed')}>{failure}</ErrorNotice> : null}
        {done ? (
          <p role="status" data-testid="password-changed">
            {t('password.changed')}
          </p>
        ) : null}
        <TextField
          label={t('password.current')}
          type="password"
          autoComplete="current-password"
          required
          value={draft.currentPassword}
          onChange={edit('currentPassword')}
          error={fieldErrors.currentPassword}
        />
        <TextField
          label={t('password.new')}
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          hint={t('password.hint')}
          value={draft.newPassword}
          onChange={edit('newPassword')}
          error={fieldErrors.newPassword}
        />
        <TextField
          label={t('password.confirm')}
          type="password"
          autoComplete="new-password"
          required
          value={draft.confirmPassword}
          onChange={edit('confirmPassword')}
          error={fieldErrors.confirmPassword}
        />
        <Button type="submit" disabled={pending}>
          {pending ? t('password.submitting') : t('password.submit')}
        </Button>
      </form>
    </section>
  );
}

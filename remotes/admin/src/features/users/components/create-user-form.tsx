import { type ApiClient, createUserRequestSchema, type ManagedUser, type Role } from '@atrium/contracts';
import { ApiRequestError, Button, ErrorNotice, invalidFields, rejectedFields, TextField } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { createUser } from '../api.js';
import { RoleSelect } from './role-select.js';

type Field = 'email' | 'displayName' | 'password';

const fieldMessageKeys: Record<Field, string> = {
  email: 'create.emailInvalid',
  displayName: 'create.displayNameInvalid',
  password: 'create.passwordInvalid',
};
const fields = Object.keys(fieldMessageKeys) as Field[];

/** Which field a refusal from the BFF is about, so it shows where the user will look. */
function fieldOf(error: unknown): Field | null {
  if (!(error instanceof ApiRequestError)) return null;
  if (error.code === 'user.email_taken') return 'email';
  if (error.code === 'auth.password_too_weak') return 'password';
  return null;
}

interface CreateUserFormProps {
  api: ApiClient;
  onCreated(user: ManagedUser): void;
  onCancel(): void;
}

export function CreateUserForm({ api, onCreated, onCancel }: CreateUserFormProps) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const roleId = useId();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const messagesFor = (invalid: Set<string>) =>
    Object.fromEntries(
      fields.filter((field) => invalid.has(field)).map((field) => [field, t(fieldMessageKeys[field])]),
    );

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const parsed = createUserRequestSchema.safeParse({ email, displayName, role, password });
    if (!parsed.success) {
      setFieldErrors(messagesFor(invalidFields(parsed.error.issues)));
      return;
    }
    setFieldErrors({});
    setPending(true);
    try {
      onCreated(await createUser(api, parsed.data));
    } catch (error) {
      const field = fieldOf(error);
      const rejected = rejectedFields(error);
      if (field) setFieldErrors({ [field]: errorMessage(error) });
      else if (rejected) setFieldErrors(messagesFor(rejected));
      else setFailure(errorMessage(error));
      setPending(false);
    }
  }

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={pending}
      aria-label={t('create.title')}
    >
      <h3>{t('create.title')}</h3>
      {failure ? <ErrorNotice title={t('create.failed')}>{failure}</ErrorNotice> : null}
      <TextField
        label={t('create.email')}
        type="email"
        autoComplete="off"
        autoFocus
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldErrors.email}
      />
      <TextField
        label={t('create.displayName')}
        autoComplete="off"
        required
        value={displayName}
        onChange={(event) => setDisplayName(event.target.value)}
        error={fieldErrors.displayName}
      />
      <label htmlFor={roleId}>
        {t('create.role')}
        <RoleSelect id={roleId} value={role} onChange={setRole} />
      </label>
      <TextField
        label={t('create.password')}
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint={t('create.passwordHint')}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
      />
      <div style={{ display: 'flex', gap: 8 }}>
        <Button type="submit" disabled={pending}>
          {pending ? t('create.submitting') : t('create.submit')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('create.cancel')}
        </Button>
      </div>
    </form>
  );
}

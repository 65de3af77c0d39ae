import { type MeResponse, type MountProps, signInRequestSchema } from '@atrium/contracts';
import { Button, ErrorNotice, invalidFields, rejectedFields, TextField } from '@atrium/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { signIn } from '../api.js';

interface SignInFormProps {
  services: Pick<MountProps, 'api' | 'refreshSession' | 'bus'>;
  onSignedIn(me: MeResponse): void;
}

export function SignInForm({ services, onSignedIn }: SignInFormProps) {
  const { t } = useTranslation('auth');
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const parsed = signInRequestSchema.safeParse({ email, password });
    if (!parsed.success) {
      setInvalid(invalidFields(parsed.error.issues));
      return;
    }
    setInvalid(new Set());
    setPending(true);
    try {
      onSignedIn(await signIn(services, parsed.data));
    } catch (error) {
      const fields = rejectedFields(error);
      if (fields) setInvalid(fields);
      else setFailure(errorMessage(error));
      setPending(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={pending}>
      {failure ? <ErrorNotice title={t('signIn.failed')}>{failure}</ErrorNotice> : null}
      <TextField
        label={t('signIn.email')}
        type="email"
        name="email"
        autoComplete="username"
        autoFocus
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={invalid.has('email') ? t('signIn.emailInvalid') : null}
      />
      <TextField
        label={t('signIn.password')}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={invalid.has('password') ? t('signIn.passwordRequired') : null}
      />
      <Button type="submit" disabled={pending}>
        {pending ? t('signIn.submitting') : t('signIn.submit')}
      </Button>
    </form>
  );
}

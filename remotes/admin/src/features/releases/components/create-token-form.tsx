import { type ApiClient, createDeployTokenRequestSchema, type RemoteName, remoteNames } from '@atrium/contracts';
import { Button, ErrorNotice, TextField } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { createDeployToken } from '../api.js';

export interface CreatedToken {
  remote: RemoteName;
  name: string;
  secret: string;
}

export function CreateTokenForm({ api, onCreated }: { api: ApiClient; onCreated(token: CreatedToken): void }) {
  const { t } = useTranslation('admin');
  const errorMessage = useErrorMessage();
  const remoteId = useId();
  const [remote, setRemote] = useState<RemoteName>('chat-core');
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const parsed = createDeployTokenRequestSchema.safeParse({ remote, name });
    setNameError(parsed.success ? null : t('tokens.nameInvalid'));
    if (!parsed.success) return;
    setPending(true);
    try {
      const { token, secret } = await createDeployToken(api, parsed.data);
      setName('');
      onCreated({ remote: token.remote, name: token.name, secret });
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-busy={pending}
      aria-label={t('tokens.createTitle')}
    >
      <h3>{t('tokens.createTitle')}</h3>
      {failure ? <ErrorNotice title={t('tokens.createFailed')}>{failure}</ErrorNotice> : null}
      <label htmlFor={remoteId}>
        {t('tokens.remote')}
        <select id={remoteId} value={remote} onChange={(event) => setRemote(event.target.value as RemoteName)}>
          {remoteNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <TextField
        label={t('tokens.name')}
        required
        autoComplete="off"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={nameError}
      />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? t('tokens.creating') : t('tokens.create')}
        </Button>
      </div>
    </form>
  );
}

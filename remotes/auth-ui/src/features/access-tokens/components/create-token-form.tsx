import type { ApiClient } from '@atrium/contracts';
import { Button, ErrorNotice, TextField } from '@atrium/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../../../i18n/error-message.js';
import { createAccessToken } from '../api.js';

const expiryChoices = ['7', '30', '90', '366', 'never'] as const;

interface CreateTokenFormProps {
  api: ApiClient;
  onCreated(): void;
}

/** Name + expiry → the new token, shown once with a copy button until the user dismisses it. */
export function CreateTokenForm({ api, onCreated }: CreateTokenFormProps) {
  const { t } = useTranslation('auth');
  const errorMessage = useErrorMessage();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<(typeof expiryChoices)[number]>('30');
  const [nameError, setNameError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setNameError(t('tokens.nameRequired'));
      return;
    }
    setNameError(null);
    setFailure(null);
    setPending(true);
    try {
      const created = await createAccessToken(api, {
        name: name.trim(),
        scopes: ['mcp'],
        expiresInDays: expiry === 'never' ? null : Number(expiry),
      });
      setSecret(created.secret);
      setCopied(false);
      setName('');
      onCreated();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <div style={{ display: 'grid', gap: 8 }}>
      {secret ? (
        <div role="status" data-testid="new-token" className="notice">
          <p>{t('tokens.copyOnce')}</p>
          <code style={{ overflowWrap: 'anywhere' }}>{secret}</code>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 8 }}>
            <Button onClick={() => void copy()}>{copied ? t('tokens.copied') : t('tokens.copy')}</Button>
            <Button variant="secondary" onClick={() => setSecret(null)}>
              {t('tokens.done')}
            </Button>
          </div>
        </div>
      ) : null}
      <form onSubmit={(event) => void submit(event)} style={{ display: 'grid', gap: 8 }} noValidate>
        <TextField
          label={t('tokens.name')}
          hint={t('tokens.nameHint')}
          value={name}
          maxLength={100}
          error={nameError}
          onChange={(event) => setName(event.target.value)}
        />
        <div className="field">
          <label>
            {t('tokens.expiry')}
            <select value={expiry} onChange={(event) => setExpiry(event.target.value as typeof expiry)}>
              {expiryChoices.map((choice) => (
                <option key={choice} value={choice}>
                  {choice === 'never' ? t('tokens.never') : t('tokens.days', { count: Number(choice) })}
                </option>
              ))}
            </select>
          </label>
        </div>
        {failure ? <ErrorNotice title={t('tokens.createFailed')}>{failure}</ErrorNotice> : null}
        <div>
          <Button type="submit" disabled={pending}>
            {pending ? t('tokens.creating') : t('tokens.create')}
          </Button>
        </div>
      </form>
    </div>
  );
}

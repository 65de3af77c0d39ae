import { Button } from '@atrium/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedToken } from './create-token-form.js';

/** The only time the secret is visible: copy it now; "Done" forgets it. */
export function TokenSecret({ token, onDone }: { token: CreatedToken; onDone(): void }) {
  const { t } = useTranslation('admin');
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => heading.current?.focus(), []);

  function copy() {
    navigator.clipboard.writeText(token.secret).then(
      () => setCopyState('copied'),
      () => setCopyState('failed'),
    );
  }

  return (
    <section className="admin-secret" aria-labelledby={`${id}-title`} data-testid="token-secret">
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('tokens.secretTitle', { remote: token.remote, name: token.name })}
      </h3>
      <p role="alert">
        <strong>{t('tokens.secretWarning')}</strong>
      </p>
      <label htmlFor={id}>{t('tokens.secretLabel')}</label>
      <div className="admin-actions">
        <input id={id} readOnly value={token.secret} size={60} onFocus={(event) => event.target.select()} />
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

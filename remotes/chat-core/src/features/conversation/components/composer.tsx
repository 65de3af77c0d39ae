import { Button } from '@atrium/shared';
import { type FormEvent, type KeyboardEvent, type Ref, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { draftLimit } from '../draft-limit.js';

interface ComposerProps {
  /** An answer is being written: sending waits, Stop (and Esc) ends it. */
  answering: boolean;
  disabled?: boolean;
  onSend(content: string): void;
  onStop(): void;
  inputRef?: Ref<HTMLTextAreaElement>;
}

export function Composer({ answering, disabled, onSend, onStop, inputRef }: ComposerProps) {
  const { t, i18n } = useTranslation('chat');
  const [draft, setDraft] = useState('');
  const hintId = useId();
  const limit = draftLimit(draft);
  const canSend = !answering && !disabled && limit.length > 0 && limit.over === 0;
  const count = (n: number) => n.toLocaleString(i18n.language);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(draft.trim());
    setDraft('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // While an IME is composing (Chinese input), Enter picks a candidate; it must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && answering) {
      event.preventDefault();
      onStop();
    }
  }

  return (
    <form className="chat-composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={`${hintId}-input`}>
        {t('composer.label')}
      </label>
      <textarea
        id={`${hintId}-input`}
        ref={inputRef}
        data-testid="composer"
        rows={Math.min(8, Math.max(2, draft.split('\n').length))}
        value={draft}
        placeholder={t('composer.placeholder')}
        aria-describedby={limit.showCounter ? `${hintId} ${hintId}-limit` : hintId}
        aria-invalid={limit.over > 0 ? true : undefined}
        disabled={disabled}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id={hintId} className="visually-hidden">
        {t('composer.hint')}
      </span>
      {limit.showCounter ? (
        <p
          id={`${hintId}-limit`}
          className={`chat-composer-limit ${limit.over > 0 ? 'chat-composer-limit-over' : ''}`}
          data-testid="composer-limit"
          role={limit.over > 0 ? 'alert' : undefined}
        >
          {limit.over > 0
            ? t('composer.tooLong', { over: count(limit.over), max: count(limit.max) })
            : t('composer.counter', { length: count(limit.length), max: count(limit.max) })}
        </p>
      ) : null}
      <div className="chat-composer-actions">
        {answering ? (
          <Button variant="danger" onClick={onStop} data-testid="stop">
            {t('composer.stop')}
          </Button>
        ) : null}
        <Button type="submit" disabled={!canSend} data-testid="send">
          {t('composer.send')}
        </Button>
      </div>
    </form>
  );
}

import type { Chat } from '@atrium/contracts';
import { chatTitleMaxChars } from '@atrium/contracts/values';
import { Button } from '@atrium/shared';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { plainPreview } from '../chat-preview.js';
import { titleFits } from '../title-check.js';

interface ChatListItemProps {
  chat: Chat;
  href: string;
  current: boolean;
  /** The agent answering here when it is not the default; null otherwise. */
  agentName?: string | null;
  onRename(title: string): Promise<boolean>;
  onDelete(): void;
}

export function ChatListItem({ chat, href, current, agentName = null, onRename, onDelete }: ChatListItemProps) {
  const { t } = useTranslation('chat');
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(chat.title ?? '');
  const [tooLong, setTooLong] = useState(false);
  const [saving, setSaving] = useState(false);
  const errorId = useId();
  const shownTitle = chat.title ?? t('list.untitled');

  async function save(event: FormEvent) {
    event.preventDefault();
    const next = title.trim();
    if (!next || next === chat.title) return setEditing(false);
    // Checked with the BFF's own rule rather than cut by the text box, so a pasted title is never shortened unseen.
    setSaving(true);
    const fits = await titleFits(next);
    setTooLong(!fits);
    if (!fits) return setSaving(false);
    const saved = await onRename(next);
    setSaving(false);
    if (saved) setEditing(false);
  }

  if (editing) {
    return (
      <li className="chat-item chat-item-editing" data-testid="chat-item" data-chat-id={chat.id}>
        <form className="chat-rename" onSubmit={save}>
          <input
            aria-label={t('list.renameLabel', { title: shownTitle })}
            value={title}
            aria-invalid={tooLong ? true : undefined}
            aria-describedby={tooLong ? errorId : undefined}
            // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this title
            autoFocus
            onChange={(event) => setTitle(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && setEditing(false)}
          />
          <Button type="submit" disabled={saving}>
            {t('list.save')}
          </Button>
          <Button variant="secondary" onClick={() => setEditing(false)}>
            {t('list.cancel')}
          </Button>
          {tooLong ? (
            <small id={errorId} className="field-error" role="alert">
              {t('list.titleTooLong', { max: chatTitleMaxChars })}
            </small>
          ) : null}
        </form>
      </li>
    );
  }

  return (
    <li className={`chat-item ${current ? 'chat-item-current' : ''}`} data-testid="chat-item" data-chat-id={chat.id}>
      <Link to={href} className="chat-item-link" aria-current={current ? 'page' : undefined}>
        <span className="chat-item-title">{shownTitle}</span>
        {agentName ? (
          <span className="chat-item-agent" data-testid="chat-item-agent">
            {t('agents.answering', { name: agentName })}
          </span>
        ) : null}
        {chat.preview ? <span className="chat-item-preview">{plainPreview(chat.preview)}</span> : null}
      </Link>
      <div className="chat-item-actions">
        <button
          type="button"
          className="chat-icon-btn"
          aria-label={t('list.renameChat', { title: shownTitle })}
          onClick={() => {
            setTitle(chat.title ?? '');
            setTooLong(false);
            setEditing(true);
          }}
        >
          {t('list.rename')}
        </button>
        <button
          type="button"
          className="chat-icon-btn chat-icon-btn-danger"
          aria-label={t('list.deleteChat', { title: shownTitle })}
          onClick={onDelete}
        >
          {t('list.delete')}
        </button>
      </div>
    </li>
  );
}

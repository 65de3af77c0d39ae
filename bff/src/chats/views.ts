import type { Chat, Message } from '@atrium/contracts';
import type { ChatRow, MessageRow } from '../db/schema/index.js';

export const toChatView = (row: ChatRow): Chat => ({
  id: row.id,
  // Untitled until the first message names it; the client shows "New chat" in the reader's language.
  title: row.title,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  preview: row.preview,
  agentId: row.agentId,
});

export const toMessageView = (row: MessageRow): Message => ({
  id: row.id,
  chatId: row.chatId,
  role: row.role,
  content: row.content,
  status: row.status,
  mode: row.mode,
  model: row.model,
  promptTokens: row.promptTokens,
  completionTokens: row.completionTokens,
  costUsd: row.costUsd,
  error:
    row.status === 'failed' || row.status === 'interrupted'
      ? (row.error ?? { code: 'agent.failed', message: 'The answer failed.' })
      : null,
  deltaSeq: row.deltaSeq,
  citations: row.citations ?? [],
  steps: row.steps,
  clientKey: row.role === 'user' ? row.idempotencyKey : null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * The first `max` characters of a text on one line, for the chat list; an ellipsis marks a cut.
 * Counted in code points, so a cut never splits a character outside the Basic Multilingual Plane
 * (an emoji) into a lone surrogate.
 */
export function excerpt(text: string, max: number): string {
  const flat = [...text.replace(/\s+/g, ' ').trim()];
  return flat.length <= max
    ? flat.join('')
    : `${flat
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

const titleChars = 60;

/** An untitled chat is named after the first non-blank line of its first message, up to 60 characters. */
export function titleFromMessage(content: string): string {
  const firstLine = content.split('\n').find((line) => line.trim() !== '') ?? content;
  return excerpt(firstLine, titleChars);
}

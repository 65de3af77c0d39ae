import type { Chat, Message } from '@atrium/contracts';
import type { ChatRow, MessageRow } from '../db/schema/index.js';

export const untitledChat = 'New chat';

export const toChatView = (row: ChatRow): Chat => ({
  id: row.id,
  title: row.title ?? untitledChat,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  preview: row.preview,
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
  error: row.status === 'failed' ? (row.error ?? { code: 'agent.failed', message: 'The answer failed.' }) : null,
  deltaSeq: row.deltaSeq,
  citations: row.citations ?? [],
  clientKey: row.role === 'user' ? row.idempotencyKey : null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** First characters of a message, for the chat list and for a title taken from the first message. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

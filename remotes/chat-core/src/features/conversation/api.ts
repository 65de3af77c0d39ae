import {
  type ApiClient,
  answerResponseSchema,
  listMessagesResponseSchema,
  type Message,
  postMessageResponseSchema,
} from '@atrium/contracts';

const chatPath = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}`;

export interface MessagePage {
  /** Oldest first. */
  messages: Message[];
  /** Cursor of the next page further into the past. */
  nextCursor: string | null;
}

export function listMessages(api: ApiClient, chatId: string, cursor?: string | null): Promise<MessagePage> {
  const params = new URLSearchParams({ limit: '30' });
  if (cursor) params.set('cursor', cursor);
  return api.get(`${chatPath(chatId)}/messages?${params}`, listMessagesResponseSchema);
}

/** `idempotencyKey` is reused when the same send is retried, so the BFF stores it once. */
export function postMessage(api: ApiClient, chatId: string, content: string, idempotencyKey: string) {
  return api.send('POST', `${chatPath(chatId)}/messages`, { content }, postMessageResponseSchema, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export async function stopAnswer(api: ApiClient, chatId: string): Promise<Message> {
  const { answer } = await api.send('POST', `${chatPath(chatId)}/stop`, {}, answerResponseSchema);
  return answer;
}

export async function regenerateAnswer(api: ApiClient, chatId: string): Promise<Message> {
  const { answer } = await api.send('POST', `${chatPath(chatId)}/regenerate`, {}, answerResponseSchema);
  return answer;
}

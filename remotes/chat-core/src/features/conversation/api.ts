import type {
  AnswerResponse,
  ApiClient,
  Citation,
  ListMessagesResponse,
  Message,
  PassageResponse,
  PostMessageResponse,
} from '@atrium/contracts';
import { trustedResponse } from '@atrium/contracts/values';

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
  return api.get(`${chatPath(chatId)}/messages?${params}`, trustedResponse<ListMessagesResponse>());
}

/** `idempotencyKey` is reused when the same send is retried, so the BFF stores it once. */
export function postMessage(api: ApiClient, chatId: string, content: string, idempotencyKey: string) {
  return api.send('POST', `${chatPath(chatId)}/messages`, { content }, trustedResponse<PostMessageResponse>(), {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export async function stopAnswer(api: ApiClient, chatId: string): Promise<Message> {
  const { answer } = await api.send('POST', `${chatPath(chatId)}/stop`, {}, trustedResponse<AnswerResponse>());
  return answer;
}

export async function regenerateAnswer(api: ApiClient, chatId: string): Promise<Message> {
  const { answer } = await api.send('POST', `${chatPath(chatId)}/regenerate`, {}, trustedResponse<AnswerResponse>());
  return answer;
}

/** A cited passage between its neighbours, with its document. */
export type { PassageResponse };

/**
 * `GET /api/documents/:documentId/passages/:chunkId`: a cited passage with its neighbours, the
 * asker's permission checked again. Rejects with `ApiRequestError` 404 `document.not_found` when
 * the document was deleted or the asker may no longer read it.
 */
export function getPassage(
  api: ApiClient,
  citation: Pick<Citation, 'documentId' | 'chunkId'>,
): Promise<PassageResponse> {
  const path = `/api/documents/${encodeURIComponent(citation.documentId)}/passages/${encodeURIComponent(citation.chunkId)}`;
  return api.get(path, trustedResponse<PassageResponse>());
}

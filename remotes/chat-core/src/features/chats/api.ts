import type { ApiClient, Chat, ChatResponse, ListChatsResponse, OkResponse } from '@atrium/contracts';
import { trustedResponse } from '@atrium/contracts/values';

export interface ChatPage {
  chats: Chat[];
  nextCursor: string | null;
}

export function listChats(api: ApiClient, query: { q: string; cursor?: string | null }): Promise<ChatPage> {
  const params = new URLSearchParams({ limit: '30' });
  if (query.q) params.set('q', query.q);
  if (query.cursor) params.set('cursor', query.cursor);
  return api.get(`/api/chats?${params}`, trustedResponse<ListChatsResponse>());
}

/** A new chat; `agentId` other than the default needs `multi_agent` (402 `entitlement.required`). */
export async function createChat(api: ApiClient, input: { title?: string; agentId?: string } = {}): Promise<Chat> {
  const { chat } = await api.send('POST', '/api/chats', input, trustedResponse<ChatResponse>());
  return chat;
}

export async function renameChat(api: ApiClient, id: string, title: string): Promise<Chat> {
  const { chat } = await api.send(
    'PATCH',
    `/api/chats/${encodeURIComponent(id)}`,
    { title },
    trustedResponse<ChatResponse>(),
  );
  return chat;
}

export async function deleteChat(api: ApiClient, id: string): Promise<void> {
  await api.send('DELETE', `/api/chats/${encodeURIComponent(id)}`, {}, trustedResponse<OkResponse>());
}

import type { Chat, ServerEvent } from '@atrium/contracts';
import type { ChatPage } from './api.js';

export interface ChatListState {
  /** The search the list shows; results for an older search are dropped. */
  q: string;
  status: 'loading' | 'ready' | 'failed';
  error: unknown;
  chats: Chat[];
  nextCursor: string | null;
  loadingMore: boolean;
}

export type ChatListAction =
  | { type: 'search'; q: string }
  | { type: 'loaded'; q: string; page: ChatPage; more: boolean }
  | { type: 'loadFailed'; q: string; error: unknown; more: boolean }
  | { type: 'loadingMore' }
  | { type: 'saved'; chat: Chat }
  | { type: 'removed'; chatId: string }
  | { type: 'event'; event: ServerEvent };

export const initialChatList: ChatListState = {
  q: '',
  status: 'loading',
  error: null,
  chats: [],
  nextCursor: null,
  loadingMore: false,
};

/** The same test the BFF's search applies, loosely, so live chats join or leave a filtered list. */
function matches(chat: Chat, q: string): boolean {
  const needle = q.trim().toLocaleLowerCase();
  if (!needle) return true;
  return [chat.title ?? '', chat.preview ?? ''].some((text) => text.toLocaleLowerCase().includes(needle));
}

const newestFirst = (a: Chat, b: Chat) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt);

function save(state: ChatListState, chat: Chat): ChatListState {
  const others = state.chats.filter((c) => c.id !== chat.id);
  const known = others.length !== state.chats.length;
  if (!known && !matches(chat, state.q)) return state;
  return { ...state, chats: [...others, chat].sort(newestFirst) };
}

function remove(state: ChatListState, chatId: string): ChatListState {
  return { ...state, chats: state.chats.filter((c) => c.id !== chatId) };
}

export function chatListReducer(state: ChatListState, action: ChatListAction): ChatListState {
  switch (action.type) {
    case 'search':
      return { ...initialChatList, q: action.q, chats: action.q === state.q ? state.chats : [] };
    case 'loaded': {
      if (action.q !== state.q) return state;
      const chats = action.more
        ? [...state.chats, ...action.page.chats.filter((c) => !state.chats.some((known) => known.id === c.id))]
        : action.page.chats;
      return { ...state, status: 'ready', error: null, chats, nextCursor: action.page.nextCursor, loadingMore: false };
    }
    case 'loadFailed':
      if (action.q !== state.q) return state;
      return action.more
        ? { ...state, loadingMore: false, error: action.error }
        : { ...state, status: 'failed', error: action.error };
    case 'loadingMore':
      return { ...state, loadingMore: true, error: null };
    case 'saved':
      return save(state, action.chat);
    case 'removed':
      return remove(state, action.chatId);
    case 'event':
      if (action.event.type === 'chat.created' || action.event.type === 'chat.updated')
        return save(state, action.event.chat);
      if (action.event.type === 'chat.deleted') return remove(state, action.event.chatId);
      return state;
  }
}

import type { Chat } from '@atrium/contracts';
import { expect, test } from 'vitest';
import { type ChatListAction, chatListReducer, initialChatList } from './chat-list-state.js';

const chat = (n: number, title: string, minute = n): Chat => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  title,
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: `2026-11-23T10:0${minute}:00.000Z`,
  preview: null,
  agentId: 'support',
});
const run = (...actions: ChatListAction[]) => actions.reduce(chatListReducer, initialChatList);
const titles = (chats: Chat[]) => chats.map((c) => c.title);

test('live events keep the list newest first, and a filtered list only takes matching chats', () => {
  const page = { chats: [chat(2, 'Billing'), chat(1, 'Refunds')], nextCursor: null };
  const all = run(
    { type: 'loaded', q: '', page, more: false },
    { type: 'event', event: { type: 'chat.created', chat: chat(3, 'Shipping') } },
    { type: 'event', event: { type: 'chat.updated', chat: chat(1, 'Refund policy', 4) } },
    { type: 'event', event: { type: 'chat.deleted', chatId: chat(2, '').id } },
  );
  expect(titles(all.chats)).toEqual(['Refund policy', 'Shipping']);

  const filtered = run(
    { type: 'search', q: 'ref' },
    { type: 'loaded', q: 'ref', page: { chats: [chat(1, 'Refunds')], nextCursor: null }, more: false },
    { type: 'event', event: { type: 'chat.created', chat: chat(3, 'Shipping') } },
    { type: 'event', event: { type: 'chat.created', chat: chat(4, 'Refund for order 7') } },
  );
  expect(titles(filtered.chats)).toEqual(['Refund for order 7', 'Refunds']);
});

test('results for an older search are dropped; more pages append without duplicates', () => {
  const state = run(
    { type: 'search', q: 'a' },
    { type: 'search', q: 'ab' },
    { type: 'loaded', q: 'a', page: { chats: [chat(1, 'a')], nextCursor: null }, more: false },
    { type: 'loaded', q: 'ab', page: { chats: [chat(2, 'ab')], nextCursor: 'c' }, more: false },
    { type: 'loadingMore' },
    { type: 'loaded', q: 'ab', page: { chats: [chat(2, 'ab'), chat(1, 'abc')], nextCursor: null }, more: true },
  );
  expect(titles(state.chats)).toEqual(['ab', 'abc']);
  expect(state.nextCursor).toBeNull();
});

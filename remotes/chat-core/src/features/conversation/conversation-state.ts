import type { Message, ServerEvent } from '@atrium/contracts';
import { runningMessageStatuses } from '@atrium/contracts/values';
import type { MessagePage } from './api.js';

/** A message as the conversation shows it: the server's, or one this tab is still sending. */
export interface ShownMessage extends Message {
  /** Only on a user message not yet stored; its id and `clientKey` are the send's idempotency key until then. */
  outgoing?: { failed: unknown };
}

type DeltaEvent = Extract<ServerEvent, { type: 'message.delta' }>;

export interface ConversationState {
  chatId: string | null;
  load: 'idle' | 'loading' | 'ready' | 'failed';
  loadError: unknown;
  /** The chat was deleted (here or in another tab) while open. */
  deleted: boolean;
  messages: ShownMessage[];
  olderCursor: string | null;
  /**
   * Deltas not applied yet, by message id: their message is not known yet (events can arrive
   * before the page load), or deltas before them are missing (a gap). Text is only ever
   * extended by the next delta in sequence, so what is shown is always a prefix of the answer.
   */
  held: Record<string, DeltaEvent[]>;
  /**
   * A running answer misses deltas the stream never delivered (it opened after the page was
   * read): the page must be loaded again. The next `loaded` clears it and applies the held deltas;
   * so does the stream filling the gap (the deltas were shown live before they were stored, and
   * their stored copies follow within ATRIUM_ANSWER_PERSIST_MS), once nothing is held.
   */
  refetch: boolean;
}

export type ConversationAction =
  | { type: 'open'; chatId: string | null }
  | { type: 'adopt'; chatId: string }
  | { type: 'loaded'; chatId: string; page: MessagePage }
  | { type: 'loadFailed'; chatId: string; error: unknown }
  | { type: 'olderLoaded'; chatId: string; page: MessagePage }
  | { type: 'sending'; key: string; content: string; at: string }
  | { type: 'sent'; key: string; message: Message; answer: Message }
  | { type: 'sendFailed'; key: string; error: unknown }
  | { type: 'retrying'; key: string }
  | { type: 'discard'; key: string }
  | { type: 'answer'; answer: Message }
  | { type: 'event'; event: ServerEvent };

export function openConversation(chatId: string | null): ConversationState {
  return {
    chatId,
    load: chatId ? 'loading' : 'idle',
    loadError: null,
    deleted: false,
    messages: [],
    olderCursor: null,
    held: {},
    refetch: false,
  };
}

/**
 * Not being written now: complete, failed, stopped, interrupted — and `awaiting_approval`,
 * which rests until its drafts are decided (the user may keep chatting meanwhile).
 */
export function isFinished(message: Pick<Message, 'status'>): boolean {
  return !(runningMessageStatuses as readonly string[]).includes(message.status);
}

/** The answer being written right now, if any. */
export function activeAnswer(messages: ShownMessage[]): ShownMessage | undefined {
  return messages.findLast((m) => m.role === 'assistant' && !isFinished(m));
}

const appliedSeq = (message: Pick<Message, 'deltaSeq'>) => message.deltaSeq ?? -1;

/** Which of two copies of one message to show: a finished copy beats an unfinished one unless newer. */
function fresher(existing: ShownMessage, incoming: Message): ShownMessage {
  if (isFinished(incoming)) {
    // A stop never takes back text already shown. The stop's own copy (its response, its first
    // `message.updated`) holds what was stored when it landed; text shown live since (stored every
    // ATRIUM_ANSWER_PERSIST_MS) comes in a later `stopped` copy. Whichever copy comes last, the
    // longer text it extends stays.
    if (
      incoming.status === 'stopped' &&
      existing.content.length > incoming.content.length &&
      existing.content.startsWith(incoming.content)
    )
      return { ...incoming, content: existing.content };
    return incoming;
  }
  if (isFinished(existing))
    return Date.parse(incoming.updatedAt) > Date.parse(existing.updatedAt) ? incoming : existing;
  // Both unfinished: keep the text of whichever copy holds more deltas.
  return appliedSeq(existing) > appliedSeq(incoming)
    ? { ...incoming, content: existing.content, deltaSeq: existing.deltaSeq }
    : incoming;
}

function hold(state: ConversationState, delta: DeltaEvent): ConversationState {
  const held = [...(state.held[delta.messageId] ?? []), delta];
  return { ...state, held: { ...state.held, [delta.messageId]: held } };
}

function applyDelta(state: ConversationState, delta: DeltaEvent): ConversationState {
  const index = state.messages.findIndex((m) => m.id === delta.messageId);
  if (index < 0) return delta.chatId === state.chatId ? hold(state, delta) : state;
  const message = state.messages[index]!;
  // The message's text already holds every delta up to its `deltaSeq` (a page load, a replay, a duplicate).
  if (isFinished(message) || delta.seq <= appliedSeq(message)) return state;
  // Appending past a gap would leave a hole in the text: keep the delta until the page fills the gap.
  if (delta.seq > appliedSeq(message) + 1) return { ...hold(state, delta), refetch: true };
  const messages = state.messages.slice();
  messages[index] = { ...message, content: message.content + delta.text, deltaSeq: delta.seq, status: 'streaming' };
  const next = track({ ...state, messages }, messages[index]);
  // The stream filled the gap itself (a delta shown live before it was stored, the stored copies
  // came later): no page read is owed any more, and the next gap asks for one afresh.
  return next.refetch && Object.keys(next.held).length === 0 ? { ...next, refetch: false } : next;
}

/** Applies the held deltas that now follow on from the message's text; a finished message needs none. */
function track(state: ConversationState, message: Message): ConversationState {
  const held = state.held[message.id];
  if (!held) return state;
  const { [message.id]: _, ...rest } = state.held;
  const next = { ...state, held: rest };
  if (isFinished(message)) return next;
  return held.toSorted((a, b) => a.seq - b.seq).reduce(applyDelta, next);
}

/** Adds or refreshes one message; a stored user message replaces the outgoing copy it came from. */
function upsert(state: ConversationState, incoming: Message): ConversationState {
  if (incoming.chatId !== state.chatId) return state;
  const messages = state.messages.slice();
  const index = messages.findIndex((m) => m.id === incoming.id);
  if (index >= 0) messages[index] = fresher(messages[index]!, incoming);
  else {
    const outgoing = messages.findIndex((m) => isOutgoingOf(m, incoming));
    if (outgoing >= 0) messages[outgoing] = incoming;
    else messages.push(incoming);
  }
  return track({ ...state, messages }, messages.find((m) => m.id === incoming.id)!);
}

function replaceOutgoing(state: ConversationState, key: string, change: (m: ShownMessage) => ShownMessage | null) {
  const messages = state.messages.flatMap((m) => {
    if (m.id !== key || !m.outgoing) return [m];
    const changed = change(m);
    return changed ? [changed] : [];
  });
  return { ...state, messages };
}

function onEvent(state: ConversationState, event: ServerEvent): ConversationState {
  switch (event.type) {
    case 'message.created':
    case 'message.updated':
      return upsert(state, event.message);
    case 'message.delta':
      return applyDelta(state, event);
    case 'chat.deleted':
      return event.chatId === state.chatId ? { ...state, deleted: true } : state;
    default:
      return state;
  }
}

export function conversationReducer(state: ConversationState, action: ConversationAction): ConversationState {
  switch (action.type) {
    case 'open':
      return openConversation(action.chatId);
    case 'adopt':
      return {
        ...state,
        chatId: action.chatId,
        load: 'loading',
        messages: state.messages.map((m) => (m.outgoing ? { ...m, chatId: action.chatId } : m)),
      };
    case 'loaded': {
      if (action.chatId !== state.chatId) return state;
      const local = new Map(state.messages.map((m) => [m.id, m]));
      const page = action.page.messages.map((m) => {
        const mine = local.get(m.id);
        return mine ? fresher(mine, m) : m;
      });
      const known = new Set(page.map((m) => m.id));
      // Whatever arrived live (or is still being sent) while the page loaded comes after it.
      const later = state.messages.filter((m) => !known.has(m.id) && !storedTwin(page, m));
      let next: ConversationState = {
        ...state,
        load: 'ready',
        olderCursor: action.page.nextCursor,
        messages: [...page, ...later],
        refetch: false,
      };
      for (const message of page) next = track(next, message);
      return next;
    }
    case 'loadFailed':
      return action.chatId === state.chatId ? { ...state, load: 'failed', loadError: action.error } : state;
    case 'olderLoaded': {
      if (action.chatId !== state.chatId) return state;
      const older = action.page.messages.filter((m) => !state.messages.some((known) => known.id === m.id));
      let next: ConversationState = {
        ...state,
        messages: [...older, ...state.messages],
        olderCursor: action.page.nextCursor,
      };
      for (const message of older) next = track(next, message);
      return next;
    }
    case 'sending': {
      const message: ShownMessage = {
        id: action.key,
        chatId: state.chatId ?? '',
        role: 'user',
        content: action.content,
        status: 'pending',
        mode: null,
        model: null,
        promptTokens: null,
        completionTokens: null,
        costUsd: null,
        error: null,
        deltaSeq: null,
        citations: [],
        steps: [],
        clientKey: action.key,
        createdAt: action.at,
        updatedAt: action.at,
        outgoing: { failed: null },
      };
      return { ...state, messages: [...state.messages, message] };
    }
    case 'sent': {
      const stored = state.messages.some((m) => m.id === action.message.id);
      const next = replaceOutgoing(state, action.key, () => (stored ? null : action.message));
      return upsert(upsert(next, action.message), action.answer);
    }
    case 'sendFailed':
      return replaceOutgoing(state, action.key, (m) => ({ ...m, outgoing: { failed: action.error } }));
    case 'retrying':
      return replaceOutgoing(state, action.key, (m) => ({ ...m, outgoing: { failed: null } }));
    case 'discard':
      return replaceOutgoing(state, action.key, () => null);
    case 'answer':
      return upsert(state, action.answer);
    case 'event':
      return onEvent(state, action.event);
  }
}

/** The optimistic copy of a stored user message: the same idempotency key, whatever the text. */
function isOutgoingOf(shown: ShownMessage, stored: Message): boolean {
  return Boolean(shown.outgoing) && stored.clientKey !== null && shown.clientKey === stored.clientKey;
}

/** An outgoing message that the loaded page already holds (the send landed before the load). */
function storedTwin(page: Message[], message: ShownMessage): boolean {
  return page.some((m) => isOutgoingOf(message, m));
}

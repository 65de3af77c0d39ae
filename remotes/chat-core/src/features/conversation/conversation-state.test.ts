import type { Message, ServerEvent } from '@atrium/contracts';
import { describe, expect, test } from 'vitest';
import {
  activeAnswer,
  type ConversationAction,
  type ConversationState,
  conversationReducer,
  isFinished,
  openConversation,
} from './conversation-state.js';

const chatId = '00000000-0000-4000-8000-000000000001';
const at = '2026-11-23T10:00:00.000Z';

function message(id: string, patch: Partial<Message> = {}): Message {
  return {
    id,
    chatId,
    role: 'assistant',
    content: '',
    status: 'complete',
    mode: 'llm',
    model: 'small',
    promptTokens: null,
    completionTokens: null,
    costUsd: null,
    error: null,
    deltaSeq: null,
    citations: [],
    steps: [],
    clientKey: null,
    createdAt: at,
    updatedAt: at,
    ...patch,
  };
}

const run = (state: ConversationState, ...actions: ConversationAction[]) => actions.reduce(conversationReducer, state);
const event = (e: ServerEvent): ConversationAction => ({ type: 'event', event: e });
const delta = (messageId: string, seq: number, text: string) =>
  event({ type: 'message.delta', chatId, messageId, seq, text });
const loaded = (...messages: Message[]): ConversationAction => ({
  type: 'loaded',
  chatId,
  page: { messages, nextCursor: null },
});
const contents = (state: ConversationState) => state.messages.map((m) => `${m.role}:${m.content}:${m.status}`);

describe('conversation state', () => {
  test('an optimistic message is replaced by the stored one, whichever arrives first', () => {
    const stored = message('u1', { role: 'user', content: 'Hi', status: 'complete', clientKey: 'k1' });
    const answer = message('a1', { status: 'pending' });
    const sending: ConversationAction = { type: 'sending', key: 'k1', content: 'Hi', at };
    const sent: ConversationAction = { type: 'sent', key: 'k1', message: stored, answer };

    const eventsFirst = run(
      openConversation(chatId),
      loaded(),
      sending,
      event({ type: 'message.created', message: stored }),
      event({ type: 'message.created', message: answer }),
      sent,
    );
    const responseFirst = run(
      openConversation(chatId),
      loaded(),
      sending,
      sent,
      event({ type: 'message.created', message: stored }),
    );
    for (const state of [eventsFirst, responseFirst]) {
      expect(state.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
      expect(state.messages[0]!.outgoing).toBeUndefined();
    }
  });

  test('optimistic copies are matched by their key, not their text', () => {
    const second = message('u2', { role: 'user', content: 'Yes', clientKey: 'k2' });
    const state = run(
      openConversation(chatId),
      loaded(),
      { type: 'sending', key: 'k1', content: 'Yes', at },
      { type: 'sending', key: 'k2', content: 'Yes', at },
      event({ type: 'message.created', message: second }),
    );
    expect(state.messages.map((m) => [m.id, Boolean(m.outgoing)])).toEqual([
      ['k1', true],
      ['u2', false],
    ]);
    // Another tab's message with the same text is not mistaken for this tab's send.
    const elsewhere = message('u3', { role: 'user', content: 'Yes', clientKey: 'other-tab' });
    expect(run(state, event({ type: 'message.created', message: elsewhere })).messages.map((m) => m.id)).toEqual([
      'k1',
      'u2',
      'u3',
    ]);
  });

  test('deltas append in order, duplicates and replays are ignored, the final update replaces the text', () => {
    const answer = message('a1', { status: 'pending' });
    const state = run(
      openConversation(chatId),
      loaded(answer),
      delta('a1', 0, 'Hel'),
      delta('a1', 1, 'lo'),
      delta('a1', 1, 'lo'),
      delta('a1', 0, 'Hel'),
    );
    expect(contents(state)).toEqual(['assistant:Hello:streaming']);
    expect(activeAnswer(state.messages)?.id).toBe('a1');

    const done = run(
      state,
      event({ type: 'message.updated', message: message('a1', { content: 'Hello!' }) }),
      delta('a1', 2, ' late'),
    );
    expect(contents(done)).toEqual(['assistant:Hello!:complete']);
    expect(activeAnswer(done.messages)).toBeUndefined();
  });

  test('a reconnect mid-answer (deltas shown live, stored every persist) ends with the full text, none twice', () => {
    // Live deltas 0–2 shown; the stream drops and misses live 3–4; the reconnect replays the log
    // (0–2 stored so far, again in full), then live 5 arrives before 3–5 are stored: a gap.
    const answer = message('a1', { status: 'streaming', content: '', deltaSeq: null });
    const words = ['The', ' answer', ' is', ' forty', '-', 'two'];
    const shown = run(openConversation(chatId), loaded(answer), ...[0, 1, 2].map((i) => delta('a1', i, words[i]!)));
    const afterReplay = run(shown, ...[0, 1, 2].map((i) => delta('a1', i, words[i]!)), delta('a1', 5, words[5]!));
    expect(contents(afterReplay)).toEqual(['assistant:The answer is:streaming']);
    expect(afterReplay.refetch).toBe(true);
    const stored = (upTo: number) =>
      message('a1', { status: 'streaming', content: words.slice(0, upTo + 1).join(''), deltaSeq: upTo });
    // The refetched page was read before the next persist (text up to 2): 5 waits, then the
    // persist's logged 3 and 4 arrive in full (5 only moves the cursor: it was sent live).
    const pageFirst = run(afterReplay, loaded(stored(2)), delta('a1', 3, words[3]!), delta('a1', 4, words[4]!));
    // … or after it (text up to 5): the held 5 and the logged 3–4 are all already in the text.
    const persistFirst = run(afterReplay, loaded(stored(5)), delta('a1', 3, words[3]!), delta('a1', 4, words[4]!));
    for (const state of [pageFirst, persistFirst]) {
      expect(contents(state)).toEqual(['assistant:The answer is forty-two:streaming']);
      expect(state.messages[0]!.deltaSeq).toBe(5);
      expect(state.held).toEqual({});
      expect(state.refetch).toBe(false);
    }
  });

  test('a stop never takes back shown text: the stale stop copy keeps it, the final copy extends it, in either order', () => {
    // Shown live: 'One two three' (deltas 0–2); stored when the stop landed: 'One' only.
    const shown = run(
      openConversation(chatId),
      loaded(message('a1', { status: 'streaming', content: '', deltaSeq: null })),
      delta('a1', 0, 'One'),
      delta('a1', 1, ' two'),
      delta('a1', 2, ' three'),
    );
    const stale = message('a1', { status: 'stopped', content: 'One', deltaSeq: 0 });
    const final = message('a1', { status: 'stopped', content: 'One two three four', deltaSeq: 0 });
    const staleFirst = run(shown, { type: 'answer', answer: stale });
    expect(contents(staleFirst)).toEqual(['assistant:One two three:stopped']);
    for (const state of [
      run(staleFirst, event({ type: 'message.updated', message: final })),
      // The stop's response applied after the final event (a slow response).
      run(shown, event({ type: 'message.updated', message: final }), { type: 'answer', answer: stale }),
    ]) {
      expect(contents(state)).toEqual(['assistant:One two three four:stopped']);
    }
    // Any other finished copy still replaces the text (a completed answer's final, masked text).
    const done = message('a1', { status: 'complete', content: 'One two' });
    expect(contents(run(shown, event({ type: 'message.updated', message: done })))).toEqual([
      'assistant:One two:complete',
    ]);
  });

  test('one page read per gap: a reload that comes back before the persist leaves the request set, it does not re-arm it', () => {
    // use-conversation.ts reloads when `refetch` turns true. Live 0–1 shown; the tab misses live
    // 2–3 (a reconnect), then live 4 arrives: a gap. Each state after it must keep `refetch`
    // true (no false → true edge, so no second read) until the stored 2–3 fill the gap.
    const start = run(
      openConversation(chatId),
      loaded(message('a1', { status: 'streaming', content: '', deltaSeq: null })),
      delta('a1', 0, 'a'),
      delta('a1', 1, 'b'),
    );
    const stale = message('a1', { status: 'streaming', content: 'ab', deltaSeq: 1 });
    const states: ConversationState[] = [];
    for (const action of [delta('a1', 4, 'e'), loaded(stale), delta('a1', 5, 'f'), loaded(stale), delta('a1', 6, 'g')])
      states.push(conversationReducer(states.at(-1) ?? start, action));
    expect(states.map((state) => state.refetch)).toEqual([true, true, true, true, true]);
    const filled = run(states.at(-1)!, delta('a1', 2, 'c'), delta('a1', 3, 'd'));
    expect(contents(filled)).toEqual(['assistant:abcdefg:streaming']);
    expect(filled.refetch).toBe(false);
  });

  test('after a reload, text loaded mid-answer takes only the deltas past its deltaSeq, live or replayed', () => {
    const partial = message('a1', { status: 'streaming', content: 'The answ', deltaSeq: 1 });
    expect(contents(run(openConversation(chatId), loaded(partial), delta('a1', 2, 'er')))).toEqual([
      'assistant:The answer:streaming',
    ]);
    expect(
      contents(
        run(
          openConversation(chatId),
          loaded(partial),
          delta('a1', 0, 'The '),
          delta('a1', 1, 'answ'),
          delta('a1', 2, 'er'),
        ),
      ),
    ).toEqual(['assistant:The answer:streaming']);
  });

  test('deltas that outrun the page load are applied once the message is known', () => {
    const state = run(
      openConversation(chatId),
      delta('a1', 0, 'Hi'),
      delta('a1', 1, ' there'),
      loaded(message('a1', { status: 'pending' })),
    );
    expect(contents(state)).toEqual(['assistant:Hi there:streaming']);
  });

  test('deltas that arrived before a page load already holding them are not applied twice', () => {
    const partial = message('a1', { status: 'streaming', content: 'One two', deltaSeq: 4 });
    const state = run(openConversation(chatId), delta('a1', 4, ' two'), delta('a1', 5, ' three'), loaded(partial));
    expect(contents(state)).toEqual(['assistant:One two three:streaming']);
    expect(contents(run(state, delta('a1', 5, ' three'), delta('a1', 6, '!')))).toEqual([
      'assistant:One two three!:streaming',
    ]);
  });

  test('a delta that repeats the end of the loaded text is applied when its seq is past deltaSeq', () => {
    const partial = message('a1', { status: 'streaming', content: 'ha', deltaSeq: 0 });
    expect(contents(run(openConversation(chatId), delta('a1', 1, 'ha'), loaded(partial)))).toEqual([
      'assistant:haha:streaming',
    ]);
    expect(contents(run(openConversation(chatId), delta('a1', 0, 'ha'), loaded(partial)))).toEqual([
      'assistant:ha:streaming',
    ]);
  });

  test('a copy with fewer deltas does not shorten the text built from more', () => {
    const state = run(
      openConversation(chatId),
      loaded(message('a1', { status: 'pending' })),
      delta('a1', 0, 'One'),
      delta('a1', 1, ' two'),
      { type: 'answer', answer: message('a1', { status: 'streaming', content: 'One', deltaSeq: 0 }) },
    );
    expect(contents(state)).toEqual(['assistant:One two:streaming']);
    expect(contents(run(state, delta('a1', 2, '!')))).toEqual(['assistant:One two!:streaming']);
  });

  test('the page loaded again after a resync fills deltas the stream no longer had', () => {
    const state = run(openConversation(chatId), loaded(message('a1', { status: 'pending' })), delta('a1', 0, 'The'));
    // Deltas 1 and 2 were trimmed before this tab reconnected; the reload brings their text.
    const reloaded = run(
      state,
      loaded(message('a1', { status: 'streaming', content: 'The answer is', deltaSeq: 2 })),
      delta('a1', 3, ' 42'),
    );
    expect(contents(reloaded)).toEqual(['assistant:The answer is 42:streaming']);
  });

  test('a delta past a gap is not appended: the text stays a prefix and the page is asked for again', () => {
    // A reload mid-answer: the page holds w0..w20, the stream opened later and its first delta is 44.
    const words = Array.from({ length: 60 }, (_, i) => `w${i} `);
    const partial = message('a1', { status: 'streaming', content: words.slice(0, 21).join(''), deltaSeq: 20 });
    const gapped = run(
      openConversation(chatId),
      loaded(partial),
      delta('a1', 44, words[44]!),
      delta('a1', 45, words[45]!),
    );
    expect(contents(gapped)).toEqual([`assistant:${words.slice(0, 21).join('')}:streaming`]);
    expect(gapped.refetch).toBe(true);

    // The page read again holds everything up to 44; the held 45 follows on, and the request is cleared.
    const refetched = run(
      gapped,
      loaded(message('a1', { status: 'streaming', content: words.slice(0, 45).join(''), deltaSeq: 44 })),
    );
    expect(contents(refetched)).toEqual([`assistant:${words.slice(0, 46).join('')}:streaming`]);
    expect(refetched.refetch).toBe(false);
    expect(contents(run(refetched, delta('a1', 46, words[46]!)))).toEqual([
      `assistant:${words.slice(0, 47).join('')}:streaming`,
    ]);
  });

  test('deltas that outran the page load and start past its text wait for the page to be read again', () => {
    const state = run(
      openConversation(chatId),
      delta('a1', 7, ' seven'),
      loaded(message('a1', { status: 'streaming', content: 'zero', deltaSeq: 0 })),
    );
    expect(contents(state)).toEqual(['assistant:zero:streaming']);
    expect(state.refetch).toBe(true);
    // A late delta that does follow on is applied, the held one still waits.
    const next = run(state, delta('a1', 1, ' one'));
    expect(contents(next)).toEqual(['assistant:zero one:streaming']);
    expect(next.refetch).toBe(true);
  });

  test('an answer that finishes while deltas are held shows its final text', () => {
    const state = run(
      openConversation(chatId),
      loaded(message('a1', { status: 'streaming', content: 'One', deltaSeq: 0 })),
      delta('a1', 3, ' four'),
      event({ type: 'message.updated', message: message('a1', { content: 'One two three four' }) }),
    );
    expect(contents(state)).toEqual(['assistant:One two three four:complete']);
    expect(state.held).toEqual({});
  });

  test('a stopped answer stays stopped when a stale copy arrives', () => {
    const stopped = message('a1', { status: 'stopped', content: 'Part', updatedAt: '2026-11-23T10:00:05.000Z' });
    const stale = message('a1', { status: 'streaming', content: 'Par', updatedAt: '2026-11-23T10:00:04.000Z' });
    const state = run(
      openConversation(chatId),
      loaded(stale),
      { type: 'answer', answer: stopped },
      { type: 'answer', answer: stale },
    );
    expect(contents(state)).toEqual(['assistant:Part:stopped']);
  });

  test('events for other chats are ignored; deleting the open chat marks it deleted', () => {
    const other = message('x1', { chatId: '00000000-0000-4000-8000-000000000002' });
    const state = run(openConversation(chatId), loaded(), event({ type: 'message.created', message: other }));
    expect(state.messages).toEqual([]);
    expect(run(state, event({ type: 'chat.deleted', chatId })).deleted).toBe(true);
  });

  test('older pages are prepended without duplicates', () => {
    const state = run(openConversation(chatId), loaded(message('m3'), message('m4')), {
      type: 'olderLoaded',
      chatId,
      page: { messages: [message('m1'), message('m2'), message('m3')], nextCursor: 'c2' },
    });
    expect(state.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(state.olderCursor).toBe('c2');
  });

  test('a failed send keeps the message for a retry; a new chat adopts the message being sent', () => {
    const failed = run(
      openConversation(null),
      { type: 'sending', key: 'k1', content: 'Hi', at },
      { type: 'sendFailed', key: 'k1', error: new Error('offline') },
    );
    expect(failed.messages[0]!.outgoing?.failed).toBeInstanceOf(Error);
    const adopted = run(failed, { type: 'retrying', key: 'k1' }, { type: 'adopt', chatId }, loaded());
    expect(adopted.messages.map((m) => [m.chatId, m.outgoing?.failed])).toEqual([[chatId, null]]);
    expect(run(adopted, { type: 'discard', key: 'k1' }).messages).toEqual([]);
  });

  test('a page that already holds the message being sent shows it once', () => {
    const stored = message('u1', { role: 'user', content: 'Hi', clientKey: 'k1' });
    const state = run(
      openConversation(null),
      { type: 'sending', key: 'k1', content: 'Hi', at },
      { type: 'adopt', chatId },
      loaded(stored),
    );
    expect(state.messages.map((m) => m.id)).toEqual(['u1']);
  });
});

describe('isFinished with the agent’s statuses', () => {
  test('counts an answer waiting for approval, or interrupted, as not being written; retrieving and calling a tool as running', () => {
    expect(isFinished({ status: 'awaiting_approval' })).toBe(true);
    expect(isFinished({ status: 'interrupted' })).toBe(true);
    expect(isFinished({ status: 'retrieving' })).toBe(false);
    expect(isFinished({ status: 'calling_tool' })).toBe(false);
  });
});

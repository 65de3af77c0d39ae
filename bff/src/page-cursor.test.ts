import {
  apiErrorSchema,
  auditListResponseSchema,
  chatResponseSchema,
  listChatsResponseSchema,
  listMessagesResponseSchema,
  releaseHistoryResponseSchema,
} from '@atrium/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './testing/browser.js';
import { createTestApp, type TestApp, testPassword } from './testing/test-app.js';

let t: TestApp;
let admin: Browser;
let chatId: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.createUser({ email: 'cursors@example.com', role: 'admin' });
  admin = new Browser(t);
  await admin.signIn('cursors@example.com', testPassword);
  for (const title of ['one', 'two', 'three']) {
    t.clock.advance(1000);
    const created = await admin.fetch('POST', '/api/chats', { body: { title } });
    chatId = chatResponseSchema.parse(await created.json()).chat.id;
  }
  for (const n of [1, 2, 3]) {
    t.clock.advance(1000);
    await admin.fetch('POST', `/api/chats/${chatId}/messages`, {
      body: { content: `question ${n}` },
      headers: { 'Idempotency-Key': `cursor-${n}` },
    });
    await t.runtime.agent.idle();
  }
});
afterAll(() => t.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const at = '2024-01-01T00:00:00.000Z';
const uuid = '5f0c6b8e-8a4e-4f3a-9d2e-6a1b2c3d4e5f';

/** Forgeries every keyset cursor must refuse: not base64 JSON, or JSON of the wrong shape. */
const forgedKeysets = {
  'garbage base64': '!!!!',
  'base64 of text': Buffer.from('hello').toString('base64url'),
  'not-a-cursor': 'not-a-cursor',
  'a JSON object': b64({ at, id: uuid }),
  'an empty tuple': b64([]),
  null: b64(null),
  'a time that is not one': b64(['yesterday', uuid]),
  'a time PostgreSQL refuses (year 0)': b64(['0000-01-01T00:00:00.000Z', uuid]),
  'a time not in toISOString form': b64(['2024-01-01T00:00:00Z', uuid]),
  'a third element': b64([at, uuid, 1]),
};

const forgedRowIds = ['abc', '0', '-1', '1.5', '1e3', '0x10', ' 7', '99999999999999999999', ''];

async function code(response: Response) {
  return { status: response.status, code: apiErrorSchema.parse(await response.json()).code };
}

const refused = { status: 400, code: 'request.invalid_cursor' };

describe('page cursors refuse anything this server did not issue', () => {
  it.each(
    Object.entries({
      ...forgedKeysets,
      'a non-uuid id': b64([at, 'not-a-uuid']),
      'a number id (a messages cursor)': b64([at, 3]),
    }),
  )('GET /api/chats?cursor= %s → 400 request.invalid_cursor', async (_what, cursor) => {
    expect(await code(await admin.fetch('GET', `/api/chats?cursor=${encodeURIComponent(cursor)}`))).toEqual(refused);
  });

  it.each(
    Object.entries({
      ...forgedKeysets,
      'a non-numeric position': b64([at, 'abc']),
      'a numeric string position': b64([at, '3']),
      'a fractional position': b64([at, 1.5]),
      'a negative position': b64([at, -1]),
      'a position beyond 2^53': b64([at, 2 ** 60]),
      'a uuid position (a chat-list cursor)': b64([at, uuid]),
    }),
  )('GET /api/chats/:id/messages?cursor= %s → 400 request.invalid_cursor', async (_what, cursor) => {
    const url = `/api/chats/${chatId}/messages?cursor=${encodeURIComponent(cursor)}`;
    expect(await code(await admin.fetch('GET', url))).toEqual(refused);
  });

  it.each(forgedRowIds)('GET /api/audit?before=%j → 400 request.invalid_cursor', async (before) => {
    expect(await code(await admin.fetch('GET', `/api/audit?before=${encodeURIComponent(before)}`))).toEqual(refused);
  });

  it.each(forgedRowIds)(
    'GET /api/registry/remotes/:name/history?before=%j → 400 request.invalid_cursor',
    async (before) => {
      const url = `/api/registry/remotes/chat-core/history?before=${encodeURIComponent(before)}`;
      expect(await code(await admin.fetch('GET', url))).toEqual(refused);
    },
  );

  it.each(['abc', '1', '1.2.3', '-1.0', '1.x', `${'9'.repeat(16)}.0`, `0.${'9'.repeat(16)}`])(
    'GET /api/events with Last-Event-ID %j → 400 request.invalid_cursor',
    async (cursor) => {
      expect(await code(await admin.fetch('GET', '/api/events', { headers: { 'Last-Event-ID': cursor } }))).toEqual(
        refused,
      );
      const since = await admin.fetch('GET', `/api/events?since=${encodeURIComponent(cursor)}`);
      expect(await code(since)).toEqual(refused);
    },
  );

  it('still pages with every cursor it issues', async () => {
    const chats = listChatsResponseSchema.parse(await (await admin.fetch('GET', '/api/chats?limit=1')).json());
    const older = await admin.fetch('GET', `/api/chats?limit=1&cursor=${chats.nextCursor}`);
    expect(listChatsResponseSchema.parse(await older.json()).chats).toHaveLength(1);

    const newest = listMessagesResponseSchema.parse(
      await (await admin.fetch('GET', `/api/chats/${chatId}/messages?limit=2`)).json(),
    );
    const earlier = await admin.fetch('GET', `/api/chats/${chatId}/messages?limit=2&cursor=${newest.nextCursor}`);
    expect(listMessagesResponseSchema.parse(await earlier.json()).messages).toHaveLength(2);

    await admin.fetch('POST', '/api/registry/tokens', { body: { remote: 'chat-core', name: 'one' } });
    await admin.fetch('POST', '/api/registry/tokens', { body: { remote: 'chat-core', name: 'two' } });
    const audit = auditListResponseSchema.parse(await (await admin.fetch('GET', '/api/audit?limit=1')).json());
    const auditOlder = await admin.fetch('GET', `/api/audit?limit=1&before=${audit.nextBefore}`);
    expect(auditListResponseSchema.parse(await auditOlder.json()).entries).toHaveLength(1);

    const history = await admin.fetch('GET', '/api/registry/remotes/chat-core/history?before=1');
    expect(releaseHistoryResponseSchema.parse(await history.json()).entries).toEqual([]);
  });
});

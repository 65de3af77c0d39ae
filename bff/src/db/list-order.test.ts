import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../audit/audit-trail.js';
import { chatListStatementName, listChats, listMessages } from '../chats/repository.js';
import { loadConfig } from '../config.js';
import { listEvalRuns } from '../dashboards/dashboards.js';
import { listDrafts } from '../drafts/repository.js';
import { chatListCursor, messageCursor } from '../page-cursor.js';
import { openTestDatabase } from '../testing/test-database.js';
import { listTickets } from '../tickets/repository.js';
import { createUser } from '../users/accounts.js';
import type { Database, OpenDatabase } from './index.js';
import * as schema from './schema/index.js';

/*
 * Every list query pages newest first; each must read its order straight from an index, or the
 * database sorts all of the owner's rows on every page (issue 12: the chat list at 10,000 chats
 * ran at 0.29× the rps of 20). Each query is run once through a drizzle instance that records
 * its SQL, then EXPLAINed with sorting and sequential scans priced out: a Sort node left in the
 * plan means no index gives that order.
 */

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

interface Client {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

let database: OpenDatabase;
let captured: { sql: string; params: unknown[] }[] = [];
let recording: Database;
let client: Client & { release?: () => void };

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
  const logger = { logQuery: (sql: string, params: unknown[]) => captured.push({ sql, params }) };
  const raw = (database.db as unknown as { $client: unknown }).$client;
  if (database.driver === 'postgres') {
    recording = drizzlePg({ client: raw as never, schema, logger }) as unknown as Database;
    client = await (raw as { connect(): Promise<Client & { release(): void }> }).connect();
  } else {
    recording = drizzlePglite({ client: raw as never, schema, logger }) as unknown as Database;
    client = raw as Client;
  }
});

afterAll(async () => {
  client.release?.();
  await database.close();
});

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** The plan of the last statement `run` issued, with sorts and sequential scans priced out. */
async function planOf(run: () => Promise<unknown>): Promise<PlanNode[]> {
  captured = [];
  await run();
  const statement = captured.at(-1)!;
  await client.query('begin');
  try {
    await client.query('set local enable_sort = off');
    await client.query('set local enable_seqscan = off');
    const { rows } = await client.query(`explain (format json) ${statement.sql}`, statement.params);
    const plan = rows[0]!['QUERY PLAN'];
    return nodes((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
  } finally {
    await client.query('rollback');
  }
}

function expectOrderFromIndex(plan: PlanNode[], index: string) {
  expect(plan.map((n) => n['Node Type'])).not.toContain('Sort');
  expect(plan.map((n) => n['Node Type'])).not.toContain('Incremental Sort');
  expect(plan.map((n) => n['Index Name'])).toContain(index);
}

const me = randomUUID();
const reader = { userId: me, role: 'user' as const };
const afterKey = chatListCursor.encode(new Date('2026-01-01T00:00:00.000Z'), randomUUID());

describe('list queries read their order from an index (no Sort node)', () => {
  it('chats: first page, a later page, a search', async () => {
    for (const query of [{ limit: 30 }, { limit: 30, cursor: afterKey }, { limit: 30, q: 'invoice' }]) {
      expectOrderFromIndex(await planOf(() => listChats(recording, me, query)), 'chats_user_updated_idx');
    }
  });

  it('chats: a search matching few of 2,000 chats reads the trigram index, not the whole list', async () => {
    const now = new Date();
    const owner = await createUser(database.db, {
      email: 'many-chats@example.com',
      displayName: 'many chats',
      role: 'user',
      password: 'a perfectly long password',
      now,
    });
    await database.db.execute(sql`
      insert into chats (user_id, title, created_at, updated_at)
      select ${owner.id}, 'chat ' || g, ${now}::timestamptz - g * interval '1 minute', ${now}::timestamptz - g * interval '1 minute'
      from generate_series(1, 2000) as g`);
    // Which index serves a search depends on how many chats match, so the planner needs the
    // table's statistics: autovacuum keeps them on PostgreSQL; PGlite has none until analyzed
    // (it then reads all of the user's chats through chats_user_updated_idx and sorts them).
    await client.query('analyze chats');
    captured = [];
    const page = await listChats(recording, owner.id, { limit: 30, q: 'chat 1777' });
    expect(page.rows.map((chat) => chat.title)).toEqual(['chat 1777']);
    const statement = captured.at(-1)!;
    const { rows } = await client.query(`explain (format json) ${statement.sql}`, statement.params);
    const plan = rows[0]!['QUERY PLAN'];
    const all = nodes((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
    expect(all.map((n) => n['Index Name'])).toContain('chats_user_title_trgm_idx');
    expect(all.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  });

  it('chats: a search is planned for its pattern, not by a cached generic plan', async () => {
    // The list is prepared by name, a search is not: after five runs a named statement may keep
    // one generic plan for every pattern, which walks all of a user's chats for a rare one.
    for (const after of [false, true]) {
      expect(chatListStatementName(true, after)).toBe('');
      expect(chatListStatementName(false, after)).toMatch(/^atrium_list_chats_all_/);
    }
    // PGlite keeps no named statements; on PostgreSQL the connection's list shows the effect.
    if (loadConfig().database.driver === 'pglite') return;
    const onOneConnection = drizzlePg({ client: client as never, schema }) as unknown as Database;
    for (let run = 0; run < 6; run++) {
      await listChats(onOneConnection, me, { limit: 30 });
      await listChats(onOneConnection, me, { limit: 30, q: 'invoice' });
    }
    const { rows } = await client.query('select name from pg_prepared_statements');
    const names = rows.map((row) => row.name);
    expect(names).toContain('atrium_list_chats_all_first');
    expect(names.filter((name) => String(name).startsWith('atrium_list_chats_q'))).toEqual([]);
  });

  it('messages of a chat: newest page and an older one', async () => {
    const older = messageCursor.encode(new Date('2026-01-01T00:00:00.000Z'), 42);
    for (const query of [{ limit: 50 }, { limit: 50, cursor: older }]) {
      const plan = await planOf(() => listMessages(recording, me, randomUUID(), query));
      expectOrderFromIndex(plan, 'messages_chat_created_idx');
    }
  });

  it("drafts: a requester's own and the queue by status", async () => {
    expectOrderFromIndex(
      await planOf(() => listDrafts(recording, reader, 'mine', { limit: 30 })),
      'drafts_requester_created_idx',
    );
    const approver = { userId: me, role: 'admin' as const };
    expectOrderFromIndex(
      await planOf(() => listDrafts(recording, approver, 'queue', { limit: 30, status: 'pending' })),
      'drafts_status_created_idx',
    );
  });

  it("tickets: a user's own", async () => {
    expectOrderFromIndex(
      await planOf(() => listTickets(recording, reader, { limit: 50 })),
      'tickets_requester_updated_idx',
    );
  });

  it('audit log and eval runs', async () => {
    expectOrderFromIndex(await planOf(() => listAuditEntries(recording, { limit: 50 })), 'audit_log_pkey');
    expectOrderFromIndex(await planOf(() => listEvalRuns(recording, 20)), 'eval_runs_at_idx');
  });
});

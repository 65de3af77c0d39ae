import { randomUUID } from 'node:crypto';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../audit/audit-trail.js';
import { listChats, listMessages } from '../chats/repository.js';
import { loadConfig } from '../config.js';
import { listEvalRuns } from '../dashboards/dashboards.js';
import { listDrafts } from '../drafts/repository.js';
import { chatListCursor, messageCursor } from '../page-cursor.js';
import { openTestDatabase } from '../testing/test-database.js';
import { listTickets } from '../tickets/repository.js';
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

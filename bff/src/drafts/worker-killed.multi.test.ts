import { createAccessTokenResponseSchema, type ServerEvent } from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../db/index.js';
import { drafts, jobs, ticketComments } from '../db/schema/index.js';
import { Browser } from '../testing/browser.js';
import {
  type BffProcess,
  createScratchDatabase,
  requireServices,
  startBff,
  startWorker,
} from '../testing/multi-instance.js';
import { SseReader } from '../testing/sse-reader.js';
import { createTicket } from '../tickets/repository.js';
import { createUser } from '../users/accounts.js';
import { executeQueue } from './settle.js';

/*
 * The production topology of an approval: a BFF with ATRIUM_WORKER=off takes the decision, a
 * separate worker process executes the draft. The worker is killed (SIGKILL) in the middle of a
 * transactional tool — held there by a row lock this test takes on the ticket — so its
 * transaction dies with its connection; a second worker runs the draft once, and the requester's
 * open event stream ends on the same final state.
 */

const origin = 'http://atrium.test';
const adminEmail = 'admin@atrium.test';
const password = 'a perfectly long password';

let dropDatabase: () => Promise<void>;
let env: Record<string, string>;
let bff: BffProcess;
let database: OpenDatabase;
let databaseUrl: string;

beforeAll(async () => {
  const services = requireServices();
  const scratch = await createScratchDatabase(services.databaseUrl);
  dropDatabase = scratch.drop;
  databaseUrl = scratch.url;
  env = {
    DATABASE_URL: scratch.url,
    REDIS_URL: services.redisUrl,
    ATRIUM_ADMIN_EMAIL: adminEmail,
    ATRIUM_ADMIN_PASSWORD: password,
    ATRIUM_PUBLIC_ORIGIN: origin,
    ATRIUM_SEED_LOCAL_REMOTES: 'false',
    LOG_LEVEL: 'info',
  };
  bff = await startBff({ ...env, ATRIUM_WORKER: 'off' });
  database = await openDatabase({ driver: 'postgres', url: scratch.url });
}, 120_000);

afterAll(async () => {
  await bff?.kill();
  await database?.close();
  await dropDatabase?.();
});

async function signedIn(email: string) {
  const browser = new Browser(bff.target as never, { origin });
  expect((await browser.signIn(email, password)).status).toBe(200);
  return browser;
}

async function until<T>(probe: () => Promise<T | null | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a worker killed while executing an approved draft', () => {
  it('runs it at most once: the killed transaction leaves nothing, the next worker runs it once, and the requester’s stream ends executed', async () => {
    const requester = await createUser(database.db, {
      email: 'agent@atrium.test',
      password,
      displayName: 'Agent',
      now: new Date(),
      role: 'agent_l1',
    });
    await createUser(database.db, {
      email: 'approver@atrium.test',
      password,
      displayName: 'Approver',
      role: 'approver',
      now: new Date(),
    });
    const ticket = await createTicket(
      database.db,
      { userId: requester.id, role: 'agent_l1' },
      { subject: 'Payment failed', body: 'Card declined twice.', priority: 'normal', now: new Date() },
    );

    // The requester proposes a comment over /mcp (no model needed), and watches their event stream.
    const agent = await signedIn('agent@atrium.test');
    const created = await agent.fetch('POST', '/api/account/tokens', { body: { name: 'mcp', expiresInDays: 1 } });
    const { secret } = createAccessTokenResponseSchema.parse(await created.json());
    const called = await fetch(`${bff.base}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'add_ticket_comment', arguments: { ticketId: ticket.id, body: 'Refund is on its way.' } },
      }),
    });
    expect(called.status).toBe(200);
    const [draft] = await database.db.select().from(drafts).where(eq(drafts.requesterId, requester.id));
    expect(draft).toMatchObject({ tool: 'add_ticket_comment', status: 'pending' });
    const reader = new SseReader((await agent.fetch('GET', '/api/events')).body!);
    await reader.untilComment('live');

    // The ticket row is held, so the worker's comment waits inside its transaction.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select id from tickets where id = $1 for update', [ticket.id]);

    const first = await startWorker(env);
    const approver = await signedIn('approver@atrium.test');
    expect((await approver.fetch('POST', `/api/drafts/${draft!.id}/approve`, { body: {} })).status).toBe(200);
    const running = await until(async () => {
      const [job] = await database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.queue, executeQueue), eq(jobs.key, draft!.id), eq(jobs.status, 'running')));
      return job;
    }, 'the first worker to take the draft.execute job');
    // It is waiting on the ticket's lock inside its transaction; kill it there.
    await until(async () => {
      const { rows } = await holder.query(
        "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
      );
      return rows[0].n > 0;
    }, 'the worker to wait on the ticket lock');
    first.child.kill('SIGKILL');
    await first.exited;
    await holder.query('rollback');
    await holder.end();

    const comments = () => database.db.select().from(ticketComments).where(eq(ticketComments.ticketId, ticket.id));
    expect(await comments()).toEqual([]);
    expect((await database.db.select().from(drafts).where(eq(drafts.id, draft!.id)))[0]!.status).toBe('executing');

    // Its lease would run out in 60 s; the test moves that time forward instead of waiting.
    await database.db
      .update(jobs)
      .set({ lockedUntil: new Date(Date.now() - 1_000) })
      .where(eq(jobs.id, running.id));
    const second = await startWorker(env);
    const seen = await reader.until(
      (e: ServerEvent) => e.type === 'draft.updated' && e.draft.id === draft!.id && e.draft.status === 'executed',
    );
    expect(seen.at(-1)!.event).toMatchObject({ draft: { outcome: { code: 'draft.executed' } } });
    expect(await comments()).toHaveLength(1);
    // And it stays once: the job is done, nothing runs it again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await comments()).toHaveLength(1);
    const [job] = await database.db.select().from(jobs).where(eq(jobs.id, running.id));
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    await reader.close();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/*
 * The baseline of chats-rps.ts: the least an app can do to answer an authenticated GET /api/chats
 * — read the session cookie, look the session up by the sha256 of the token (joined to its
 * user), read that user's newest chats, answer JSON of the same shape. No middleware, no
 * validation, no logs. Run as a child process by chats-rps.ts:
 *   DATABASE_URL=postgres://…  or  PGLITE_DIR=/path   PORT=n   node --import tsx minimal-chats-server.ts
 * It prints `listening <port>` once it accepts connections.
 *
 * The drivers are the BFF's own pinned `pg` and PGlite (resolved from bff/), so both sides of
 * the ratio talk to the database through the same driver version.
 */

interface Rows {
  rows: Record<string, unknown>[];
}
interface Queryable {
  query(text: string | { name: string; text: string; values: unknown[] }, values?: unknown[]): Promise<Rows>;
}

const fromBff = createRequire(new URL('../bff/package.json', import.meta.url));

/** The same statements as the BFF's prepared ones (auth/sessions.ts, chats/repository.ts). */
const sessionSql =
  'select s.*, u.* from sessions s join users u on u.id = s.user_id where s.id = $1 and s.revoked_at is null limit 1';
const chatsSql = 'select * from chats where user_id = $1 order by updated_at desc, id desc limit $2';

async function openQueryable(): Promise<Queryable> {
  if (process.env.DATABASE_URL) {
    const pg = fromBff('pg') as { Pool: new (options: { connectionString: string; max: number }) => Queryable };
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    // Named statements: parsed and planned once per connection, as the BFF's are.
    return {
      query: (text, values) =>
        typeof text === 'string' ? pool.query({ name: nameOf(text), text, values: values ?? [] }) : pool.query(text),
    };
  }
  const { PGlite } = fromBff('@electric-sql/pglite') as {
    PGlite: { create(dir: string): Promise<Queryable> };
  };
  return PGlite.create(process.env.PGLITE_DIR ?? 'memory://');
}

const nameOf = (text: string) => (text === sessionSql ? 'minimal_session' : 'minimal_chats');

const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();

const db = await openQueryable();
const app = new Hono().get('/api/chats', async (c) => {
  const token = /(?:^|;\s*)atrium_session=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
  if (!token) return c.json({ code: 'auth.required' }, 401);
  const id = createHash('sha256').update(token).digest('hex');
  const [session] = (await db.query(sessionSql, [id])).rows;
  if (!session || session.disabled_at !== null) return c.json({ code: 'auth.required' }, 401);
  const limit = 30;
  const rows = (await db.query(chatsSql, [session.user_id, limit + 1])).rows;
  const page = rows.slice(0, limit);
  return c.json({
    chats: page.map((row) => ({
      id: row.id,
      title: row.title,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      preview: row.preview,
      agentId: row.agent_id,
    })),
    nextCursor: null,
  });
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' });
server.once('listening', () => {
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));

import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite/vector';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { lockDataDir } from './data-dir-lock.js';
import { registerRawRunner } from './raw-select.js';
import * as schema from './schema/index.js';

export { schema };

/** What domain code sees: both drivers satisfy it, so nothing outside this file knows which one runs. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface OpenDatabase {
  db: Database;
  driver: DatabaseConfig['driver'];
  close(): Promise<void>;
}

/**
 * pg's parsers for raw reads, except timestamptz, left as its text: the row reader makes the
 * `Date` as drizzle does (`new Date(text)`), cheaper than pg's regex parser (issue 12 profile).
 */
const timestamptzOid = 1184;
const rawTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === timestamptzOid
      ? (text: string) => text
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
/** Arbitrary but fixed: serialises migrations when several BFFs start against one Postgres. */
const migrationLockId = 7_261_840;

/**
 * PGlite's planner cost of a random page read (PostgreSQL's default is 4, priced for spinning
 * disks). PGlite runs no autovacuum, so its tables are never analyzed and the planner guesses a
 * handful of rows for `chat_id = $1`; at 4 it then read all of a chat's messages through a bitmap
 * scan and sorted them instead of walking `messages_chat_position_idx` backwards to the LIMIT
 * (bench/prompt-build.ts: 2,000 rows read and sorted per prompt). Its pages are in memory or in
 * the OS cache, where PostgreSQL's docs advise a random cost near the sequential one (1.0); 1.1
 * is the usual value for such storage. One connection, so a session setting holds for its life.
 */
const pgliteRandomPageCost = 1.1;

/**
 * Opens (and migrates) the configured database. An embedded PGlite directory is held by one
 * process at a time: a second process on it throws `DataDirLockedError` naming the holder, and
 * `close()` frees it. Postgres needs no such lock: it serialises its own clients.
 */
export async function openDatabase(config: DatabaseConfig, logger?: Pick<Logger, 'warn'>): Promise<OpenDatabase> {
  if (config.driver === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    // An idle client whose connection died (Postgres restarted, an admin ended it) is dropped by
    // the pool and the next query reconnects; without a listener node-postgres would crash the process.
    pool.on('error', (error) => logger?.warn('database connection lost', { error: error.message }));
    const db = drizzlePg({ client: pool, schema });
    try {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [migrationLockId]);
        await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [migrationLockId]).catch(() => undefined);
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    registerRawRunner(
      db,
      async (name, text, values) => (await pool.query({ name, text, values, rowMode: 'array', types: rawTypes })).rows,
    );
    return { db, driver: 'postgres', close: () => pool.end() };
  }

  const persistent = config.dataDir !== 'memory://';
  if (persistent) mkdirSync(path.dirname(config.dataDir), { recursive: true });
  // Locked by its real path: a symlink or `..` spelling of the same directory must meet the same lock.
  const lock = persistent ? lockDataDir(realDirectoryPath(config.dataDir), logger ? { logger } : {}) : null;
  try {
    if (persistent) mkdirSync(config.dataDir, { recursive: true });
    // pgvector, pg_trgm and btree_gin ship with PGlite; loading them lets migrations 0007 (vector
    // tables) and 0021 (the chat search's trigram index) create what they need.
    const client = new PGlite(config.dataDir, { extensions: { vector, pg_trgm, btree_gin } });
    await client.exec(`set random_page_cost = ${pgliteRandomPageCost}`);
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    registerRawRunner(
      db,
      async (_name, text, values) => (await client.query<unknown[]>(text, values, { rowMode: 'array' })).rows,
    );
    const close = async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    };
    return { db, driver: 'pglite', close };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * Rows of a raw SQL query (vector operators, tables outside the drizzle schema). Both drivers
 * answer `{ rows }`; this is the one place that relies on it.
 */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Whether the vector tables exist (pgvector was available when migration 0007 ran). */
export async function hasVectorSearch(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('public.chunk_embeddings') is not null as present`,
  );
  return Boolean(row?.present);
}

/** `dir` with every symlink resolved; for a directory not made yet, its parent's real path joined with its name. */
export function realDirectoryPath(dir: string): string {
  return existsSync(dir) ? realpathSync(dir) : path.join(realpathSync(path.dirname(dir)), path.basename(dir));
}

export async function pingDatabase(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

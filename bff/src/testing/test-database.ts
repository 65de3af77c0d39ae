import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { type OpenDatabase, openDatabase } from '../db/index.js';

/**
 * In-memory PGlite by default; with DATABASE_URL set, a fresh Postgres database per caller,
 * dropped on close, so test files run in parallel without seeing each other's rows.
 */
export async function openTestDatabase(base: DatabaseConfig): Promise<OpenDatabase> {
  if (base.driver === 'pglite') return openDatabase({ driver: 'pglite', dataDir: 'memory://' });

  const scratch = await createScratchDatabase(base.url);
  const opened = await openDatabase({ driver: 'postgres', url: scratch.url });
  return {
    ...opened,
    close: async () => {
      await opened.close();
      await scratch.drop();
    },
  };
}

/**
 * A fresh, empty database on the server of `serverUrl` (any database URL on it), for one test
 * file or one e2e product; `drop()` removes it even while connections remain.
 */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `atrium_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

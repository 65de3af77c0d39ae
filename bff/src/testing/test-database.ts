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

  const name = `atrium_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  const opened = await openDatabase({ driver: 'postgres', url: url.toString() });
  return {
    ...opened,
    close: async () => {
      await opened.close();
      const dropper = new pg.Client({ connectionString: base.url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

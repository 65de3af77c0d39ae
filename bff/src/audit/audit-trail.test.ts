import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { openTestDatabase } from '../testing/test-database.js';
import { targetFilter } from './audit-trail.js';

let database: OpenDatabase;
beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
});
afterAll(() => database.close());

/** The plan Postgres picks for one page of the audit page's target search, full scans ruled out. */
async function planFor(term: string): Promise<string> {
  return database.db.transaction(async (tx) => {
    // A near-empty table is cheapest to scan whole; forbid that (and a walk of the primary key)
    // to see whether the index can answer every arm of the search at all.
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql`set local enable_indexscan = off`);
    // Both drivers answer with `{ rows }`, one `QUERY PLAN` line per row.
    const result = (await tx.execute(
      sql`explain select id from audit_log where ${targetFilter(term)} order by id desc limit 51`,
    )) as unknown as { rows: Record<string, string>[] };
    return result.rows.map((row) => Object.values(row)[0]).join('\n');
  });
}

it('searches targets through the (target text_pattern_ops, id) index, never a scan of the whole log', async () => {
  for (const term of ['chat-core', 'remote:chat', 'ops@example.com']) {
    const plan = await planFor(term);
    expect(plan, plan).toContain('audit_log_target_prefix_idx');
    expect(plan, plan).not.toMatch(/Seq Scan on audit_log/);
  }
});

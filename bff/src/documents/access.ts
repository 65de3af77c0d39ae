import { type Role, roleClearance } from '@atrium/contracts';
import { type SQL, sql } from 'drizzle-orm';

/** Who is asking: every query on documents, chunks and embeddings is filtered for them. */
export interface Reader {
  userId: string;
  role: Role;
  /**
   * Reads only rows whose audience rank is at most this (an agent's `audience`, issue 11): it
   * narrows what the reader may see, never widens it. Unset: no cap beyond the access rule.
   */
  audienceCap?: number;
}

/**
 * The access rule, inside the query: the caller owns the row, or its audience rank is within
 * their clearance (contracts `audienceRank` / `roleClearance`; `private` ranks above every
 * clearance) — and, when the reader carries an `audienceCap`, the rank is within that too.
 * `table` is the SQL name or alias of a table with `owner_id` and `audience_rank`.
 */
export function visibleTo(reader: Reader, table: string): SQL {
  const t = sql.identifier(table);
  const rule = sql`(${t}.owner_id = ${reader.userId} or ${t}.audience_rank <= ${roleClearance[reader.role]})`;
  return reader.audienceCap === undefined ? rule : sql`(${rule} and ${t}.audience_rank <= ${reader.audienceCap})`;
}

import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { deployTokens, users } from '../db/schema/index.js';

const uuidPattern = sql.raw(`'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`);

/** The uuid inside `text`, or null: a cast of anything else would fail the whole query. */
const uuidOrNull = (text: SQL) => sql`case when ${text} ~ ${uuidPattern} then (${text})::uuid end`;

/**
 * An actor as stored (`system`, `token:<id>` or a user id) the way people read it, resolved in the
 * query that loads the rows: a user as "name <email>", a token as "deploy token <name> (<remote>)".
 * Both lookups go by primary key. An account deleted since reads as its short id.
 */
export function actorNameOf(actor: AnyPgColumn | SQL): SQL<string> {
  const tokenId = sql`substr(${actor}, 7)`;
  return sql<string>`case
    when ${actor} = 'system' then 'Atrium (automatic)'
    when ${actor} like 'token:%' then coalesce(
      (select 'deploy token ' || ${deployTokens.name} || ' (' || ${deployTokens.remote} || ')'
         from ${deployTokens} where ${deployTokens.id} = ${uuidOrNull(tokenId)}),
      'deploy token ' || left(${tokenId}, 8))
    else coalesce(
      (select ${users.displayName} || ' <' || ${users.email} || '>'
         from ${users} where ${users.id} = ${uuidOrNull(sql`${actor}`)}),
      'former user ' || left(${actor}, 8))
  end`;
}

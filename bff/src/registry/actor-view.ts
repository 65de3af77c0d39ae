import type { ActorView } from '@atrium/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { deployTokens, users } from '../db/schema/index.js';

const uuidPattern = sql.raw(`'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`);

/** The uuid inside `text`, or null: a cast of anything else would fail the whole query. */
const uuidOrNull = (text: SQL) => sql`case when ${text} ~ ${uuidPattern} then (${text})::uuid end`;

/**
 * An actor as stored (`system`, `cli` for the server CLI, `billing` for the payment provider's
 * webhook, `token:<id>`, a user id, or null when nothing is left of it) as
 * an `ActorView` (contracts/actors.ts), resolved in the query that loads the rows: a user with
 * their current name and email, a token with its name and remote. Both lookups go by primary key.
 * The client words it in the reader's language.
 */
export function actorViewOf(actor: AnyPgColumn | SQL): SQL<ActorView> {
  const tokenId = sql`substr(${actor}, 7)`;
  return sql<ActorView>`case
    when ${actor} is null then json_build_object('kind', 'former_user', 'id', null)
    when ${actor} in ('system', 'cli', 'billing') then json_build_object('kind', 'system')
    when ${actor} like 'token:%' then coalesce(
      (select json_build_object('kind', 'token', 'id', ${deployTokens.id}, 'name', ${deployTokens.name}, 'remote', ${deployTokens.remote})
         from ${deployTokens} where ${deployTokens.id} = ${uuidOrNull(tokenId)}),
      json_build_object('kind', 'token', 'id', ${tokenId}, 'name', null, 'remote', null))
    else coalesce(
      (select json_build_object('kind', 'user', 'id', ${users.id}, 'displayName', ${users.displayName}, 'email', ${users.email})
         from ${users} where ${users.id} = ${uuidOrNull(sql`${actor}`)}),
      json_build_object('kind', 'former_user', 'id', left(${actor}, 8)))
  end`;
}

import type { DeployTokenRow, UserRow } from '../db/schema/index.js';

/** Who changed the registry: a signed-in user, a team's deploy token, or the registry itself. */
export type Actor = { kind: 'user'; user: UserRow } | { kind: 'token'; token: DeployTokenRow } | { kind: 'system' };

export const systemActor: Actor = { kind: 'system' };

/** As stored in `published_by`, `release_history.actor` and `updated_by`. */
export function actorName(actor: Actor): string {
  if (actor.kind === 'user') return actor.user.id;
  if (actor.kind === 'token') return `token:${actor.token.id}`;
  return 'system';
}

/** The audit log references users; tokens and the system are named in the entry's detail instead. */
export function auditActorId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.user.id : null;
}

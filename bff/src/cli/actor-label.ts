import type { ActorView } from '@atrium/contracts';

/** Who acted, in the CLI's words (English, like the rest of its output). */
export function actorLabel(actor: ActorView): string {
  switch (actor.kind) {
    case 'system':
      return 'Atrium (automatic)';
    case 'user':
      return `${actor.displayName} <${actor.email}>`;
    case 'former_user':
      return actor.id ? `former user ${actor.id}` : 'former user';
    case 'token':
      return actor.name ? `deploy token ${actor.name} (${actor.remote})` : `deploy token ${actor.id.slice(0, 8)}`;
  }
}

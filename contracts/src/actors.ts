import { z } from 'zod';

/**
 * Who did something (published, released, changed an account), as data: the client puts it into
 * words in the reader's language, so no English name ("Atrium (automatic)") comes from the BFF.
 * - `system`: the registry or Atrium itself (seeding, canary auto-rollback)
 * - `user`: a person, with the name and email they have now
 * - `former_user`: an account deleted since; its short id when the record still has it
 * - `token`: a team's deploy token; name and remote are null when the token row is gone
 */
export const actorViewSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('system') }),
  z.object({ kind: z.literal('user'), id: z.string(), displayName: z.string(), email: z.string() }),
  z.object({ kind: z.literal('former_user'), id: z.string().nullable() }),
  z.object({ kind: z.literal('token'), id: z.string(), name: z.string().nullable(), remote: z.string().nullable() }),
]);
export type ActorView = z.infer<typeof actorViewSchema>;

import { z } from 'zod';
import { meResponseSchema } from './auth.js';
import { remoteMapSchema } from './remotes.js';

/**
 * What the BFF inlines into the shell's HTML (`<script id="atrium-boot" type="application/json">`),
 * so the shell starts with the session and (by default) the remote map, with no extra round trip.
 */
export const bootPayloadSchema = z.object({
  me: meResponseSchema.nullable(),
  /** Token for state-changing requests: the session's, or the pre-session one for sign-in. */
  csrfToken: z.string(),
  /** `null` when the BFF runs with `ATRIUM_INLINE_REMOTE_MAP=false`: the shell fetches `/api/remotes`. */
  remotes: remoteMapSchema.nullable(),
});
export type BootPayload = z.infer<typeof bootPayloadSchema>;

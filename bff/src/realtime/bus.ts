import type { ServerEvent } from '@atrium/contracts';
import type { LoggedEvent } from './event-log.js';

/**
 * What travels between BFF instances. Log events carry their sequence number so a subscriber
 * can de-duplicate and notice gaps; the others are signals that are never stored.
 */
export type BusMessage =
  | { kind: 'user-event'; userId: string; seq: number; event: LoggedEvent }
  | { kind: 'broadcast-event'; seq: number; event: ServerEvent }
  /**
   * An event shown at once and logged later (issue 12: a streamed answer's `message.delta`, sent
   * every flush, stored every persist): no seq, never replayed; its logged copy follows on
   * `user-event` and a stream that sent it live then only advances the client's cursor (sse.ts).
   */
  | { kind: 'live-event'; userId: string; event: ServerEvent }
  /** Some of the user's sessions ended: each live stream re-checks its own. */
  | { kind: 'sessions-changed'; userId: string; reason: SessionEndReason }
  /** Whichever instance generates this answer aborts it. */
  | { kind: 'stop-answer'; answerId: string }
  /**
   * Every instance drops what it cached for `key` (a user id; null = all) in cache `cache`
   * (issue 11: entitlements per user, feature flags as a whole). Sent on `control` after commit.
   */
  | { kind: 'cache-invalidate'; cache: 'entitlements' | 'flags'; key: string | null };

export type SessionEndReason =
  | 'signed_out'
  | 'revoked'
  | 'expired'
  | 'role_changed'
  | 'disabled'
  | 'password_reset'
  | 'deleted';

/** `user:<id>` carries one user's events, `broadcast` everyone's, `control` instance-to-instance signals. */
export type BusChannel = `user:${string}` | 'broadcast' | 'control';

export const userChannel = (userId: string): BusChannel => `user:${userId}`;

export type BusHandler = (message: BusMessage) => void;

export interface Bus {
  /** Never throws: a lost publish is recovered from the event log on the next event or reconnect. */
  publish(channel: BusChannel, message: BusMessage): Promise<void>;
  /** Resolves once messages on the channel are being received. */
  subscribe(channel: BusChannel, handler: BusHandler): Promise<() => void>;
  close(): Promise<void>;
}

import { z } from 'zod';
import { chatSchema, messageSchema } from './chats.js';
import { documentIdSchema, documentSchema } from './documents.js';
import { remoteNameSchema } from './remotes.js';
import { draftSchema } from './tools.js';

/**
 * Server-sent events on `GET /api/events`. Two ordered logs feed one stream: the user's own
 * log (chats, messages, deltas, session) and the broadcast log (release changes). Each SSE `id`
 * is the cursor `<userSeq>.<broadcastSeq>`; a reconnect sends it back as `Last-Event-ID` and
 * the server replays everything after it from both logs. Each seq is a bigint the server wrote:
 * at most 15 digits keeps it exact as a JS number.
 */
export const eventCursorSchema = z.string().regex(/^\d{1,15}\.\d{1,15}$/, '<userSeq>.<broadcastSeq>');

export const serverEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('chat.created'), chat: chatSchema }),
  z.object({ type: z.literal('chat.updated'), chat: chatSchema }),
  z.object({ type: z.literal('chat.deleted'), chatId: z.string() }),
  z.object({ type: z.literal('message.created'), message: messageSchema }),
  /** A piece of an answer; `seq` counts from 0 within the message, `text` is appended. */
  z.object({
    type: z.literal('message.delta'),
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().min(0),
    text: z.string(),
  }),
  /** The answer's final state: complete, failed or stopped (full content included). */
  z.object({ type: z.literal('message.updated'), message: messageSchema }),
  z.object({
    type: z.literal('release.changed'),
    remote: remoteNameSchema,
    reason: z.string(),
  }),
  /** A document's state changed (status, progress, audience, failure): the full view, to its owner. */
  z.object({ type: z.literal('document.updated'), document: documentSchema }),
  z.object({ type: z.literal('document.deleted'), documentId: documentIdSchema }),
  /**
   * A draft was proposed or changed (a decision, execution, expiry, withdrawal): the full view,
   * to its requester and to each user who may decide it or decided it. Never broadcast.
   */
  z.object({ type: z.literal('draft.updated'), draft: draftSchema }),
  z.object({
    type: z.literal('session.ended'),
    reason: z.enum(['signed_out', 'revoked', 'expired', 'role_changed', 'disabled', 'password_reset', 'deleted']),
  }),
  /**
   * A signal, never stored: events after the client's cursor are no longer retained, so the
   * client refetches what it shows. Its `id` is the cursor to go on from.
   */
  /** The user's plan or paid features changed (sent to that user only): refetch `/api/me`, do not trust the event alone. */
  z.object({ type: z.literal('entitlement.updated'), userId: z.string() }),
  /** A feature flag changed (broadcast): refetch `/api/me` for the caller's evaluated flags. */
  z.object({ type: z.literal('flags.updated'), flag: z.string() }),
  z.object({ type: z.literal('resync') }),
]);
export type ServerEvent = z.infer<typeof serverEventSchema>;
export type ServerEventType = ServerEvent['type'];

import { z } from 'zod';
import { actorViewSchema } from './actors.js';

/**
 * The support desk's tickets (issue 10): what the agent's built-in tools read and write, and what
 * people see under /api/tickets so they can check what the agent did.
 */
export const ticketStatuses = ['open', 'pending', 'solved', 'closed'] as const;
export const ticketStatusSchema = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const ticketPrioritySchema = z.enum(ticketPriorities);
export type TicketPriority = z.infer<typeof ticketPrioritySchema>;

export const ticketIdSchema = z.uuid();

/** Three-letter ISO 4217 currency codes, upper case. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');

export const ticketCommentSchema = z.object({
  id: z.string(),
  author: actorViewSchema,
  body: z.string(),
  createdAt: z.string(),
});
export type TicketComment = z.infer<typeof ticketCommentSchema>;

export const refundSchema = z.object({
  id: z.string(),
  /** In the currency's minor unit (cents). */
  amountCents: z.number().int().positive(),
  currency: z.string(),
  reason: z.string(),
  createdBy: actorViewSchema,
  createdAt: z.string(),
});
export type Refund = z.infer<typeof refundSchema>;

/** A ticket in a list: `number` is the short id people say ("#12"). */
export const ticketSummarySchema = z.object({
  id: ticketIdSchema,
  number: z.number().int().positive(),
  subject: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  requester: actorViewSchema,
  assignee: actorViewSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

export const ticketSchema = ticketSummarySchema.extend({
  body: z.string(),
  comments: z.array(ticketCommentSchema),
  refunds: z.array(refundSchema),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const listTicketsQuerySchema = z.object({
  status: ticketStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuerySchema>;

export const listTicketsResponseSchema = z.object({
  tickets: z.array(ticketSummarySchema),
  nextCursor: z.string().nullable(),
});
export const ticketResponseSchema = z.object({ ticket: ticketSchema });

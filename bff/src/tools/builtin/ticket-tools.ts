import { type Role, roles, ticketPrioritySchema, ticketStatusSchema } from '@atrium/contracts';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import {
  addTicketComment,
  changeTicketPriority,
  createTicket,
  issueRefund,
  listTickets,
  readTicket,
} from '../../tickets/repository.js';
import { defineTool } from '../define-tool.js';

/*
 * The support desk's built-in tools (issue 10), over the ticket store (bff/src/tickets). Each
 * runs as its caller: the ticket store filters rows in SQL, so a tool can never reach a ticket
 * its caller could not open in the UI. Writes are `transactional`: an approved draft runs inside
 * the transaction that records its execution (exactly once). Roles and risks: docs/tools.md.
 */

/** Ends a quoted phrase with one full stop (a reason that ends with its own does not get a second). */
const sentence = (phrase: string) => (/[.!?…]$/.test(phrase.trimEnd()) ? phrase.trimEnd() : `${phrase.trimEnd()}.`);

const ticketId = z.uuid().describe('The ticket id (a uuid, as get_ticket and list_my_tickets return)');
const text = (max: number) => z.string().trim().min(1).max(max);

/** Support staff who work tickets; `approver` judges drafts and is not among those proposing writes. */
const agents: readonly Role[] = ['agent_l1', 'agent_l2', 'admin'];

export interface TicketToolDeps {
  clock: Clock;
  /** Largest refund in cents (ATRIUM_REFUND_MAX_CENTS). */
  refundMaxCents: number;
}

const ticketView = z.object({
  id: z.string(),
  number: z.number(),
  subject: z.string(),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema,
  updatedAt: z.string(),
});

export function ticketTools({ clock, refundMaxCents }: TicketToolDeps) {
  const getTicket = defineTool({
    name: 'get_ticket',
    description: 'Read one support ticket with its comments and refunds.',
    kind: 'builtin',
    input: z.object({ ticketId }),
    output: z.object({
      ticket: ticketView.extend({
        body: z.string(),
        comments: z.array(z.object({ body: z.string(), createdAt: z.string() })),
        refunds: z.array(z.object({ amountCents: z.number(), currency: z.string(), reason: z.string() })),
      }),
    }),
    risk: 'read',
    timeoutMs: 5_000,
    roles,
    describe: (input) => `Read ticket ${input.ticketId}.`,
    summarize: ({ ticket }) => `#${ticket.number} ${ticket.subject} (${ticket.status}, ${ticket.priority})`,
    run: async (input, { db, caller }) => {
      const ticket = await readTicket(db, caller, input.ticketId);
      return {
        ticket: {
          id: ticket.id,
          number: ticket.number,
          subject: ticket.subject,
          status: ticket.status,
          priority: ticket.priority,
          updatedAt: ticket.updatedAt,
          body: ticket.body,
          comments: ticket.comments.map((c) => ({ body: c.body, createdAt: c.createdAt })),
          refunds: ticket.refunds.map((r) => ({ amountCents: r.amountCents, currency: r.currency, reason: r.reason })),
        },
      };
    },
  });

  const listMyTickets = defineTool({
    name: 'list_my_tickets',
    description: 'List the tickets the caller requested or is assigned to, most recently updated first.',
    kind: 'builtin',
    input: z.object({
      status: ticketStatusSchema.optional().describe('Only tickets in this status'),
      limit: z.number().int().min(1).max(20).default(10),
    }),
    output: z.object({ tickets: z.array(ticketView) }),
    risk: 'read',
    timeoutMs: 5_000,
    roles,
    describe: () => 'List my tickets.',
    summarize: ({ tickets }) =>
      tickets.length === 0
        ? 'No tickets.'
        : `${tickets.length} ticket(s): ${tickets.map((t) => `#${t.number}`).join(', ')}`,
    run: async (input, { db, caller }) => {
      const page = await listTickets(db, caller, { status: input.status, limit: input.limit, mine: true });
      return {
        tickets: page.tickets.map((t) => ({
          id: t.id,
          number: t.number,
          subject: t.subject,
          status: t.status,
          priority: t.priority,
          updatedAt: t.updatedAt,
        })),
      };
    },
  });

  const createTicketTool = defineTool({
    name: 'create_ticket',
    description: 'Open a new support ticket on behalf of the caller. Needs one approval before it is created.',
    kind: 'builtin',
    input: z.object({
      subject: text(200).describe('One line saying what the problem is'),
      body: text(5_000).describe('What happened, in the requester’s words'),
      priority: ticketPrioritySchema.default('normal'),
    }),
    output: z.object({ ticketId: z.string(), number: z.number() }),
    risk: 'low',
    timeoutMs: 5_000,
    roles,
    transactional: true,
    describe: (input) => `Open a ticket "${input.subject}" (priority ${input.priority}).`,
    summarize: (output) => `Ticket #${output.number} opened.`,
    run: async (input, { db, caller }) => {
      const created = await createTicket(db, caller, { ...input, now: clock.now() });
      return { ticketId: created.id, number: created.number };
    },
  });

  const addComment = defineTool({
    name: 'add_ticket_comment',
    description: 'Add a comment to a ticket the caller can see. Needs one approval.',
    kind: 'builtin',
    input: z.object({ ticketId, body: text(5_000) }),
    output: z.object({ commentId: z.string(), ticketNumber: z.number() }),
    risk: 'low',
    timeoutMs: 5_000,
    roles,
    transactional: true,
    precheck: async (input, { db, caller }) => void (await readTicket(db, caller, input.ticketId)),
    describe: (input) => `Comment on ticket ${input.ticketId}: "${input.body.slice(0, 80)}".`,
    summarize: (output) => `Comment added to ticket #${output.ticketNumber}.`,
    run: async (input, { db, caller }) => {
      const added = await addTicketComment(db, caller, { ...input, now: clock.now() });
      return { commentId: added.id, ticketNumber: added.ticketNumber };
    },
  });

  const changePriority = defineTool({
    name: 'change_ticket_priority',
    description: 'Change a ticket’s priority. High risk: needs two approvals, the second by an admin.',
    kind: 'builtin',
    input: z.object({ ticketId, priority: ticketPrioritySchema }),
    output: z.object({ ticketNumber: z.number(), previous: ticketPrioritySchema, priority: ticketPrioritySchema }),
    risk: 'high',
    timeoutMs: 5_000,
    roles: agents,
    transactional: true,
    precheck: async (input, { db, caller }) => void (await readTicket(db, caller, input.ticketId)),
    describe: (input) => `Set the priority of ticket ${input.ticketId} to ${input.priority}.`,
    summarize: (output) => `Ticket #${output.ticketNumber}: priority ${output.previous} → ${output.priority}.`,
    run: async (input, { db, caller }) => {
      const changed = await changeTicketPriority(db, caller, { ...input, now: clock.now() });
      return { ...changed, priority: input.priority };
    },
  });

  const refund = defineTool({
    name: 'issue_refund',
    description: `Refund money on a ticket, at most ${refundMaxCents} cents. High risk: needs two approvals, the second by an admin.`,
    kind: 'builtin',
    input: z.object({
      ticketId,
      amountCents: z
        .number()
        .int()
        .positive()
        .max(refundMaxCents, `at most ${refundMaxCents} cents (ATRIUM_REFUND_MAX_CENTS)`)
        .describe('Amount in cents (the currency’s minor unit)'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
      reason: text(1_000),
    }),
    output: z.object({ refundId: z.string(), ticketNumber: z.number() }),
    risk: 'high',
    timeoutMs: 5_000,
    roles: ['agent_l2', 'admin'],
    transactional: true,
    precheck: async (input, { db, caller }) => void (await readTicket(db, caller, input.ticketId)),
    describe: (input) =>
      `Refund ${(input.amountCents / 100).toFixed(2)} ${input.currency} on ticket ${input.ticketId}: ${sentence(input.reason.slice(0, 80))}`,
    summarize: (output) => `Refund recorded on ticket #${output.ticketNumber}.`,
    run: async (input, { db, caller, idempotencyKey }) => {
      // A refund is only ever the execution of an approved draft, keyed by the draft's id.
      const key = idempotencyKey ?? crypto.randomUUID();
      const issued = await issueRefund(db, caller, { ...input, idempotencyKey: key, now: clock.now() });
      return { refundId: issued.id, ticketNumber: issued.ticketNumber };
    },
  });

  return [getTicket, listMyTickets, createTicketTool, addComment, changePriority, refund];
}

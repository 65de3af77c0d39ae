import type { ActorView, ListTicketsQuery, Ticket, TicketPriority, TicketSummary } from '@atrium/contracts';
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../db/index.js';
import { refunds, ticketComments, tickets } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { ticketListCursor } from '../page-cursor.js';
import { actorViewOf } from '../registry/actor-view.js';
import { type TicketReader, ticketVisibleTo } from './access.js';

/*
 * The ticket store. Every function takes the caller: reads are filtered by `ticketVisibleTo`
 * inside the query, so another user's ticket is exactly as missing as one that never existed
 * (404 `ticket.not_found`). Writes run on `db`, which may be the transaction that records a
 * draft's execution (bff/src/drafts): the write and its record commit together.
 */

const actor = (column: AnyPgColumn) => actorViewOf(sql`${column}::text`);

const summaryColumns = {
  id: tickets.id,
  number: tickets.number,
  subject: tickets.subject,
  status: tickets.status,
  priority: tickets.priority,
  requester: actor(tickets.requesterId),
  assignee: sql<ActorView | null>`case when ${tickets.assigneeId} is null then null else ${actor(tickets.assigneeId)} end`,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
};

type SummaryRow = Omit<TicketSummary, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

const toSummary = (row: SummaryRow): TicketSummary => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const ticketNotFound = () => new AppError('ticket.not_found', 404, 'No such ticket.');

/**
 * The tickets `reader` may see, most recently updated first, `limit` (1–100) at a time;
 * `mine`: only those they requested or are assigned to. Throws 400 `request.invalid_cursor`
 * for a cursor this server did not issue.
 */
export async function listTickets(
  db: Database,
  reader: TicketReader,
  query: ListTicketsQuery & { mine?: boolean },
): Promise<{ tickets: TicketSummary[]; nextCursor: string | null }> {
  const conditions: SQL[] = [ticketVisibleTo(reader)];
  if (query.mine) {
    conditions.push(sql`(${tickets.requesterId} = ${reader.userId} or ${tickets.assigneeId} = ${reader.userId})`);
  }
  if (query.status) conditions.push(eq(tickets.status, query.status));
  if (query.cursor) {
    const after = ticketListCursor.decode(query.cursor);
    conditions.push(
      sql`(${tickets.updatedAt}, ${tickets.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await db
    .select(summaryColumns)
    .from(tickets)
    .where(and(...conditions))
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    tickets: page.map(toSummary),
    nextCursor: rows.length > query.limit && last ? ticketListCursor.encode(last.updatedAt, last.id) : null,
  };
}

/** One ticket with its comments and refunds, oldest first; 404 `ticket.not_found` if `reader` may not see it. */
export async function readTicket(db: Database, reader: TicketReader, id: string): Promise<Ticket> {
  const [row] = await db
    .select({ ...summaryColumns, body: tickets.body })
    .from(tickets)
    .where(and(eq(tickets.id, id), ticketVisibleTo(reader)));
  if (!row) throw ticketNotFound();
  const [comments, given] = await Promise.all([
    db
      .select({
        id: ticketComments.id,
        author: actor(ticketComments.authorId),
        body: ticketComments.body,
        createdAt: ticketComments.createdAt,
      })
      .from(ticketComments)
      .where(eq(ticketComments.ticketId, id))
      .orderBy(asc(ticketComments.createdAt), asc(ticketComments.id)),
    db
      .select({
        id: refunds.id,
        amountCents: refunds.amountCents,
        currency: refunds.currency,
        reason: refunds.reason,
        createdBy: actor(refunds.createdBy),
        createdAt: refunds.createdAt,
      })
      .from(refunds)
      .where(eq(refunds.ticketId, id))
      .orderBy(asc(refunds.createdAt), asc(refunds.id)),
  ]);
  return {
    ...toSummary(row),
    body: row.body,
    comments: comments.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    refunds: given.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}

/** Locks the ticket row for the caller's write; 404 `ticket.not_found` if they may not see it. */
async function visibleForWrite(db: Database, reader: TicketReader, id: string): Promise<void> {
  const [row] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.id, id), ticketVisibleTo(reader)))
    .for('update');
  if (!row) throw ticketNotFound();
}

/** A new `open` ticket requested by `reader`; returns its id and number. */
export async function createTicket(
  db: Database,
  reader: TicketReader,
  input: { subject: string; body: string; priority: TicketPriority; now: Date },
): Promise<{ id: string; number: number }> {
  const [row] = await db
    .insert(tickets)
    .values({
      subject: input.subject,
      body: input.body,
      priority: input.priority,
      requesterId: reader.userId,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning({ id: tickets.id, number: tickets.number });
  return row!;
}

/** Adds a comment by `reader` to a ticket they may see (404 `ticket.not_found` otherwise). */
export async function addTicketComment(
  db: Database,
  reader: TicketReader,
  input: { ticketId: string; body: string; now: Date },
): Promise<{ id: string; ticketNumber: number }> {
  await visibleForWrite(db, reader, input.ticketId);
  const [comment] = await db
    .insert(ticketComments)
    .values({ ticketId: input.ticketId, authorId: reader.userId, body: input.body, createdAt: input.now })
    .returning({ id: ticketComments.id });
  const [ticket] = await db
    .update(tickets)
    .set({ updatedAt: input.now })
    .where(eq(tickets.id, input.ticketId))
    .returning({ number: tickets.number });
  return { id: comment!.id, ticketNumber: ticket!.number };
}

/** Sets a visible ticket's priority; returns the previous one. 404 `ticket.not_found` otherwise. */
export async function changeTicketPriority(
  db: Database,
  reader: TicketReader,
  input: { ticketId: string; priority: TicketPriority; now: Date },
): Promise<{ ticketNumber: number; previous: TicketPriority }> {
  await visibleForWrite(db, reader, input.ticketId);
  const [before] = await db.select({ priority: tickets.priority }).from(tickets).where(eq(tickets.id, input.ticketId));
  const [after] = await db
    .update(tickets)
    .set({ priority: input.priority, updatedAt: input.now })
    .where(eq(tickets.id, input.ticketId))
    .returning({ number: tickets.number });
  return { ticketNumber: after!.number, previous: before!.priority };
}

/**
 * Records a refund on a visible ticket. `idempotencyKey` is unique across refunds: a second
 * refund with the same key is 409 `ticket.refund_duplicate` and writes nothing.
 * `amountCents` is in the currency's minor unit; the cap is the tool's (ATRIUM_REFUND_MAX_CENTS).
 */
export async function issueRefund(
  db: Database,
  reader: TicketReader,
  input: { ticketId: string; amountCents: number; currency: string; reason: string; idempotencyKey: string; now: Date },
): Promise<{ id: string; ticketNumber: number }> {
  await visibleForWrite(db, reader, input.ticketId);
  const [refund] = await db
    .insert(refunds)
    .values({
      ticketId: input.ticketId,
      amountCents: input.amountCents,
      currency: input.currency,
      reason: input.reason,
      createdBy: reader.userId,
      idempotencyKey: input.idempotencyKey,
      createdAt: input.now,
    })
    .onConflictDoNothing({ target: refunds.idempotencyKey })
    .returning({ id: refunds.id });
  if (!refund) throw new AppError('ticket.refund_duplicate', 409, 'This refund was already issued.');
  const [ticket] = await db
    .update(tickets)
    .set({ updatedAt: input.now })
    .where(eq(tickets.id, input.ticketId))
    .returning({ number: tickets.number });
  return { id: refund.id, ticketNumber: ticket!.number };
}

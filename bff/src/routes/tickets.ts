import {
  listTicketsQuerySchema,
  listTicketsResponseSchema,
  ticketIdSchema,
  ticketResponseSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';
import type { TicketReader } from '../tickets/access.js';
import { listTickets, readTicket } from '../tickets/repository.js';

const readerOf = (c: Context<AppEnv>): TicketReader => {
  const user = c.get('user')!;
  return { userId: user.id, role: user.role };
};

/**
 * The tickets the caller may see (issue 10), so people can check what the agent did: a `user`
 * (and `ops`) their own, support staff all (tickets/access.ts). Another user's ticket is 404
 * `ticket.not_found`, exactly like a missing one; a forged cursor is 400 `request.invalid_cursor`.
 */
export const ticketRoutes = new Hono<AppEnv>()
  .use('/api/tickets', requires('tickets:read'))
  .use('/api/tickets/*', requires('tickets:read'))
  .get('/api/tickets', validate('query', listTicketsQuerySchema), async (c) =>
    respond(c, listTicketsResponseSchema, await listTickets(c.get('deps').db, readerOf(c), c.req.valid('query'))),
  )
  .get('/api/tickets/:id', validate('param', z.object({ id: ticketIdSchema })), async (c) => {
    const ticket = await readTicket(c.get('deps').db, readerOf(c), c.req.valid('param').id);
    return respond(c, ticketResponseSchema, { ticket });
  });

import type { Role } from '@atrium/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { tickets } from '../db/schema/index.js';

/** Who is asking; every ticket query is filtered for them inside SQL. */
export interface TicketReader {
  userId: string;
  role: Role;
}

/**
 * Support staff see every ticket (issue 10): L1 and L2 agents work them, approvers judge the
 * drafts written on them, admins run the desk. Everyone else (`user`, `ops`) sees only the
 * tickets they requested.
 */
export const supportStaff: readonly Role[] = ['agent_l1', 'agent_l2', 'approver', 'admin'];

export function isSupportStaff(role: Role): boolean {
  return supportStaff.includes(role);
}

/** The access rule as a condition on `tickets`: a ticket the reader may not see matches nothing. */
export function ticketVisibleTo(reader: TicketReader): SQL {
  return isSupportStaff(reader.role) ? sql`true` : sql`${tickets.requesterId} = ${reader.userId}`;
}

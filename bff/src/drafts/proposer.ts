import { type Draft, draftAuditTarget, type Role } from '@atrium/contracts';
import { recordAudit } from '../audit/audit-log.js';
import { drafts } from '../db/schema/index.js';
import { withEvents } from '../realtime/event-log.js';
import type { DraftProposer } from '../tools/tool.js';
import { draftView } from './repository.js';
import { announceDraft, type DraftDeps, expireQueue } from './settle.js';

/**
 * The `DraftProposer` the gate hands allowed write calls to (tools/tool.ts). In one transaction:
 * a `pending` draft with the tool's approval levels copied in, `expiresAt` = now + `ttlMs`
 * (config `ATRIUM_DRAFT_TTL_MS`), a `draft.expire` job due then, the audit entry
 * `draft.proposed`, and `draft.updated` to the requester and everyone who may decide it.
 * The gate has already validated `input` and checked the caller's role; a tool without levels
 * (`read`, or `approvals` null) never reaches here, and is refused if it does.
 */
export function createDraftProposer(deps: DraftDeps & { ttlMs: number }): DraftProposer {
  return {
    async propose({ tool, input, caller, origin }): Promise<Draft> {
      const levels = tool.approvals ? tool.approvals.map((level) => ({ roles: [...level.roles] })) : [];
      if (levels.length === 0) throw new Error(`tool ${tool.name} needs no approval or may not be proposed`);
      const chat = origin.via === 'chat' ? origin : null;
      return withEvents(deps, async (tx, emit) => {
        const now = deps.clock.now();
        const expiresAt = new Date(now.getTime() + deps.ttlMs);
        const [row] = await tx
          .insert(drafts)
          .values({
            tool: tool.name,
            risk: tool.risk,
            arguments: input,
            summary: tool.describe(input),
            status: 'pending',
            requesterId: caller.userId,
            chatId: chat?.chatId ?? null,
            answerId: chat?.answerId ?? null,
            stepId: chat?.stepId ?? null,
            levels,
            deciderRoles: [...new Set<Role>(levels.flatMap((l) => l.roles))],
            expiresAt,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await deps.queue.enqueue(tx, expireQueue, { draftId: row!.id }, { key: row!.id, runAt: expiresAt });
        await recordAudit(tx, {
          at: now,
          actorId: caller.userId,
          action: 'draft.proposed',
          target: draftAuditTarget(row!.id),
          detail: { tool: tool.name, risk: tool.risk, via: origin.via, levels: levels.length },
          requestId: null,
        });
        await announceDraft(tx, emit, row!);
        return draftView(tx, row!);
      });
    },
  };
}

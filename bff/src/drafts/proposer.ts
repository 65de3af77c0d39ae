import { type Draft, draftAuditTarget, type Role } from '@atrium/contracts';
import { and, count, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import { drafts } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { withEvents } from '../realtime/event-log.js';
import type { DraftProposer } from '../tools/tool.js';
import { draftView } from './repository.js';
import { announceDraft, type DraftDeps, expireQueue } from './settle.js';

/** Advisory lock namespace (arbitrary, fixed) serialising one requester's proposals. */
const pendingCapLock = 7_261_851;

/**
 * Bidirectional formatting controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) let
 * an argument display differently from what it is ("Trojan Source", CVE-2021-42574): an approver
 * must read what will happen, so the summary shows them as visible escapes (`\u202E`).
 */
export function withoutBidiControls(text: string): string {
  return text.replace(
    /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g,
    (c) => `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/**
 * The `DraftProposer` the gate hands allowed write calls to (tools/tool.ts). In one transaction:
 * a `pending` draft with the tool's approval levels copied in, `expiresAt` = now + `ttlMs`
 * (config `ATRIUM_DRAFT_TTL_MS`), a `draft.expire` job due then, the audit entry
 * `draft.proposed`, and `draft.updated` to the requester and everyone who may decide it.
 * The gate has already validated `input` and checked the caller's role; a tool without levels
 * (`read`, or `approvals` null) never reaches here, and is refused if it does. A requester with
 * `maxPending` drafts pending (config `ATRIUM_DRAFT_MAX_PENDING`) is refused 429
 * `draft.too_many_pending`, so one token cannot flood every approver's queue.
 */
export function createDraftProposer(deps: DraftDeps & { ttlMs: number; maxPending: number }): DraftProposer {
  return {
    async propose({ tool, input, caller, origin }): Promise<Draft> {
      const levels = tool.approvals ? tool.approvals.map((level) => ({ roles: [...level.roles] })) : [];
      if (levels.length === 0) throw new Error(`tool ${tool.name} needs no approval or may not be proposed`);
      const chat = origin.via === 'chat' ? origin : null;
      return withEvents(deps, async (tx, emit) => {
        // One requester's proposals queue up here, so the count below cannot be raced past the cap.
        await tx.execute(sql`select pg_advisory_xact_lock(${pendingCapLock}, hashtext(${caller.userId}))`);
        const [pending] = await tx
          .select({ n: count() })
          .from(drafts)
          .where(and(eq(drafts.requesterId, caller.userId), eq(drafts.status, 'pending')));
        if ((pending?.n ?? 0) >= deps.maxPending) {
          throw new AppError(
            'draft.too_many_pending',
            429,
            `You already have ${deps.maxPending} proposals waiting for approval. Wait for a decision or withdraw one.`,
          );
        }
        const now = deps.clock.now();
        const expiresAt = new Date(now.getTime() + deps.ttlMs);
        const [row] = await tx
          .insert(drafts)
          .values({
            tool: tool.name,
            risk: tool.risk,
            arguments: input,
            summary: withoutBidiControls(tool.describe(input)),
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

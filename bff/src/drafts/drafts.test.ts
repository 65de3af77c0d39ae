import type { Role, ServerEvent } from '@atrium/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { OpenDatabase } from '../db/index.js';
import { auditLog, drafts, jobs, toolCalls, userEvents, users } from '../db/schema/index.js';
import { createWorker } from '../jobs/worker.js';
import { createLogger } from '../logger.js';
import { createInProcessBus } from '../realtime/in-process-bus.js';
import { countNotes, createRemoteTool, lookupOf, writeNoteTool } from '../testing/draft-tools.js';
import { createManualClock, type ManualClock } from '../testing/manual-clock.js';
import { openTestDatabase } from '../testing/test-database.js';
import type { AnyTool, ToolCallOrigin } from '../tools/tool.js';
import { createUser } from '../users/accounts.js';
import { approveDraft, type DraftActor, readDraft, rejectDraft, withdrawDraft } from './decisions.js';
import { listDrafts } from './repository.js';
import { createDrafts, type Drafts } from './runtime.js';
import { answerContinueQueue, executeQueue } from './settle.js';

const logger = createLogger('silent');
const ttlMs = 60 * 60_000;
let database: OpenDatabase;
let clock: ManualClock;
let remote: ReturnType<typeof createRemoteTool>;
let system: Drafts;
let people: Record<'requester' | 'l2' | 'approver1' | 'approver2' | 'admin1' | 'admin2' | 'outsider', DraftActor>;

const chatOrigin = (): ToolCallOrigin => ({
  via: 'chat',
  chatId: crypto.randomUUID(),
  answerId: crypto.randomUUID(),
  stepId: 'call_1',
});

beforeAll(async () => {
  database = await openTestDatabase(loadConfig().database);
  const make = async (name: string, role: Role): Promise<DraftActor> => {
    const row = await createUser(database.db, {
      email: `${name}@example.com`,
      role,
      password: 'a perfectly long password',
      displayName: name,
      now: new Date(),
    });
    return { userId: row.id, role, requestId: null };
  };
  people = {
    requester: await make('requester', 'user'),
    l2: await make('l2', 'agent_l2'),
    approver1: await make('approver1', 'approver'),
    approver2: await make('approver2', 'approver'),
    admin1: await make('admin1', 'admin'),
    admin2: await make('admin2', 'admin'),
    outsider: await make('outsider', 'agent_l1'),
  };
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.delete(drafts);
  await database.db.delete(jobs);
  clock = createManualClock();
  remote = createRemoteTool();
  system = createDrafts({
    db: database.db,
    bus: createInProcessBus(),
    clock,
    logger,
    ttlMs,
    tools: lookupOf([writeNoteTool as AnyTool, remote.tool as AnyTool]),
    wakeWorker: () => undefined,
  });
});

const proposeNote = (origin: ToolCallOrigin = chatOrigin()) =>
  system.proposer.propose({
    tool: writeNoteTool as AnyTool,
    input: { text: 'hello' },
    caller: people.requester,
    origin,
  });
const proposeRefund = () =>
  system.proposer.propose({
    tool: remote.tool as AnyTool,
    input: { amount: 1200 },
    caller: people.l2,
    origin: { via: 'mcp' },
  });

const worker = () => createWorker({ queue: system.deps.queue, handlers: system.jobHandlers, logger, concurrency: 4 });
const jobsOf = (queue: string) => database.db.select().from(jobs).where(eq(jobs.queue, queue));
const draftEventsOf = async (userId: string, draftId: string) =>
  (await database.db.select().from(userEvents).where(eq(userEvents.userId, userId)))
    .map((r) => r.payload as ServerEvent)
    .filter((e) => e.type === 'draft.updated' && e.draft.id === draftId);
const auditActionsOf = async (draftId: string) =>
  (
    await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `draft:${draftId}`))
  ).map((r) => r.action);

describe('proposing', () => {
  it('writes a pending draft with the tool’s levels, its expiry job, an audit entry and events to the people concerned', async () => {
    const draft = await proposeNote();
    expect(draft).toMatchObject({
      status: 'pending',
      tool: 'write_note',
      summary: 'Write the note “hello”.',
      risk: 'low',
    });
    expect(draft.levels).toEqual([{ roles: ['approver', 'admin'], decision: null }]);
    expect(draft.expiresAt).toBe(new Date(clock.now().getTime() + ttlMs).toISOString());
    expect(draft.requester).toMatchObject({ kind: 'user', id: people.requester.userId });
    expect(await auditActionsOf(draft.id)).toEqual(['draft.proposed']);
    expect(await draftEventsOf(people.requester.userId, draft.id)).toHaveLength(1);
    expect(await draftEventsOf(people.approver1.userId, draft.id)).toHaveLength(1);
    expect(await draftEventsOf(people.admin2.userId, draft.id)).toHaveLength(1);
    expect(await draftEventsOf(people.outsider.userId, draft.id)).toHaveLength(0);
    expect(await draftEventsOf(people.l2.userId, draft.id)).toHaveLength(0);
    expect((await jobsOf('draft.expire')).map((j) => j.key)).toEqual([draft.id]);
  });

  it('shows a draft to its requester and its deciders only: anyone else gets draft.not_found', async () => {
    const draft = await proposeNote();
    expect((await readDraft(database.db, people.requester, draft.id)).id).toBe(draft.id);
    expect((await readDraft(database.db, people.approver2, draft.id)).id).toBe(draft.id);
    await expect(readDraft(database.db, people.outsider, draft.id)).rejects.toMatchObject({
      code: 'draft.not_found',
      status: 404,
    });
    await expect(readDraft(database.db, people.l2, crypto.randomUUID())).rejects.toMatchObject({
      code: 'draft.not_found',
    });
    await expect(approveDraft(system.deps, people.outsider, draft.id)).rejects.toMatchObject({
      code: 'draft.not_found',
    });
    const queue = await listDrafts(database.db, people.approver1, 'queue', { limit: 10 });
    expect(queue.drafts.map((d) => d.id)).toEqual([draft.id]);
    expect((await listDrafts(database.db, people.outsider, 'queue', { limit: 10 })).drafts).toEqual([]);
    expect((await listDrafts(database.db, people.requester, 'mine', { limit: 10 })).drafts).toHaveLength(1);
    expect((await listDrafts(database.db, people.l2, 'mine', { limit: 10 })).drafts).toHaveLength(0);
  });
});

describe('proposing, bounded', () => {
  it('refuses a requester past ATRIUM_DRAFT_MAX_PENDING pending drafts, and lets them propose again once one is decided', async () => {
    const capped = createDrafts({
      db: database.db,
      bus: createInProcessBus(),
      clock,
      logger,
      ttlMs,
      maxPending: 2,
      tools: lookupOf([writeNoteTool as AnyTool]),
      wakeWorker: () => undefined,
    });
    const propose = () =>
      capped.proposer.propose({
        tool: writeNoteTool as AnyTool,
        input: { text: 'again' },
        caller: people.requester,
        origin: { via: 'mcp' },
      });
    const settled = await Promise.allSettled([propose(), propose(), propose(), propose()]);
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(settled.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.objectContaining({ code: 'draft.too_many_pending', status: 429 }),
      expect.objectContaining({ code: 'draft.too_many_pending', status: 429 }),
    ]);
    const first = (settled[0] as PromiseFulfilledResult<{ id: string }>).value;
    await withdrawDraft(capped.deps, people.requester, first.id);
    await expect(propose()).resolves.toMatchObject({ status: 'pending' });
  });

  it('shows bidirectional controls in a summary as visible escapes, so an approver reads what will happen', async () => {
    const draft = await system.proposer.propose({
      tool: writeNoteTool as AnyTool,
      input: { text: 'refund \u202e00.5\u202c only' },
      caller: people.requester,
      origin: { via: 'mcp' },
    });
    expect(draft.summary).toBe('Write the note “refund \\u202E00.5\\u202C only”.');
  });
});

describe('deciding', () => {
  it('refuses one’s own request, a second level by the same person and a role the level does not name', async () => {
    const draft = await proposeRefund();
    const self = { ...people.l2 };
    // agent_l2 is named by no level of remote_refund, so they see it as requester only.
    await expect(approveDraft(system.deps, self, draft.id)).rejects.toMatchObject({ code: 'draft.own_request' });
    const first = await approveDraft(system.deps, people.admin1, draft.id, 'fine');
    expect(first.status).toBe('pending');
    expect(first.levels[0]!.decision).toMatchObject({
      approve: true,
      reason: 'fine',
      by: { kind: 'user', id: people.admin1.userId },
    });
    await expect(approveDraft(system.deps, people.admin1, draft.id)).rejects.toMatchObject({
      code: 'draft.already_decided',
    });
    await expect(approveDraft(system.deps, people.approver1, draft.id)).rejects.toMatchObject({
      code: 'draft.wrong_level',
      status: 403,
    });
    const second = await approveDraft(system.deps, people.admin2, draft.id);
    expect(second.status).toBe('executing');
    expect(await jobsOf(executeQueue)).toHaveLength(1);
    expect(await auditActionsOf(draft.id)).toEqual(['draft.proposed', 'draft.approved', 'draft.approved']);
  });

  it('rejects only with a reason, tells the requester why and continues the answer', async () => {
    const origin = chatOrigin();
    const draft = await proposeNote(origin);
    await expect(rejectDraft(system.deps, people.approver1, draft.id, '  ')).rejects.toMatchObject({
      code: 'request.invalid',
    });
    const rejected = await rejectDraft(system.deps, people.approver1, draft.id, 'Not our policy');
    expect(rejected).toMatchObject({
      status: 'rejected',
      outcome: { code: 'draft.rejected', message: 'Not our policy' },
    });
    const continued = await jobsOf(answerContinueQueue);
    expect(continued.map((j) => j.payload)).toEqual([
      { answerId: (origin as { answerId: string }).answerId, draftId: draft.id },
    ]);
    expect((await jobsOf('draft.expire'))[0]!.status).toBe('cancelled');
    const told = await draftEventsOf(people.requester.userId, draft.id);
    expect(told.at(-1)).toMatchObject({ draft: { status: 'rejected', outcome: { message: 'Not our policy' } } });
    await expect(approveDraft(system.deps, people.approver2, draft.id)).rejects.toMatchObject({
      code: 'draft.not_pending',
    });
  });

  it('lets only the requester withdraw, and only while pending', async () => {
    const draft = await proposeNote();
    await expect(withdrawDraft(system.deps, people.approver1, draft.id)).rejects.toMatchObject({
      code: 'draft.not_requester',
    });
    await expect(withdrawDraft(system.deps, people.outsider, draft.id)).rejects.toMatchObject({
      code: 'draft.not_found',
    });
    const withdrawn = await withdrawDraft(system.deps, people.requester, draft.id);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', outcome: { code: 'draft.withdrawn' } });
    await expect(withdrawDraft(system.deps, people.requester, draft.id)).rejects.toMatchObject({
      code: 'draft.not_pending',
    });
    expect(await auditActionsOf(draft.id)).toEqual(['draft.proposed', 'draft.withdrawn']);
  });

  it('expires a draft nobody decided in time, by its job and on a late decision', async () => {
    const byJob = await proposeNote();
    clock.advance(ttlMs - 1);
    await worker().runOnce();
    expect((await readDraft(database.db, people.requester, byJob.id)).status).toBe('pending');
    clock.advance(1);
    await worker().runOnce();
    const expired = await readDraft(database.db, people.requester, byJob.id);
    expect(expired).toMatchObject({ status: 'expired', outcome: { code: 'draft.expired' } });
    expect(await jobsOf(answerContinueQueue)).toHaveLength(1);

    const late = await proposeNote();
    clock.advance(ttlMs);
    await expect(approveDraft(system.deps, people.approver1, late.id)).rejects.toMatchObject({ code: 'draft.expired' });
    expect((await readDraft(database.db, people.requester, late.id)).status).toBe('expired');
    expect(await auditActionsOf(late.id)).toEqual(['draft.proposed', 'draft.expired']);
  });
});

describe('executing', () => {
  it('two approvers clicking at once give one job and one execution', async () => {
    const origin = chatOrigin();
    const draft = await proposeNote(origin);
    const results = await Promise.allSettled([
      approveDraft(system.deps, people.approver1, draft.id),
      approveDraft(system.deps, people.approver2, draft.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'draft.not_pending' } });
    expect(await jobsOf(executeQueue)).toHaveLength(1);
    await worker().runOnce();
    await worker().runOnce();
    expect(await countNotes(database.db, draft.id)).toBe(1);
    const executed = await readDraft(database.db, people.requester, draft.id);
    expect(executed).toMatchObject({
      status: 'executed',
      outcome: { code: 'draft.executed', message: 'Note written.' },
    });
    expect((await jobsOf(answerContinueQueue)).map((j) => j.payload)).toEqual([
      { answerId: (origin as { answerId: string }).answerId, draftId: draft.id },
    ]);
    expect(await auditActionsOf(draft.id)).toEqual(['draft.proposed', 'draft.approved', 'draft.executed']);
    expect((await draftEventsOf(people.approver2.userId, draft.id)).at(-1)).toMatchObject({
      draft: { status: 'executed' },
    });
    // The execution counts in the tool's statistics, as the requester's call.
    const counted = await database.db.select().from(toolCalls).where(eq(toolCalls.tool, 'write_note'));
    expect(counted.map((c) => [c.outcome, c.callerId])).toEqual([['result', people.requester.userId]]);
  });

  it('re-checks the tool’s risk at execution: approvals given for a lower risk do not cover a higher one', async () => {
    const draft = await proposeRefund();
    await approveDraft(system.deps, people.approver1, draft.id);
    await approveDraft(system.deps, people.admin1, draft.id);
    Object.assign(remote.tool, { risk: 'critical', approvals: null });
    await worker().runOnce();
    expect(remote.calls).toEqual([]);
    expect(await readDraft(database.db, people.l2, draft.id)).toMatchObject({
      status: 'failed',
      outcome: { code: 'draft.risk_changed' },
    });
  });

  it('a transactional tool whose worker loses the job between run and record leaves nothing, and runs once on the next delivery', async () => {
    const draft = await proposeNote();
    await approveDraft(system.deps, people.approver1, draft.id);
    const handler = system.jobHandlers[executeQueue]!;
    const [job] = await system.deps.queue.claim(executeQueue, 'worker-a', 1, 60_000);
    const lost = new AbortController();
    const crashing = {
      ...writeNoteTool,
      run: async (input: { text: string }, context: Parameters<typeof writeNoteTool.run>[1]) => {
        const out = await writeNoteTool.run(input, context);
        lost.abort(new Error('lease lost'));
        return out;
      },
    };
    const crashed = createDrafts({
      ...system.deps,
      logger,
      ttlMs,
      tools: lookupOf([crashing as AnyTool]),
      wakeWorker: () => undefined,
    });
    await expect(crashed.jobHandlers[executeQueue]!.run(job!, { signal: lost.signal })).rejects.toThrow(/lease lost/);
    expect(await countNotes(database.db, draft.id)).toBe(0);
    expect((await readDraft(database.db, people.requester, draft.id)).status).toBe('executing');

    clock.advance(60_001);
    const [again] = await system.deps.queue.claim(executeQueue, 'worker-b', 1, 60_000);
    expect(again!.id).toBe(job!.id);
    await handler.run(again!, { signal: new AbortController().signal });
    await handler.run(again!, { signal: new AbortController().signal });
    expect(await countNotes(database.db, draft.id)).toBe(1);
    expect((await readDraft(database.db, people.requester, draft.id)).status).toBe('executed');
  });

  it('a non-transactional tool whose worker died mid-call is never called twice: the next delivery records outcome unknown', async () => {
    const draft = await proposeRefund();
    await approveDraft(system.deps, people.approver1, draft.id);
    await approveDraft(system.deps, people.admin1, draft.id);
    const handler = system.jobHandlers[executeQueue]!;
    const held = remote.hold();
    const [job] = await system.deps.queue.claim(executeQueue, 'worker-a', 1, 60_000);
    const first = handler.run(job!, { signal: new AbortController().signal });
    await held.started;
    clock.advance(60_001);
    const [again] = await system.deps.queue.claim(executeQueue, 'worker-b', 1, 60_000);
    await handler.run(again!, { signal: new AbortController().signal });
    expect(await readDraft(database.db, people.l2, draft.id)).toMatchObject({
      status: 'failed',
      outcome: { code: 'draft.outcome_unknown' },
    });
    held.release();
    await first;
    expect(remote.calls).toEqual([{ amount: 1200, idempotencyKey: draft.id }]);
    expect((await readDraft(database.db, people.l2, draft.id)).status).toBe('failed');
    expect((await draftEventsOf(people.l2.userId, draft.id)).at(-1)).toMatchObject({ draft: { status: 'failed' } });
  });

  it('runs a non-transactional tool once with the draft id as idempotency key', async () => {
    const draft = await proposeRefund();
    await approveDraft(system.deps, people.approver1, draft.id);
    await approveDraft(system.deps, people.admin2, draft.id);
    await worker().runOnce();
    expect(remote.calls).toEqual([{ amount: 1200, idempotencyKey: draft.id }]);
    expect(await readDraft(database.db, people.l2, draft.id)).toMatchObject({
      status: 'executed',
      outcome: { message: 'Refund r-1 issued.' },
    });
  });

  it('re-checks the requester’s role at execution: a role taken away since stops it', async () => {
    const draft = await proposeRefund();
    await approveDraft(system.deps, people.approver1, draft.id);
    await approveDraft(system.deps, people.admin1, draft.id);
    await database.db.update(users).set({ role: 'user' }).where(eq(users.id, people.l2.userId));
    try {
      await worker().runOnce();
    } finally {
      await database.db
        .update(users)
        .set({ role: 'agent_l2' })
        .where(and(eq(users.id, people.l2.userId)));
    }
    expect(remote.calls).toEqual([]);
    expect(await readDraft(database.db, people.l2, draft.id)).toMatchObject({
      status: 'failed',
      outcome: { code: 'draft.requester_not_allowed' },
    });
  });
});

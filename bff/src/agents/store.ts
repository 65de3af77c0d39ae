import {
  type Agent,
  builtInAgentIds,
  type CreateAgentRequest,
  type DocumentAudience,
  defaultAgentId,
  type updateAgentRequestSchema,
} from '@atrium/contracts';
import { asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { agentProfiles } from '../agent/profiles.js';
import { recordAudit } from '../audit/audit-log.js';
import { toChatView } from '../chats/views.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { type AgentRow, agents, chats } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { type EventDeps, withEvents } from '../realtime/event-log.js';

/*
 * Agent profiles (issue 11 item 1): the built-ins from code, each possibly overridden by a row an
 * admin saved, then the agents admins defined, in one list. Answers read the agent of their chat
 * here (generation.ts); the routes (routes/agents.ts) list, create, change and delete them.
 */

/** An agent as answers use it: every field, the system prompt included. */
export interface ResolvedAgent {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  /** Every agent but the default needs `multi_agent`. */
  paid: boolean;
  systemPrompt: string;
  /** Tool names it may offer; null = every tool the asker may use. */
  tools: string[] | null;
  /** Model name; null = the server's choice. */
  model: string | null;
  /** The widest audience its retrieval reads; null = the asker's own access. */
  audience: DocumentAudience | null;
  updatedAt: Date;
}

export type UpdateAgentRequest = z.infer<typeof updateAgentRequestSchema>;

export interface AgentActor {
  userId: string;
  requestId: string | null;
}

const builtIns: ReadonlySet<string> = new Set(builtInAgentIds);
/** The time a built-in nobody changed reports as `updatedAt`. */
const shipped = new Date(0);

export const isBuiltInAgent = (id: string): boolean => builtIns.has(id);

function builtIn(id: (typeof builtInAgentIds)[number]): ResolvedAgent {
  const profile = agentProfiles[id];
  return {
    id,
    ...profile,
    builtIn: true,
    paid: id !== defaultAgentId,
    tools: null,
    model: null,
    audience: null,
    updatedAt: shipped,
  };
}

function fromRow(row: AgentRow): ResolvedAgent {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    builtIn: isBuiltInAgent(row.id),
    paid: row.id !== defaultAgentId,
    systemPrompt: row.systemPrompt,
    tools: row.tools,
    model: row.model,
    audience: row.audience,
    updatedAt: row.updatedAt,
  };
}

/** Every agent: the built-ins first (as overridden), then the custom ones by id. */
export async function listAgents(db: Database): Promise<ResolvedAgent[]> {
  const rows = await db.select().from(agents).orderBy(asc(agents.id));
  const saved = new Map(rows.map((row) => [row.id, row]));
  const first = builtInAgentIds.map((id) => {
    const row = saved.get(id);
    return row ? fromRow(row) : builtIn(id);
  });
  return [...first, ...rows.filter((row) => !isBuiltInAgent(row.id)).map(fromRow)];
}

/** The agent with this id (a built-in as overridden); null when there is none. */
export async function findAgent(db: Database, id: string): Promise<ResolvedAgent | null> {
  const [row] = await db.select().from(agents).where(eq(agents.id, id));
  if (row) return fromRow(row);
  return isBuiltInAgent(id) ? builtIn(id as (typeof builtInAgentIds)[number]) : null;
}

/** The agent for the API: `systemPrompt` only for callers who manage agents. */
export function toAgentView(agent: ResolvedAgent, withPrompt: boolean): Agent {
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    builtIn: agent.builtIn,
    paid: agent.paid,
    tools: agent.tools,
    model: agent.model,
    audience: agent.audience,
    systemPrompt: withPrompt ? agent.systemPrompt : null,
    updatedAt: agent.updatedAt.toISOString(),
  };
}

export const agentNotFound = () => new AppError('agent.not_found', 404, 'No such agent.');

/**
 * 400 `request.invalid` naming every tool in `tools` that no source has (the registry, enabled or
 * not): a typo would otherwise silently leave the agent without the tool.
 */
export function checkToolNames(tools: readonly string[] | null | undefined, known: ReadonlySet<string>): void {
  const unknown = [...new Set(tools ?? [])].filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  throw new AppError(
    'request.invalid',
    400,
    `Unknown tools: ${unknown.join(', ')}.`,
    unknown.map((name) => ({ path: 'tools', message: `no tool named ${name}` })),
  );
}

const auditDetail = (agent: ResolvedAgent) => ({
  name: agent.name,
  tools: agent.tools,
  model: agent.model,
  audience: agent.audience,
  systemPromptChars: agent.systemPrompt.length,
});

/**
 * Saves a custom agent (audited `agent.created`). 409 `agent.id_taken` when a built-in or a saved
 * agent has the id. Tool names are checked by the caller (`checkToolNames`) before.
 */
export async function createAgent(
  deps: { db: Database; clock: Clock },
  actor: AgentActor,
  input: CreateAgentRequest,
): Promise<ResolvedAgent> {
  const idTaken = () => new AppError('agent.id_taken', 409, `An agent called ${input.id} exists already.`);
  if (isBuiltInAgent(input.id)) throw idTaken();
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(agents)
      .values({ ...input, updatedBy: actor.userId, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: agents.id })
      .returning();
    if (!row) throw idTaken();
    const agent = fromRow(row);
    await recordAudit(tx, {
      at: now,
      actorId: actor.userId,
      action: 'agent.created',
      target: `agent:${agent.id}`,
      detail: auditDetail(agent),
      requestId: actor.requestId,
    });
    return agent;
  });
}

/**
 * Changes an agent (audited `agent.updated` with the fields changed). A built-in's first change
 * stores an override row holding the shipped values plus the change. 404 `agent.not_found`.
 */
export async function updateAgent(
  deps: { db: Database; clock: Clock },
  actor: AgentActor,
  id: string,
  patch: UpdateAgentRequest,
): Promise<ResolvedAgent> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(agents).where(eq(agents.id, id)).for('update');
    const current = locked
      ? fromRow(locked)
      : isBuiltInAgent(id)
        ? builtIn(id as (typeof builtInAgentIds)[number])
        : null;
    if (!current) throw agentNotFound();
    const values = {
      name: patch.name ?? current.name,
      description: patch.description ?? current.description,
      systemPrompt: patch.systemPrompt ?? current.systemPrompt,
      tools: patch.tools === undefined ? current.tools : patch.tools,
      model: patch.model === undefined ? current.model : patch.model,
      audience: patch.audience === undefined ? current.audience : patch.audience,
      updatedBy: actor.userId,
      updatedAt: now,
    };
    const [row] = locked
      ? await tx.update(agents).set(values).where(eq(agents.id, id)).returning()
      : await tx
          .insert(agents)
          .values({ id, ...values, createdAt: now })
          .returning();
    const agent = fromRow(row!);
    await recordAudit(tx, {
      at: now,
      actorId: actor.userId,
      action: 'agent.updated',
      target: `agent:${id}`,
      detail: { changed: Object.keys(patch).sort(), ...auditDetail(agent) },
      requestId: actor.requestId,
    });
    return agent;
  });
}

/**
 * Deletes a custom agent (audited `agent.deleted` with how many chats moved). Its chats go back to
 * the default agent (each owner gets `chat.updated`); answers it wrote keep its id (usage per agent).
 * 409 `agent.built_in` for a built-in, 404 `agent.not_found`.
 */
export async function deleteAgent(deps: EventDeps, actor: AgentActor, id: string): Promise<void> {
  if (isBuiltInAgent(id)) {
    throw new AppError('agent.built_in', 409, 'Built-in agents can be changed but not deleted.');
  }
  await withEvents(deps, async (tx, emit) => {
    const [gone] = await tx.delete(agents).where(eq(agents.id, id)).returning();
    if (!gone) throw agentNotFound();
    const now = deps.clock.now();
    const moved = await tx.update(chats).set({ agentId: defaultAgentId }).where(eq(chats.agentId, id)).returning();
    for (const chat of moved) await emit.toUser(chat.userId, { type: 'chat.updated', chat: toChatView(chat) });
    await recordAudit(tx, {
      at: now,
      actorId: actor.userId,
      action: 'agent.deleted',
      target: `agent:${id}`,
      detail: { name: gone.name, chatsMoved: moved.length },
      requestId: actor.requestId,
    });
  });
}

import {
  type CreateHttpToolRequest,
  createHttpToolRequestSchema,
  type HttpTool,
  toolAuditTarget,
  type UpdateHttpToolRequest,
} from '@atrium/contracts';
import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/index.js';
import { type HttpToolRow, httpTools } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { inputSchemaOf } from './http-tool.js';
import { checkOutboundUrl, type OutboundPolicy } from './outbound-guard.js';

/** What changing HTTP tools needs: the database, the time, the guard's policy and the names built-ins hold. */
export interface HttpToolStoreDeps {
  db: Database;
  clock: Clock;
  policy: OutboundPolicy;
  builtinNames: ReadonlySet<string>;
}

/** Who changes them (an admin, `tools:manage`), for the audit log. */
export interface HttpToolActor {
  userId: string;
  requestId: string | null;
}

export const toHttpToolView = (row: HttpToolRow): HttpTool => ({
  id: row.id,
  name: row.name,
  description: row.description,
  method: row.method,
  url: row.url,
  inputSchema: row.inputSchema,
  risk: row.risk,
  roles: row.roles,
  timeoutMs: row.timeoutMs,
  enabled: row.enabled,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const notFound = () => new AppError('tool.not_found', 404, 'No such HTTP tool.');
const nameTaken = () =>
  new AppError('tool.name_taken', 409, 'A tool with this name exists already.', [{ path: 'name', message: 'taken' }]);

/** Checks what a saved tool must satisfy: a readable input schema and a URL the guard lets through. */
async function checkSavable(deps: HttpToolStoreDeps, tool: { url: string; inputSchema: Record<string, unknown> }) {
  inputSchemaOf(tool.inputSchema);
  await checkOutboundUrl(tool.url, deps.policy);
}

/** Every HTTP tool, by name. */
export async function listHttpTools(db: Database): Promise<HttpTool[]> {
  return (await db.select().from(httpTools).orderBy(asc(httpTools.name))).map(toHttpToolView);
}

/**
 * Saves a new HTTP tool (audited `http_tool.created`). Errors: 409 `tool.name_taken` (a built-in
 * or HTTP tool has the name), 400 `tool.invalid_schema`, 400 `tool.url_not_allowed` (host off
 * ATRIUM_HTTP_TOOL_ALLOW_HOSTS or resolving to a non-public address).
 */
export async function createHttpTool(
  deps: HttpToolStoreDeps,
  actor: HttpToolActor,
  request: CreateHttpToolRequest,
): Promise<HttpTool> {
  const input = createHttpToolRequestSchema.parse(request);
  if (deps.builtinNames.has(input.name)) throw nameTaken();
  await checkSavable(deps, input);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(httpTools)
      .values({ ...input, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: httpTools.name })
      .returning();
    if (!row) throw nameTaken();
    await recordAudit(tx, {
      at: now,
      actorId: actor.userId,
      action: 'http_tool.created',
      target: toolAuditTarget(row.name),
      detail: { method: row.method, url: row.url, risk: row.risk, roles: row.roles },
      requestId: actor.requestId,
    });
    return toHttpToolView(row);
  });
}

/** Changes an HTTP tool (audited `http_tool.updated`); the same checks as creating; 404 `tool.not_found`. */
export async function updateHttpTool(
  deps: HttpToolStoreDeps,
  actor: HttpToolActor,
  id: string,
  patch: UpdateHttpToolRequest,
): Promise<HttpTool> {
  return deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(httpTools).where(eq(httpTools.id, id)).for('update');
    if (!current) throw notFound();
    const next = { ...current, ...patch };
    if (patch.url !== undefined || patch.inputSchema !== undefined) await checkSavable(deps, next);
    const now = deps.clock.now();
    const [row] = await tx
      .update(httpTools)
      .set({ ...patch, updatedAt: now })
      .where(eq(httpTools.id, id))
      .returning();
    await recordAudit(tx, {
      at: now,
      actorId: actor.userId,
      action: 'http_tool.updated',
      target: toolAuditTarget(current.name),
      detail: { changed: Object.keys(patch) },
      requestId: actor.requestId,
    });
    return toHttpToolView(row!);
  });
}

/** Removes an HTTP tool (audited `http_tool.deleted`); 404 `tool.not_found`. Its call statistics stay. */
export async function deleteHttpTool(deps: HttpToolStoreDeps, actor: HttpToolActor, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.delete(httpTools).where(eq(httpTools.id, id)).returning();
    if (!row) throw notFound();
    await recordAudit(tx, {
      at: deps.clock.now(),
      actorId: actor.userId,
      action: 'http_tool.deleted',
      target: toolAuditTarget(row.name),
      requestId: actor.requestId,
    });
  });
}

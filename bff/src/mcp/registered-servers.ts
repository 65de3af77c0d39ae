import type { createMcpServerRequestSchema, McpServer, updateMcpServerRequestSchema } from '@atrium/contracts';
import { desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../db/index.js';
import { type McpServerRow, mcpServers } from '../db/schema/index.js';
import { AppError } from '../errors.js';

export function toMcpServer(row: McpServerRow): McpServer {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    hasToken: row.bearerToken !== null,
    enabled: row.enabled,
    defaultRisk: row.defaultRisk,
    riskOverrides: row.riskOverrides,
    roles: row.roles,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listMcpServers(db: Database): Promise<McpServerRow[]> {
  return db.select().from(mcpServers).orderBy(desc(mcpServers.createdAt));
}

/** Registers a server; a taken name is `mcp.server_name_taken` (409). */
export async function createMcpServer(
  db: Database,
  input: z.output<typeof createMcpServerRequestSchema>,
  by: string,
  now: Date,
): Promise<McpServerRow> {
  const [row] = await db
    .insert(mcpServers)
    .values({ ...input, createdBy: by, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: mcpServers.name })
    .returning();
  if (!row) throw new AppError('mcp.server_name_taken', 409, 'An MCP server with this name exists.');
  return row;
}

/** The server as stored, locked for the caller's transaction; null when there is none. */
export async function findMcpServer(db: Database, id: string): Promise<McpServerRow | null> {
  const [row] = await db.select().from(mcpServers).where(eq(mcpServers.id, id)).for('update');
  return row ?? null;
}

/** Changes the given fields; an unknown id is `mcp.server_not_found` (404). */
export async function updateMcpServer(
  db: Database,
  id: string,
  input: z.output<typeof updateMcpServerRequestSchema>,
  now: Date,
): Promise<McpServerRow> {
  const [row] = await db
    .update(mcpServers)
    .set({ ...input, updatedAt: now })
    .where(eq(mcpServers.id, id))
    .returning();
  if (!row) throw new AppError('mcp.server_not_found', 404, 'No such MCP server.');
  return row;
}

export async function deleteMcpServer(db: Database, id: string): Promise<McpServerRow> {
  const [row] = await db.delete(mcpServers).where(eq(mcpServers.id, id)).returning();
  if (!row) throw new AppError('mcp.server_not_found', 404, 'No such MCP server.');
  return row;
}

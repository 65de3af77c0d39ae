import { z } from 'zod';
import type { Database } from '../db/index.js';
import { type HttpToolRow, httpTools } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { defineTool } from './define-tool.js';
import { guardedRequest, type OutboundPolicy } from './outbound-guard.js';
import type { AnyTool, ToolSource } from './tool.js';

/** What an HTTP tool returns to the model: the status and the body (JSON when the service sent JSON). */
const httpOutput = z.object({ status: z.number().int(), body: z.unknown() });

/** Characters of a response body shown in the step summary. */
const summaryBodyChars = 160;

/**
 * The input schema an admin typed, as zod (zod 4 `z.fromJSONSchema`). Throws 400
 * `tool.invalid_schema` when zod cannot read it, so a tool is never saved that could not validate.
 */
export function inputSchemaOf(jsonSchema: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new AppError('tool.invalid_schema', 400, 'The input schema is not a JSON Schema we can use.', [
      { path: 'inputSchema', message: error instanceof Error ? error.message : 'unreadable' },
    ]);
  }
}

/**
 * An admin-configured HTTP tool as a `ToolDefinition` (issue 10). Arguments go as a JSON body
 * (POST, PUT, PATCH) or as query parameters (GET, DELETE; objects JSON-encoded). The URL and
 * every redirect pass the outbound guard with `policy`; an approved draft's id is sent as
 * `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header) so the service can drop a
 * repeat. Not transactional: it runs at most once. A non-2xx answer fails as `tool.failed`.
 */
export function httpToolFromRow(row: HttpToolRow, policy: OutboundPolicy): AnyTool {
  const method = row.method;
  const idempotent = method === 'GET';
  return defineTool({
    name: row.name,
    description: row.description,
    kind: 'http',
    input: inputSchemaOf(row.inputSchema),
    output: httpOutput,
    risk: row.risk,
    timeoutMs: row.timeoutMs,
    idempotent,
    maxRetries: idempotent ? 1 : 0,
    roles: row.roles,
    enabled: row.enabled,
    describe: (input) => `${method} ${row.url} with ${JSON.stringify(input).slice(0, 200)}`,
    summarize: (output) => {
      const body = typeof output.body === 'string' ? output.body : JSON.stringify(output.body);
      return `HTTP ${output.status}: ${(body ?? '').slice(0, summaryBodyChars)}`;
    },
    run: async (input, { signal, idempotencyKey }) => {
      const url = new URL(row.url);
      const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      if (!hasBody && input && typeof input === 'object') {
        for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
          if (value !== undefined) url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
        }
      }
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Atrium-HTTP-tool' };
      if (hasBody) headers['content-type'] = 'application/json';
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      const response = await guardedRequest(
        url.toString(),
        { method, headers, body: hasBody ? JSON.stringify(input ?? {}) : null, signal },
        policy,
      );
      if (response.status < 200 || response.status >= 300) {
        throw new AppError('tool.failed', 502, `The service answered HTTP ${response.status}.`);
      }
      return { status: response.status, body: parseBody(response.body, response.contentType) };
    },
  });
}

function parseBody(body: string, contentType: string | null): unknown {
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}

/**
 * The HTTP tools from the database, enabled or not, read on every call so an admin's change
 * applies to the next tool call. A row whose schema no longer reads is left out (it was checked
 * when saved; a zod upgrade could still reject it).
 */
export function httpToolSource(db: Database, policy: () => OutboundPolicy): ToolSource {
  return {
    async tools() {
      const rows = await db.select().from(httpTools);
      return rows.flatMap((row) => {
        try {
          return [httpToolFromRow(row, policy())];
        } catch {
          return [];
        }
      });
    },
  };
}

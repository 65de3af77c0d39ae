import { z } from 'zod';
import { roleSchema } from './roles.js';
import { toolRiskSchema } from './tools.js';

/**
 * An external MCP server an admin registered (issue 10, item 6): its tools enter the registry as
 * `<name>__<tool>`, with the risk the admin assigned (default `low`: one approval before it runs).
 */
export const mcpServerNameSchema = z
  .string()
  .max(24)
  // No `__` and no trailing `_`: the first `__` of `<server>__<tool>` always ends the server's name,
  // so two servers can never give the same tool name.
  .regex(
    /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/,
    'lower_snake_case without a double or trailing underscore, at most 24 characters',
  );

export const mcpServerSchema = z.object({
  id: z.uuid(),
  name: mcpServerNameSchema,
  url: z.string(),
  /** Whether a bearer token is stored for it (the token itself is never returned). */
  hasToken: z.boolean(),
  enabled: z.boolean(),
  defaultRisk: toolRiskSchema,
  /** Per tool (its name on that server): a risk other than `defaultRisk`. */
  riskOverrides: z.record(z.string(), toolRiskSchema),
  /** Roles that may call (or propose) its tools. */
  roles: z.array(roleSchema).min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type McpServer = z.infer<typeof mcpServerSchema>;

const url = z.url({ protocol: /^https?$/ }).max(2000);

export const createMcpServerRequestSchema = z.object({
  name: mcpServerNameSchema,
  url,
  bearerToken: z.string().min(1).max(4000).nullable().default(null),
  enabled: z.boolean().default(true),
  defaultRisk: toolRiskSchema.default('low'),
  riskOverrides: z.record(z.string().max(128), toolRiskSchema).default({}),
  roles: z.array(roleSchema).min(1).default(['agent_l1', 'agent_l2', 'approver', 'admin']),
});
export type CreateMcpServerRequest = z.input<typeof createMcpServerRequestSchema>;

/** Fields left out stay as they are; `bearerToken: null` removes the stored token. */
export const updateMcpServerRequestSchema = z
  .object({
    url,
    bearerToken: z.string().min(1).max(4000).nullable(),
    enabled: z.boolean(),
    defaultRisk: toolRiskSchema,
    riskOverrides: z.record(z.string().max(128), toolRiskSchema),
    roles: z.array(roleSchema).min(1),
  })
  .partial();

export const mcpServerListResponseSchema = z.object({ servers: z.array(mcpServerSchema) });
export const mcpServerResponseSchema = z.object({ server: mcpServerSchema });

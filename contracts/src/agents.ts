import { z } from 'zod';
import { documentAudienceSchema } from './documents.js';
import { singleLineNameSchema } from './text.js';

/**
 * Agent profiles (issue 11). An agent is a system prompt, the tools it may offer the model,
 * the model it uses and the knowledge-base audience it searches. Three are built in
 * (`support`, the default, plus `billing` and `technical`); admins define more.
 * Using any agent but the default needs the `multi_agent` entitlement (402 `entitlement.required`).
 * The default's id and the built-in ids are plain values in ./values.ts.
 */

/** Lower-case slug, 2–40 characters: letters, digits, `-`; the id in URLs and on chats. */
export const agentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/, 'a slug: a–z, 0–9 and -, 2–40 characters');

export const agentSchema = z.object({
  id: agentIdSchema,
  name: z.string(),
  description: z.string(),
  builtIn: z.boolean(),
  /** True for every agent but the default: choosing it needs `multi_agent`. */
  paid: z.boolean(),
  /** Tool names the agent may offer the model; null = every tool the asker may use. */
  tools: z.array(z.string()).nullable(),
  /** The model name sent to the OpenAI-compatible server; null = the server default (OPENAI_MODEL). */
  model: z.string().nullable(),
  /**
   * The widest knowledge-base audience its retrieval reads; still narrowed by the asker's own
   * access (an agent never shows a user more than the user may read). Null = the asker's access.
   */
  audience: documentAudienceSchema.nullable(),
  /** Only for callers with `agents:manage`; null for everyone else. */
  systemPrompt: z.string().nullable(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof agentSchema>;

export const agentListResponseSchema = z.object({
  agents: z.array(agentSchema),
  /** Whether the caller may choose agents other than the default (`multi_agent`). */
  canChoose: z.boolean(),
});
export type AgentListResponse = z.infer<typeof agentListResponseSchema>;
export const agentResponseSchema = z.object({ agent: agentSchema });

export const agentSystemPromptMaxChars = 8_000;
const agentFields = {
  name: singleLineNameSchema(80),
  /** One line, like the name; may be empty. */
  description: z.union([z.literal(''), singleLineNameSchema(300)]),
  systemPrompt: z.string().trim().min(1).max(agentSystemPromptMaxChars),
  tools: z.array(z.string().min(1).max(100)).max(100).nullable(),
  /** A model name as OpenAI-compatible servers spell them (`gpt-4o-mini`, `org/model:tag`); it is also a metric label. */
  model: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,99}$/, 'a model name: letters, digits and . _ : / @ + -')
    .nullable(),
  audience: documentAudienceSchema.nullable(),
};
export const createAgentRequestSchema = z.object({
  id: agentIdSchema,
  ...agentFields,
  description: agentFields.description.default(''),
  tools: agentFields.tools.default(null),
  model: agentFields.model.default(null),
  audience: agentFields.audience.default(null),
});
export type CreateAgentRequest = z.infer<typeof createAgentRequestSchema>;
/** `PATCH /api/agents/:id`: only the fields sent change (no defaults, so an omitted field is kept). */
export const updateAgentRequestSchema = z
  .object(agentFields)
  .partial()
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'nothing to change');
export const agentIdParamSchema = z.object({ id: agentIdSchema });

import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { AppEnv } from './env.js';

/**
 * Answers with a body checked against its contracts schema: a handler that drifts from the
 * contract fails loudly here instead of surprising a client.
 */
export function respond<S extends z.ZodType, E extends AppEnv>(
  c: Context<E>,
  schema: S,
  body: z.input<S>,
  status: ContentfulStatusCode = 200,
): Response {
  return c.json(schema.parse(body), status);
}

import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import type { AppEnv } from '../env.js';
import { AppError, issuesOf } from '../errors.js';
import { assertStorableJson } from './storable-text.js';

type Target = 'json' | 'query' | 'param';

async function read(c: Context<AppEnv>, target: Target): Promise<unknown> {
  if (target === 'query') return c.req.query();
  if (target === 'param') return c.req.param();
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('request.invalid', 400, 'The request body is not valid JSON.');
  }
  // Before the schema: `\u0000` or `\ud800` must be refused as text, not as a wrong shape.
  assertStorableJson(body, 'body');
  return body;
}

/**
 * Parses one part of the request with a contracts schema; handlers read it typed via
 * `c.req.valid(target)`. 400 `request.invalid` for a wrong shape or unparsable JSON, 400
 * `request.invalid_text` for a JSON string holding U+0000 or an unpaired surrogate (the path and
 * query are checked by `storableText()` for every route).
 */
export const validate = <T extends Target, S extends z.ZodType<object>>(target: T, schema: S) =>
  createMiddleware<AppEnv, string, { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }>(
    async (c, next) => {
      const result = schema.safeParse(await read(c, target));
      if (!result.success) {
        throw new AppError('request.invalid', 400, 'The request is invalid.', issuesOf(result.error));
      }
      c.req.addValidatedData(target, result.data);
      await next();
    },
  );

import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import type { AppEnv } from '../env.js';
import { AppError, issuesOf } from '../errors.js';

type Target = 'json' | 'query' | 'param';

async function read(c: Context<AppEnv>, target: Target): Promise<unknown> {
  if (target === 'query') return c.req.query();
  if (target === 'param') return c.req.param();
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('request.invalid', 400, 'The request body is not valid JSON.');
  }
}

/** Parses one part of the request with a contracts schema; handlers read it typed via `c.req.valid(target)`. */
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

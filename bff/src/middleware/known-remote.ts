import { remoteNameSchema } from '@atrium/contracts';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';

/** `:name` must be one of the remotes: an unknown one is a 404, like an unknown version. */
export const knownRemote = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const name = c.req.param('name');
    if (name !== undefined && !remoteNameSchema.safeParse(name).success) {
      throw new AppError('registry.not_found', 404, `There is no remote named ${name}.`);
    }
    await next();
  });

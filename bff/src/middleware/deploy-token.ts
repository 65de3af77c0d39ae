import { type RemoteName, remoteNameSchema, roleHas } from '@atrium/contracts';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import type { Actor } from '../registry/actor.js';
import { authenticateDeployToken } from '../registry/deploy-tokens.js';

export interface PublisherEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { publisher: Actor };
}

function bearerOf(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

export function hasBearer(header: string | undefined): boolean {
  return /^Bearer\s/i.test(header ?? '');
}

/**
 * Who may publish: a deploy token for this very remote (the `:name` param, when the route has
 * one), or a signed-in user holding `releases:write`.
 */
export const publisher = () =>
  createMiddleware<PublisherEnv>(async (c, next) => {
    const secret = bearerOf(c.req.header('authorization'));
    if (secret) {
      const { db, clock } = c.get('deps');
      const token = await authenticateDeployToken(db, secret, clock.now());
      if (!token) throw new AppError('registry.token_invalid', 401, 'This deploy token is unknown or revoked.');
      const remote = c.req.param('name') as RemoteName | undefined;
      if (remote !== undefined && remoteNameSchema.safeParse(remote).success && remote !== token.remote) {
        throw new AppError(
          'registry.token_scope',
          403,
          `This deploy token publishes ${token.remote} only, not ${remote}.`,
        );
      }
      c.set('publisher', { kind: 'token', token });
      return next();
    }
    const user = c.get('user');
    if (!user) throw new AppError('auth.required', 401, 'Sign in or send a deploy token to publish.');
    if (!roleHas(user.role, 'releases:write'))
      throw new AppError('auth.forbidden', 403, 'You do not have access to this.');
    c.set('publisher', { kind: 'user', user });
    await next();
  });

/** Deploy tokens can publish and nothing else. */
export const noDeployTokens = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (hasBearer(c.req.header('authorization'))) {
      throw new AppError('auth.forbidden', 403, 'Deploy tokens can only publish; sign in for release operations.');
    }
    await next();
  });

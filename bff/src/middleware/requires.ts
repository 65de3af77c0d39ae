import { type Permission, roleHas } from '@atrium/contracts';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';

/** Declares at the route what a caller must hold; the permission table lives in contracts. */
export const requires = (permission: Permission) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (!user) throw new AppError('auth.required', 401, 'Sign in to continue.');
    if (!roleHas(user.role, permission)) throw new AppError('auth.forbidden', 403, 'You do not have access to this.');
    await next();
  });

export const signedIn = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.get('user')) throw new AppError('auth.required', 401, 'Sign in to continue.');
    await next();
  });

import {
  featureFlagListResponseSchema,
  featureFlagResponseSchema,
  flagKeySchema,
  roleHas,
  toggleFeatureFlagRequestSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { requires, signedIn } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';

const flagParam = z.object({ flag: flagKeySchema });

/**
 * Feature flags (issue 11 item 3). `GET /api/feature-flags` (signed in): `snapshot`, the flags
 * evaluated for the caller; `flags`, every definition with its targeting, only for `flags:manage`
 * (targeting names users), `[]` otherwise. `POST /api/feature-flags/:flag/toggle` (`flags:manage`):
 * `{ enabled, targeting?, reason }` → `{ flag }`, audited and pushed live (`flags.updated`).
 * Errors: 404 `flag.not_found`, 400 `request.invalid` (bad key, targeting, unknown user, no reason).
 */
export const featureFlagRoutes = new Hono<AppEnv>()
  .get('/api/feature-flags', signedIn(), async (c) => {
    const { flags } = c.get('deps');
    const user = c.get('user')!;
    const [snapshot, definitions] = await Promise.all([
      flags.snapshotFor(user),
      roleHas(user.role, 'flags:manage') ? flags.list(user) : [],
    ]);
    return respond(c, featureFlagListResponseSchema, { flags: definitions, snapshot });
  })
  .post(
    '/api/feature-flags/:flag/toggle',
    requires('flags:manage'),
    validate('param', flagParam),
    validate('json', toggleFeatureFlagRequestSchema),
    async (c) => {
      const user = c.get('user')!;
      const flag = await c
        .get('deps')
        .flags.toggle(
          { userId: user.id, requestId: c.get('requestId') },
          user,
          c.req.valid('param').flag,
          c.req.valid('json'),
        );
      return respond(c, featureFlagResponseSchema, { flag });
    },
  );

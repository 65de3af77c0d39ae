import {
  canaryRequestSchema,
  promoteRequestSchema,
  registryOverviewSchema,
  releaseHistoryResponseSchema,
  releaseResponseSchema,
  remoteNameSchema,
  remoteNames,
  remoteStatusSchema,
  remoteVersionSchema,
  rollbackRequestSchema,
  yankRequestSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { noDeployTokens } from '../middleware/deploy-token.js';
import { knownRemote } from '../middleware/known-remote.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import type { Actor } from '../registry/actor.js';
import { listHistory, toHistoryEntry } from '../registry/history.js';
import { promote, rollback, setCanary, yank } from '../registry/releases.js';
import { remoteStatuses } from '../registry/remote-status.js';
import { findVersion, toRemoteVersion } from '../registry/versions.js';
import { respond } from '../respond.js';

const remoteParam = z.object({ name: remoteNameSchema });
const versionParam = z.object({ name: remoteNameSchema, version: z.string() });
const historyQuery = z.object({
  /** Opaque: the `id` of the oldest entry already shown; decoded by `listHistory`. */
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const userActor = (user: AppEnv['Variables']['user']): Actor => ({ kind: 'user', user: user! });

export const registryReleaseRoutes = new Hono<AppEnv>()
  .use('/api/registry/remotes', noDeployTokens(), requires('releases:read'))
  .use('/api/registry/remotes/:name', noDeployTokens(), knownRemote(), requires('releases:read'))
  .use('/api/registry/remotes/:name/*', knownRemote())
  .get('/api/registry/remotes', async (c) => {
    const { registry } = c.get('deps');
    const remotes = await remoteStatuses(registry, remoteNames);
    return respond(c, registryOverviewSchema, { remotes });
  })
  .get('/api/registry/remotes/:name', validate('param', remoteParam), async (c) => {
    const [status] = await remoteStatuses(c.get('deps').registry, [c.req.valid('param').name]);
    return respond(c, remoteStatusSchema, status!);
  })
  .get(
    '/api/registry/remotes/:name/history',
    noDeployTokens(),
    requires('releases:read'),
    validate('param', remoteParam),
    validate('query', historyQuery),
    async (c) => {
      const rows = await listHistory(c.get('deps').db, c.req.valid('param').name, c.req.valid('query'));
      return respond(c, releaseHistoryResponseSchema, { entries: rows.map(toHistoryEntry) });
    },
  )
  .get(
    '/api/registry/remotes/:name/versions/:version',
    noDeployTokens(),
    requires('releases:read'),
    validate('param', versionParam),
    async (c) => {
      const { name, version } = c.req.valid('param');
      return respond(c, remoteVersionSchema, toRemoteVersion(await findVersion(c.get('deps').db, name, version)));
    },
  )
  .post(
    '/api/registry/remotes/:name/promote',
    noDeployTokens(),
    requires('releases:write'),
    validate('param', remoteParam),
    validate('json', promoteRequestSchema),
    async (c) => {
      const { registry } = c.get('deps');
      const input = c.req.valid('json');
      const name = c.req.valid('param').name;
      const { release } = await promote(registry, userActor(c.get('user')), name, input, c.get('requestId'));
      return respond(c, releaseResponseSchema, { release });
    },
  )
  .put(
    '/api/registry/remotes/:name/canary',
    noDeployTokens(),
    requires('releases:write'),
    validate('param', remoteParam),
    validate('json', canaryRequestSchema),
    async (c) => {
      const { registry } = c.get('deps');
      const input = c.req.valid('json');
      const name = c.req.valid('param').name;
      const { release } = await setCanary(registry, userActor(c.get('user')), name, input, c.get('requestId'));
      return respond(c, releaseResponseSchema, { release });
    },
  )
  .post(
    '/api/registry/remotes/:name/rollback',
    noDeployTokens(),
    requires('releases:write'),
    validate('param', remoteParam),
    validate('json', rollbackRequestSchema),
    async (c) => {
      const { registry } = c.get('deps');
      const input = c.req.valid('json');
      const name = c.req.valid('param').name;
      const { release } = await rollback(registry, userActor(c.get('user')), name, input, c.get('requestId'));
      return respond(c, releaseResponseSchema, { release });
    },
  )
  .post(
    '/api/registry/remotes/:name/versions/:version/yank',
    noDeployTokens(),
    requires('releases:write'),
    validate('param', versionParam),
    validate('json', yankRequestSchema),
    async (c) => {
      const { registry } = c.get('deps');
      const { name, version } = c.req.valid('param');
      const input = { version, reason: c.req.valid('json').reason };
      const { release } = await yank(registry, userActor(c.get('user')), name, input, c.get('requestId'));
      return respond(c, releaseResponseSchema, { release });
    },
  );

import {
  createDeployTokenRequestSchema,
  createDeployTokenResponseSchema,
  deployTokenListResponseSchema,
  deployTokenSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.js';
import type { AppEnv } from '../env.js';
import { noDeployTokens } from '../middleware/deploy-token.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { createDeployToken, listDeployTokens, revokeDeployToken, toDeployToken } from '../registry/deploy-tokens.js';
import { respond } from '../respond.js';

export const registryTokenRoutes = new Hono<AppEnv>()
  .use('/api/registry/tokens', noDeployTokens(), requires('deploy_tokens:manage'))
  .use('/api/registry/tokens/*', noDeployTokens(), requires('deploy_tokens:manage'))
  .get('/api/registry/tokens', async (c) => {
    const rows = await listDeployTokens(c.get('deps').db);
    return respond(c, deployTokenListResponseSchema, { tokens: rows.map(toDeployToken) });
  })
  .post('/api/registry/tokens', validate('json', createDeployTokenRequestSchema), async (c) => {
    const { db, clock } = c.get('deps');
    const user = c.get('user')!;
    const { row, secret } = await createDeployToken(db, {
      ...c.req.valid('json'),
      createdBy: user.id,
      now: clock.now(),
    });
    await recordAudit(db, {
      at: row.createdAt,
      actorId: user.id,
      action: 'registry.token_created',
      target: `deploy_token:${row.id}`,
      detail: { remote: row.remote, name: row.name },
      requestId: c.get('requestId'),
    });
    return respond(c, createDeployTokenResponseSchema, { token: toDeployToken(row), secret }, 201);
  })
  .delete('/api/registry/tokens/:id', validate('param', z.object({ id: z.uuid() })), async (c) => {
    const { db, clock } = c.get('deps');
    const row = await revokeDeployToken(db, c.req.valid('param').id, clock.now());
    await recordAudit(db, {
      at: clock.now(),
      actorId: c.get('user')!.id,
      action: 'registry.token_revoked',
      target: `deploy_token:${row.id}`,
      detail: { remote: row.remote, name: row.name },
      requestId: c.get('requestId'),
    });
    return respond(c, z.object({ token: deployTokenSchema }), { token: toDeployToken(row) });
  });

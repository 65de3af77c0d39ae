import {
  createSigningKeyRequestSchema,
  remoteNameSchema,
  revokeSigningKeyRequestSchema,
  signingKeyIdSchema,
  signingKeyListResponseSchema,
  signingKeyResponseSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { noDeployTokens } from '../middleware/deploy-token.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { addSigningKey, listSigningKeys, revokeSigningKey, toSigningKey } from '../registry/signing-keys.js';
import { respond } from '../respond.js';

const remoteParam = z.object({ name: remoteNameSchema });
const keyParam = z.object({ name: remoteNameSchema, keyId: signingKeyIdSchema });
const keysPath = '/api/registry/remotes/:name/signing-keys';

/**
 * A remote's release-signing public keys (issue 11): list, register, revoke. People only (not
 * deploy tokens), with `signing_keys:manage`; registering and revoking are audited.
 */
export const registrySigningKeyRoutes = new Hono<AppEnv>()
  .use(keysPath, noDeployTokens(), requires('signing_keys:manage'))
  .use(`${keysPath}/*`, noDeployTokens(), requires('signing_keys:manage'))
  .get(keysPath, validate('param', remoteParam), async (c) => {
    const rows = await listSigningKeys(c.get('deps').db, c.req.valid('param').name);
    return respond(c, signingKeyListResponseSchema, { keys: rows.map(toSigningKey) });
  })
  .post(keysPath, validate('param', remoteParam), validate('json', createSigningKeyRequestSchema), async (c) => {
    const { db, clock } = c.get('deps');
    const row = await addSigningKey(db, {
      remote: c.req.valid('param').name,
      ...c.req.valid('json'),
      userId: c.get('user')!.id,
      now: clock.now(),
      requestId: c.get('requestId'),
    });
    return respond(c, signingKeyResponseSchema, { key: toSigningKey(row) }, 201);
  })
  .post(
    `${keysPath}/:keyId/revoke`,
    validate('param', keyParam),
    validate('json', revokeSigningKeyRequestSchema),
    async (c) => {
      const { db, clock } = c.get('deps');
      const { name, keyId } = c.req.valid('param');
      const row = await revokeSigningKey(db, {
        remote: name,
        keyId,
        reason: c.req.valid('json').reason,
        userId: c.get('user')!.id,
        now: clock.now(),
        requestId: c.get('requestId'),
      });
      return respond(c, signingKeyResponseSchema, { key: toSigningKey(row) });
    },
  );

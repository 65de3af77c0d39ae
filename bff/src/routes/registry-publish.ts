import {
  publishCommitRequestSchema,
  publishRequestSchema,
  publishResponseSchema,
  publishStartResponseSchema,
  remoteNameSchema,
  sha384HexSchema,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { type PublisherEnv, publisher } from '../middleware/deploy-token.js';
import { knownRemote } from '../middleware/known-remote.js';
import { validate } from '../middleware/validate.js';
import { maxArtifactBytes } from '../registry/artifacts.js';
import { commitPublish, entryUrlOf, startPublish, toRemoteVersion } from '../registry/versions.js';
import { respond } from '../respond.js';

/** Registry routes set their own body limits: a file list or a blob outgrows the API default. */
export const registryPathPrefix = '/api/registry/';
export const blobPathPrefix = '/api/registry/blobs/';

const tooLarge = (limit: string) => () => {
  throw new AppError('request.too_large', 413, `The request body is larger than ${limit}.`);
};
const remoteParamSchema = z.object({ name: remoteNameSchema });

export const registryPublishRoutes = new Hono<PublisherEnv>()
  .use(`${registryPathPrefix}remotes/*`, bodyLimit({ maxSize: 1024 * 1024, onError: tooLarge('1 MB') }))
  .post(
    '/api/registry/remotes/:name/publish',
    knownRemote(),
    validate('param', remoteParamSchema),
    publisher(),
    validate('json', publishRequestSchema),
    async (c) => {
      const { name } = c.req.valid('param');
      const started = await startPublish(c.get('deps').registry, c.get('publisher'), name, c.req.valid('json'));
      return respond(c, publishStartResponseSchema, started);
    },
  )
  .post(
    '/api/registry/remotes/:name/publish/commit',
    knownRemote(),
    validate('param', remoteParamSchema),
    publisher(),
    validate('json', publishCommitRequestSchema),
    async (c) => {
      const { name } = c.req.valid('param');
      const row = await commitPublish(
        c.get('deps').registry,
        c.get('publisher'),
        name,
        c.req.valid('json').uploadId,
        c.get('requestId'),
      );
      return respond(c, publishResponseSchema, { version: toRemoteVersion(row), entryUrl: entryUrlOf(row) }, 201);
    },
  )
  .put(
    `${blobPathPrefix}:sha384`,
    bodyLimit({ maxSize: maxArtifactBytes, onError: tooLarge('20 MB') }),
    validate('param', z.object({ sha384: sha384HexSchema })),
    publisher(),
    async (c) => {
      if (!c.req.header('content-type')?.toLowerCase().startsWith('application/octet-stream')) {
        throw new AppError('request.unsupported_media_type', 415, 'Send the blob as application/octet-stream.');
      }
      const { registry } = c.get('deps');
      const body = new Uint8Array(await c.req.arrayBuffer());
      await registry.artifacts.put(c.req.valid('param').sha384, body, registry.clock.now());
      return c.body(null, 204);
    },
  );

import {
  changeAudienceRequestSchema,
  documentIdSchema,
  documentResponseSchema,
  flagKeys,
  listDocumentsQuerySchema,
  listDocumentsResponseSchema,
  okResponseSchema,
  passageResponseSchema,
  uploadDocumentQuerySchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { listDocuments } from '../documents/repository.js';
import {
  type Actor,
  assertMayPublish,
  cancelDocument,
  changeAudience,
  createDocument,
  deleteDocument,
  documentDeps,
  readDocument,
  readPassage,
  reindexDocument,
  retryDocument,
} from '../documents/service.js';
import { displayFilename, displayText, receiveUpload, titleFromFilename } from '../documents/upload.js';
import { toDocumentView } from '../documents/views.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { requires } from '../middleware/requires.js';
import { requiresFlag } from '../middleware/requires-flag.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';

/** `POST` here takes the raw file: app.ts lets it past the JSON body limit and the CSRF middleware's JSON-only rule. */
export const uploadPath = '/api/documents';

const documentParamSchema = z.object({ id: documentIdSchema });
const passageParamSchema = z.object({ id: documentIdSchema, chunkId: z.uuid() });

const actorOf = (c: Context<AppEnv>): Actor => {
  const user = c.get('user')!;
  return { userId: user.id, role: user.role, requestId: c.get('requestId') };
};

/**
 * The knowledge base's documents (issue 9; contracts/src/documents.ts). Reading follows the
 * access rule (documents/access.ts); another user's private document is 404
 * `document.not_found` on every route. Commands: the owner, or an admin on a shared document.
 * Uploading is behind the `uploads` feature flag (403 `flag.off`).
 */
export const documentRoutes = new Hono<AppEnv>()
  .use('/api/documents', requires('uploads:use'))
  .use('/api/documents/*', requires('uploads:use'))
  .get('/api/documents', validate('query', listDocumentsQuerySchema), async (c) => {
    const { db, config } = c.get('deps');
    const reader = actorOf(c);
    const page = await listDocuments(db, reader, c.req.valid('query'));
    return respond(c, listDocumentsResponseSchema, {
      documents: page.documents.map((d) => toDocumentView(d.row, d.ownerName, reader.userId)),
      nextCursor: page.nextCursor,
      limits: { uploadMaxBytes: config.documents.uploadMaxBytes },
    });
  })
  .post(uploadPath, requiresFlag(flagKeys.uploads), validate('query', uploadDocumentQuerySchema), async (c) => {
    const deps = c.get('deps');
    const actor = actorOf(c);
    const query = c.req.valid('query');
    assertMayPublish(actor, query.audience);
    const filename = displayFilename(query.filename);
    if (!filename) {
      throw new AppError('request.invalid', 400, 'The request is invalid.', [
        { path: 'filename', message: 'names no file once folders and control characters are removed' },
      ]);
    }
    const title = (query.title ? displayText(query.title) : '') || titleFromFilename(filename);
    const stored = await receiveUpload(c.req.raw, deps.ingestion.store, {
      maxBytes: deps.config.documents.uploadMaxBytes,
    });
    const document = await createDocument(documentDeps(deps), actor, {
      stored,
      filename,
      title,
      audience: query.audience,
    });
    return respond(c, documentResponseSchema, { document }, 201);
  })
  .get('/api/documents/:id', validate('param', documentParamSchema), async (c) => {
    const document = await readDocument(c.get('deps').db, actorOf(c), c.req.valid('param').id);
    return respond(c, documentResponseSchema, { document });
  })
  .get('/api/documents/:id/passages/:chunkId', validate('param', passageParamSchema), async (c) => {
    const { id, chunkId } = c.req.valid('param');
    return respond(c, passageResponseSchema, await readPassage(c.get('deps').db, actorOf(c), id, chunkId));
  })
  .post('/api/documents/:id/cancel', validate('param', documentParamSchema), async (c) => {
    const document = await cancelDocument(documentDeps(c.get('deps')), actorOf(c), c.req.valid('param').id);
    return respond(c, documentResponseSchema, { document });
  })
  .post('/api/documents/:id/retry', validate('param', documentParamSchema), async (c) => {
    const document = await retryDocument(documentDeps(c.get('deps')), actorOf(c), c.req.valid('param').id);
    return respond(c, documentResponseSchema, { document });
  })
  .post('/api/documents/:id/reindex', validate('param', documentParamSchema), async (c) => {
    const document = await reindexDocument(documentDeps(c.get('deps')), actorOf(c), c.req.valid('param').id);
    return respond(c, documentResponseSchema, { document });
  })
  .patch(
    '/api/documents/:id/audience',
    validate('param', documentParamSchema),
    validate('json', changeAudienceRequestSchema),
    async (c) => {
      const document = await changeAudience(
        documentDeps(c.get('deps')),
        actorOf(c),
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return respond(c, documentResponseSchema, { document });
    },
  )
  .delete('/api/documents/:id', validate('param', documentParamSchema), async (c) => {
    await deleteDocument(documentDeps(c.get('deps')), actorOf(c), c.req.valid('param').id);
    return respond(c, okResponseSchema, { ok: true });
  });

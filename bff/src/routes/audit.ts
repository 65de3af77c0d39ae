import { auditListResponseSchema, auditQuerySchema } from '@atrium/contracts';
import { Hono } from 'hono';
import { listAuditEntries } from '../audit/audit-trail.js';
import type { AppEnv } from '../env.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';

export const auditRoutes = new Hono<AppEnv>().get(
  '/api/audit',
  requires('audit:read'),
  validate('query', auditQuerySchema),
  async (c) => {
    const page = await listAuditEntries(c.get('deps').db, c.req.valid('query'));
    return respond(c, auditListResponseSchema, page);
  },
);

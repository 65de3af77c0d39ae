import {
  approveDraftRequestSchema,
  type Draft,
  draftIdSchema,
  draftResponseSchema,
  listDraftsQuerySchema,
  listDraftsResponseSchema,
  rejectDraftRequestSchema,
} from '@atrium/contracts';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { approveDraft, type DraftActor, readDraft, rejectDraft, withdrawDraft } from '../drafts/decisions.js';
import { listDrafts } from '../drafts/repository.js';
import type { AppEnv } from '../env.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import type { Metrics } from '../observability/metrics.js';
import { inSpan } from '../observability/tracing.js';
import { respond } from '../respond.js';

const draftParamSchema = z.object({ id: draftIdSchema });

/**
 * A decision in its own `approval <decision>` span; once the draft leaves `pending` (the last
 * level decided), the time from proposal to decision goes to `atrium_approval_duration_seconds`.
 */
async function decide(
  metrics: Metrics,
  decision: 'approved' | 'rejected',
  draftId: string,
  run: () => Promise<Draft>,
): Promise<Draft> {
  return inSpan(
    `approval ${decision}`,
    { 'atrium.draft.id': draftId, 'atrium.approval.decision': decision },
    async (span) => {
      const draft = await run();
      span.setAttributes({ 'atrium.draft.tool': draft.tool, 'atrium.draft.status': draft.status });
      if (draft.status !== 'pending') {
        const seconds = (Date.parse(draft.updatedAt) - Date.parse(draft.createdAt)) / 1000;
        metrics.approvalDuration.observe({ decision }, Math.max(0, seconds));
      }
      return draft;
    },
  );
}

const actorOf = (c: Context<AppEnv>): DraftActor => {
  const user = c.get('user')!;
  return { userId: user.id, role: user.role, requestId: c.get('requestId') };
};

/**
 * Drafts and approvals (issue 10; contracts/src/drafts.ts, tools.ts `draftSchema`).
 * - `GET /api/drafts` (`drafts:decide`): the approvals queue — drafts a level of which names the
 *   caller's role — filtered by status, tool, risk, requester; newest first, keyset cursor.
 * - `GET /api/drafts/mine`: the caller's own proposals, same filters.
 * - `GET /api/drafts/:id`: its requester or a person its levels name; anyone else 404 `draft.not_found`.
 * - `POST /api/drafts/:id/approve` `{reason?}`, `/reject` `{reason}` (`drafts:decide`; the rules
 *   and their codes: drafts/decisions.ts), `/withdraw` (the requester, while pending).
 * Each answers `{ draft }` as it is after the change.
 */
export const draftRoutes = new Hono<AppEnv>()
  .use('/api/drafts', requires('drafts:decide'))
  .use('/api/drafts/*', requires('chat:use'))
  .get('/api/drafts', validate('query', listDraftsQuerySchema), async (c) => {
    const page = await listDrafts(c.get('deps').db, actorOf(c), 'queue', c.req.valid('query'));
    return respond(c, listDraftsResponseSchema, page);
  })
  .get('/api/drafts/mine', validate('query', listDraftsQuerySchema), async (c) => {
    const page = await listDrafts(c.get('deps').db, actorOf(c), 'mine', c.req.valid('query'));
    return respond(c, listDraftsResponseSchema, page);
  })
  .get('/api/drafts/:id', validate('param', draftParamSchema), async (c) => {
    const draft = await readDraft(c.get('deps').db, actorOf(c), c.req.valid('param').id);
    return respond(c, draftResponseSchema, { draft });
  })
  .post(
    '/api/drafts/:id/approve',
    requires('drafts:decide'),
    validate('param', draftParamSchema),
    validate('json', approveDraftRequestSchema),
    async (c) => {
      const { drafts, metrics } = c.get('deps');
      const { id } = c.req.valid('param');
      const draft = await decide(metrics, 'approved', id, () =>
        approveDraft(drafts.deps, actorOf(c), id, c.req.valid('json').reason),
      );
      return respond(c, draftResponseSchema, { draft });
    },
  )
  .post(
    '/api/drafts/:id/reject',
    requires('drafts:decide'),
    validate('param', draftParamSchema),
    validate('json', rejectDraftRequestSchema),
    async (c) => {
      const { drafts, metrics } = c.get('deps');
      const { id } = c.req.valid('param');
      const draft = await decide(metrics, 'rejected', id, () =>
        rejectDraft(drafts.deps, actorOf(c), id, c.req.valid('json').reason),
      );
      return respond(c, draftResponseSchema, { draft });
    },
  )
  .post('/api/drafts/:id/withdraw', validate('param', draftParamSchema), async (c) => {
    const draft = await withdrawDraft(c.get('deps').drafts.deps, actorOf(c), c.req.valid('param').id);
    return respond(c, draftResponseSchema, { draft });
  });

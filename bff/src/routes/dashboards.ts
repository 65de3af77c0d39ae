import {
  approvalsResponseSchema,
  createEvalRunRequestSchema,
  dashboardQuerySchema,
  evalRunResponseSchema,
  evalRunsQuerySchema,
  evalRunsResponseSchema,
  latencyResponseSchema,
  remoteLoadsResponseSchema,
  roleHas,
} from '@atrium/contracts';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { authenticateAccessToken } from '../auth/access-tokens.js';
import { approvalsNow, latencySeries, listEvalRuns, remoteLoadSeries, toEvalRun } from '../dashboards/dashboards.js';
import { evalRuns } from '../db/schema/index.js';
import type { AppEnv } from '../env.js';
import { AppError } from '../errors.js';
import { requires } from '../middleware/requires.js';
import { validate } from '../middleware/validate.js';
import { respond } from '../respond.js';

export const evalRunsPath = '/api/evals/runs';

/**
 * Who may report an eval run: a personal access token with scope `evals` whose owner holds
 * `dashboards:read` (the eval runner: ATRIUM_EVAL_REPORT_TOKEN), or a signed-in admin/ops session.
 * A Bearer header that is not such a token → 401 `token.invalid`, whatever the cookie says.
 */
const evalReporter = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const secret = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (secret) {
      const { db, clock } = c.get('deps');
      const found = await authenticateAccessToken(db, secret, 'evals', clock.now());
      if (!found || !roleHas(found.user.role, 'dashboards:read')) {
        throw new AppError(
          'token.invalid',
          401,
          'This access token is unknown, revoked, expired, lacks the evals scope, or its owner may not report evals.',
        );
      }
      c.set('user', found.user);
      return next();
    }
    return requires('dashboards:read')(c, next);
  });

/** The ops dashboards' data (issue 11; contracts/src/dashboards.ts). All reads need `dashboards:read`. */
export const dashboardRoutes = new Hono<AppEnv>()
  .use('/api/dashboards/*', requires('dashboards:read'))
  /** p50/p95 latency, request and 5xx counts per bucket, over every instance. */
  .get('/api/dashboards/latency', validate('query', dashboardQuerySchema), async (c) => {
    const points = await latencySeries(c.get('deps').db, c.req.valid('query'));
    return respond(c, latencyResponseSchema, { points });
  })
  /** Remote loads and failures per remote and version (stable/canary/other), and the newest failures' details. */
  .get('/api/dashboards/remote-loads', validate('query', dashboardQuerySchema), async (c) => {
    const body = await remoteLoadSeries(c.get('deps').db, c.req.valid('query'));
    return respond(c, remoteLoadsResponseSchema, body);
  })
  /** Drafts pending now and their age. */
  .get('/api/dashboards/approvals', async (c) => {
    const { db, clock } = c.get('deps');
    return respond(c, approvalsResponseSchema, await approvalsNow(db, clock.now()));
  })
  .get(evalRunsPath, requires('dashboards:read'), validate('query', evalRunsQuerySchema), async (c) => {
    const runs = await listEvalRuns(c.get('deps').db, c.req.valid('query').limit);
    return respond(c, evalRunsResponseSchema, { runs });
  })
  /** One eval run's result (the eval runner reports it). 201 `{ run }`. */
  .post(evalRunsPath, evalReporter(), validate('json', createEvalRunRequestSchema), async (c) => {
    const { db, clock } = c.get('deps');
    const body = c.req.valid('json');
    const [row] = await db
      .insert(evalRuns)
      .values({ ...body, reportedBy: c.get('user')!.id, at: clock.now() })
      .returning();
    return respond(c, evalRunResponseSchema, { run: toEvalRun(row!) }, 201);
  });

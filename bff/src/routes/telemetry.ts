import { clientReportBatchSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { validate } from '../middleware/validate.js';
import { watchCanaries } from '../registry/auto-rollback.js';
import { storeClientReports } from '../telemetry/client-reports.js';

/** Browsers send this with `navigator.sendBeacon`, which cannot add the CSRF header (see app.ts). */
export const telemetryPath = '/api/telemetry';

export const telemetryRoutes = new Hono<AppEnv>().post(
  telemetryPath,
  validate('json', clientReportBatchSchema),
  async (c) => {
    const { db, clock, logger } = c.get('deps');
    const { reports } = c.req.valid('json');
    const userId = c.get('user')?.id ?? null;
    await storeClientReports(db, logger, { reports, userId, at: clock.now(), requestId: c.get('requestId') });
    if (userId) await watchCanaries(c.get('deps').registry, reports);
    return c.body(null, 202);
  },
);

import { clientReportBatchSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { validate } from '../middleware/validate.js';
import { watchCanaries } from '../registry/auto-rollback.js';
import { storeClientReports } from '../telemetry/client-reports.js';

/** Browsers send this with `navigator.sendBeacon`, which cannot add the CSRF header (see app.ts). */
export const telemetryPath = '/api/telemetry';

const versionShape = /^\d{1,6}\.\d{1,6}\.\d{1,6}(?:[-+][0-9A-Za-z.-]{1,24})?$/;

/**
 * Anyone may post reports (signed out too), and every label value is a new series: a version
 * becomes a label only from a signed-in browser and only when shaped like a semver, else `other`.
 */
const versionLabel = (version: string, signedIn: boolean) =>
  signedIn && versionShape.test(version) ? version : 'other';

export const telemetryRoutes = new Hono<AppEnv>().post(
  telemetryPath,
  validate('json', clientReportBatchSchema),
  async (c) => {
    const { db, clock, logger, metrics } = c.get('deps');
    const { reports } = c.req.valid('json');
    for (const entry of reports) {
      if (entry.kind === 'load') {
        const { remote, version, outcome } = entry.report;
        metrics.remoteLoads.inc({ remote, version: versionLabel(version, c.get('user') !== null), outcome });
      }
    }
    const userId = c.get('user')?.id ?? null;
    await storeClientReports(db, logger, { reports, userId, at: clock.now(), requestId: c.get('requestId') });
    if (userId) await watchCanaries(c.get('deps').registry, reports);
    return c.body(null, 202);
  },
);

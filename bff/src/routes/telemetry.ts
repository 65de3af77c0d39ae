import { clientReportBatchSchema } from '@atrium/contracts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { validate } from '../middleware/validate.js';
import { knownRemoteVersions } from '../observability/known-versions.js';
import { watchCanaries } from '../registry/auto-rollback.js';
import { storeClientReports } from '../telemetry/client-reports.js';

/** Browsers send this with `navigator.sendBeacon`, which cannot add the CSRF header (see app.ts). */
export const telemetryPath = '/api/telemetry';

/** Per database (one per app): which versions the registry holds, for the version label. */
const knownByDb = new WeakMap<object, ReturnType<typeof knownRemoteVersions>>();

export const telemetryRoutes = new Hono<AppEnv>().post(
  telemetryPath,
  validate('json', clientReportBatchSchema),
  async (c) => {
    const { db, clock, logger, metrics } = c.get('deps');
    const { reports } = c.req.valid('json');
    const known = knownByDb.get(db) ?? knownRemoteVersions(db, clock);
    knownByDb.set(db, known);
    // Anyone may post reports (signed out too), and every label value is a new series: a version
    // becomes a label only from a signed-in browser and only when the registry holds it, else `other`.
    const signedIn = c.get('user') !== null;
    for (const entry of reports) {
      if (entry.kind === 'load') {
        const { remote, version, outcome } = entry.report;
        const label = signedIn && (await known(remote, version)) ? version : 'other';
        metrics.remoteLoads.inc({ remote, version: label, outcome });
      }
    }
    const userId = c.get('user')?.id ?? null;
    await storeClientReports(db, logger, { reports, userId, at: clock.now(), requestId: c.get('requestId') });
    if (userId) await watchCanaries(c.get('deps').registry, reports);
    return c.body(null, 202);
  },
);

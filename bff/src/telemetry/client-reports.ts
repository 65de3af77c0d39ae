import type { ClientReport } from '@atrium/contracts';
import type { Database } from '../db/index.js';
import { clientReports } from '../db/schema/index.js';
import type { Logger } from '../logger.js';

export async function storeClientReports(
  db: Database,
  logger: Logger,
  input: { reports: ClientReport[]; userId: string | null; at: Date; requestId: string },
): Promise<void> {
  const rows = input.reports.map((entry) => {
    if (entry.kind === 'load') {
      const { remote, version, outcome, ms, ...detail } = entry.report;
      return { at: input.at, userId: input.userId, kind: entry.kind, remote, version, outcome, ms, detail };
    }
    // A singleton at the wrong version breaks remotes in ways no load error shows: make it visible.
    logger.warn('shared singleton mismatch', { requestId: input.requestId, ...entry.report });
    return {
      at: input.at,
      userId: input.userId,
      kind: entry.kind,
      remote: entry.report.consumer,
      version: entry.report.loaded,
      outcome: null,
      ms: null,
      detail: { ...entry.report },
    };
  });
  await db.insert(clientReports).values(rows);
}

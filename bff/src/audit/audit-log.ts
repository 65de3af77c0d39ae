import type { Database } from '../db/index.js';
import { auditLog } from '../db/schema/index.js';

export interface AuditEntry {
  at: Date;
  actorId: string | null;
  action: string;
  target: string | null;
  detail?: Record<string, unknown>;
  requestId: string | null;
}

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, detail: entry.detail ?? {} });
}

import { sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log.js';
import type { Database } from '../db/index.js';
import { guardrailCounts } from '../db/schema/index.js';

/** The four guardrail layers of issue 10, item 5. */
export const guardrailLayers = ['input', 'output', 'tool', 'retrieval'] as const;
export type GuardrailLayer = (typeof guardrailLayers)[number];

export interface GuardrailTrigger {
  layer: GuardrailLayer;
  /** What fired: a mask kind (`api_key`), an injection source (`user_message`, `tool_result`), a refusal code. */
  kind: string;
  /** How many matches this one trigger covers (≥ 1). */
  count: number;
  at: Date;
  /** Whose request it was (the asker, the MCP caller); null for the system. */
  actorId: string | null;
  /** What it concerns, as the audit log names targets (`message:<id>`, `tool:<name>`). */
  target: string | null;
  requestId?: string | null;
  /** Further facts for the audit entry (signal names, tool name); never the masked text itself. */
  detail?: Record<string, unknown>;
}

/**
 * Records one guardrail trigger inside `tx` (the transaction of the change it guarded): an audit
 * entry `guardrail.triggered` `{ layer, kind, count, …detail }` and `count` added to
 * `guardrail_counts` for (layer, kind, UTC day of `at`). A count below 1 records nothing.
 */
export async function recordGuardrail(tx: Database, trigger: GuardrailTrigger): Promise<void> {
  if (trigger.count < 1) return;
  const day = trigger.at.toISOString().slice(0, 10);
  await recordAudit(tx, {
    at: trigger.at,
    actorId: trigger.actorId,
    action: 'guardrail.triggered',
    target: trigger.target,
    detail: { ...trigger.detail, layer: trigger.layer, kind: trigger.kind, count: trigger.count },
    requestId: trigger.requestId ?? null,
  });
  await countGuardrail(tx, { ...trigger, day });
}

/**
 * Adds `count` to `guardrail_counts` for (layer, kind, UTC `day`) without an audit entry of its
 * own: for a trigger whose change is already audited under its own action (the tool gate's
 * `tool.refused`).
 */
export async function countGuardrail(
  tx: Database,
  trigger: { layer: GuardrailLayer; kind: string; count: number; day: string },
): Promise<void> {
  if (trigger.count < 1) return;
  await tx
    .insert(guardrailCounts)
    .values({ layer: trigger.layer, kind: trigger.kind, day: trigger.day, count: trigger.count })
    .onConflictDoUpdate({
      target: [guardrailCounts.layer, guardrailCounts.kind, guardrailCounts.day],
      set: { count: sql`${guardrailCounts.count} + ${trigger.count}` },
    });
}

/** Records one trigger per kind of a mask's counts (`{ api_key: 2, email: 1 }` → two entries). */
export async function recordMaskCounts(
  tx: Database,
  counts: Partial<Record<string, number>>,
  base: Omit<GuardrailTrigger, 'layer' | 'kind' | 'count'>,
): Promise<void> {
  for (const [kind, count] of Object.entries(counts)) {
    if (count) await recordGuardrail(tx, { ...base, layer: 'output', kind, count });
  }
}

/** Triggers counted per (layer, kind) over UTC days `from`..`to` inclusive (`YYYY-MM-DD`). */
export async function guardrailTotals(
  db: Database,
  from: string,
  to: string,
): Promise<{ layer: string; kind: string; count: number }[]> {
  return db
    .select({
      layer: guardrailCounts.layer,
      kind: guardrailCounts.kind,
      count: sql<number>`sum(${guardrailCounts.count})::int`,
    })
    .from(guardrailCounts)
    .where(sql`${guardrailCounts.day} between ${from} and ${to}`)
    .groupBy(guardrailCounts.layer, guardrailCounts.kind)
    .orderBy(guardrailCounts.layer, guardrailCounts.kind);
}

/**
 * Records an input scan that found signals (layer `input`, kind = its source, count = signals
 * found, detail.signals = their names); a clean scan records nothing.
 */
export async function recordInputScan(
  tx: Database,
  scan: { source: string; signals: readonly string[] },
  base: Omit<GuardrailTrigger, 'layer' | 'kind' | 'count'>,
): Promise<void> {
  await recordGuardrail(tx, {
    ...base,
    layer: 'input',
    kind: scan.source,
    count: scan.signals.length,
    detail: { ...base.detail, signals: [...scan.signals] },
  });
}

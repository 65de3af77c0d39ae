import type { AccountUsageResponse, UsageQuery, UsageRow } from '@atrium/contracts';
import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { UsageConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { messages, users } from '../db/schema/index.js';
import { AppError } from '../errors.js';

/** Longest `GET /api/usage` range, in days (contracts/src/usage.ts). */
export const usageMaxRangeDays = 366;
const dayMs = 86_400_000;

/** The first instant of `at`'s calendar month and of the next one (UTC): budgets are per calendar month, UTC. */
export function monthOf(at: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end };
}

/** `2026-11-30`: the ISO date (UTC) of an instant. */
export const isoDate = (at: Date) => at.toISOString().slice(0, 10);

/** Parses the query's ISO dates as UTC midnights; 400 `request.invalid` when `to` is not after `from` or the range is too long. */
export function usageRange(query: Pick<UsageQuery, 'from' | 'to'>): { from: Date; to: Date } {
  const from = new Date(`${query.from}T00:00:00Z`);
  const to = new Date(`${query.to}T00:00:00Z`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new AppError('request.invalid', 400, 'from and to must be ISO dates (YYYY-MM-DD).');
  }
  if (to <= from) throw new AppError('request.invalid', 400, '`to` must be after `from` (it is exclusive).');
  if (to.getTime() - from.getTime() > usageMaxRangeDays * dayMs) {
    throw new AppError('request.invalid', 400, `The range may span at most ${usageMaxRangeDays} days.`);
  }
  return { from, to };
}

const answersIn = (from: Date, to: Date, extra?: SQL) =>
  and(eq(messages.role, 'assistant'), gte(messages.createdAt, from), lt(messages.createdAt, to), extra);

/**
 * Tokens and cost of answers per bucket (`day` or `month`, UTC) and per user, agent or model,
 * over [from, to). Answers with no agent or model recorded are grouped under `unknown`.
 * One SQL aggregation over the `messages_answers_created_idx` partial index; rows are ordered by
 * bucket, then cost (highest first). Labels: the user's display name and email, the agent id, the model.
 */
export async function usageTotals(db: Database, query: UsageQuery): Promise<UsageRow[]> {
  const { from, to } = usageRange(query);
  const unit = query.bucket === 'month' ? sql.raw(`'month'`) : sql.raw(`'day'`);
  const bucket = sql<string>`to_char(date_trunc(${unit}, ${messages.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const key =
    query.groupBy === 'user'
      ? sql<string>`${messages.userId}::text`
      : query.groupBy === 'agent'
        ? sql<string>`coalesce(${messages.agentId}, 'unknown')`
        : sql<string>`coalesce(${messages.model}, 'unknown')`;
  const label =
    query.groupBy === 'user'
      ? sql<string>`min(${users.displayName} || ' <' || ${users.email} || '>')`
      : sql<string>`min(${key})`;
  const rows = await db
    .select({
      bucketStart: bucket,
      key,
      label,
      answers: sql<number>`count(*)::int`.mapWith(Number),
      promptTokens: sql<number>`coalesce(sum(${messages.promptTokens}), 0)::float8`.mapWith(Number),
      completionTokens: sql<number>`coalesce(sum(${messages.completionTokens}), 0)::float8`.mapWith(Number),
      costUsd: sql<number>`coalesce(sum(${messages.costUsd}), 0)::float8`.mapWith(Number),
    })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.userId))
    .where(answersIn(from, to))
    .groupBy(sql`1`, sql`2`)
    .orderBy(sql`1`, sql`7 desc`, sql`2`);
  return rows.map((row) => ({ ...row, label: row.label ?? row.key }));
}

/** One user's tokens and cost in the calendar month (UTC) holding `at`. */
export async function monthUsage(
  db: Database,
  userId: string,
  at: Date,
): Promise<{ costUsd: number; promptTokens: number; completionTokens: number }> {
  const { start, end } = monthOf(at);
  const [row] = await db
    .select({
      costUsd: sql<number>`coalesce(sum(${messages.costUsd}), 0)::float8`.mapWith(Number),
      promptTokens: sql<number>`coalesce(sum(${messages.promptTokens}), 0)::float8`.mapWith(Number),
      completionTokens: sql<number>`coalesce(sum(${messages.completionTokens}), 0)::float8`.mapWith(Number),
    })
    .from(messages)
    .where(answersIn(start, end, eq(messages.userId, userId)));
  return row ?? { costUsd: 0, promptTokens: 0, completionTokens: 0 };
}

/** The user's own budget, else ATRIUM_DEFAULT_MONTHLY_BUDGET_USD; null = unlimited. */
export const budgetOf = (user: { monthlyBudgetUsd: number | null }, config: UsageConfig): number | null =>
  user.monthlyBudgetUsd ?? config.defaultMonthlyBudgetUsd;

/** `GET /api/account/usage`: the caller's month so far against their budget. */
export async function accountUsage(
  db: Database,
  user: { id: string; monthlyBudgetUsd: number | null },
  config: UsageConfig,
  now: Date,
): Promise<AccountUsageResponse> {
  const usage = await monthUsage(db, user.id, now);
  return { month: isoDate(monthOf(now).start), ...usage, budgetUsd: budgetOf(user, config) };
}

/**
 * Refuses a new answer once the user's month cost has reached their budget: 429
 * `budget.exceeded`, with `Retry-After` the seconds until the month ends (UTC) and a message
 * naming the budget and the renewal date. Run it inside the posting transaction (`db` = its `tx`)
 * before anything is written. A budget of 0 refuses every answer.
 */
export async function assertWithinBudget(db: Database, userId: string, config: UsageConfig, now: Date): Promise<void> {
  const [user] = await db.select({ monthlyBudgetUsd: users.monthlyBudgetUsd }).from(users).where(eq(users.id, userId));
  const budget = user ? budgetOf(user, config) : null;
  if (budget === null) return;
  const { costUsd } = await monthUsage(db, userId, now);
  if (costUsd < budget) return;
  const { end } = monthOf(now);
  const retryAfter = Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
  throw new AppError(
    'budget.exceeded',
    429,
    `Your monthly budget of $${budget.toFixed(2)} is used up ($${costUsd.toFixed(2)} spent). It renews on ${isoDate(end)} (UTC).`,
    undefined,
    { 'Retry-After': String(retryAfter) },
    { budgetUsd: budget, costUsd, renewsAt: end.toISOString() },
  );
}

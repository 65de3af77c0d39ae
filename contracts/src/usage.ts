import { z } from 'zod';

/**
 * Usage and budgets (issue 11). Every answer records its model, tokens and cost (USD); these
 * are its totals. Budgets are per user per calendar month (UTC); there are no teams yet.
 * Posting a message when the month's cost has reached the budget is refused with
 * 429 `budget.exceeded` and `Retry-After` (seconds until the month ends).
 */
export const usageGroupBySchema = z.enum(['user', 'agent', 'model']);
export type UsageGroupBy = z.infer<typeof usageGroupBySchema>;

/** `GET /api/usage` (permission `usage:read`). `from`/`to` are ISO dates (UTC), `to` exclusive; at most 366 days. */
export const usageQuerySchema = z.object({
  groupBy: usageGroupBySchema.default('user'),
  bucket: z.enum(['day', 'month']).default('day'),
  from: z.iso.date(),
  to: z.iso.date(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export const usageRowSchema = z.object({
  /** ISO date of the bucket's first day (UTC). */
  bucketStart: z.string(),
  /** The user id, agent id or model name; `unknown` when an answer had none recorded. */
  key: z.string(),
  /** What people read: the user's display name and email, the agent's name, the model name. */
  label: z.string(),
  answers: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costUsd: z.number(),
});
export type UsageRow = z.infer<typeof usageRowSchema>;
export const usageResponseSchema = z.object({ rows: z.array(usageRowSchema) });

/** The caller's own month: `GET /api/account/usage`. */
export const accountUsageResponseSchema = z.object({
  /** ISO date of the month's first day (UTC). */
  month: z.string(),
  costUsd: z.number(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** The monthly budget in USD; null = unlimited. */
  budgetUsd: z.number().nullable(),
});
export type AccountUsageResponse = z.infer<typeof accountUsageResponseSchema>;

/** `PUT /api/users/:id/budget` (permission `users:manage`): null removes the budget (back to ATRIUM_DEFAULT_MONTHLY_BUDGET_USD). */
export const setBudgetRequestSchema = z.object({
  monthlyUsd: z.number().min(0).max(1_000_000).nullable(),
  reason: z.string().trim().min(3).max(500),
});

/** What a 429 `budget.exceeded` body carries besides code and message (clients word it in their own language). */
export const budgetExceededDetailSchema = z.object({
  budgetUsd: z.number(),
  costUsd: z.number(),
  /** When the budget renews: the next month's first instant (UTC), ISO. */
  renewsAt: z.string(),
});
export type BudgetExceededDetail = z.infer<typeof budgetExceededDetailSchema>;

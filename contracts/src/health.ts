import { z } from 'zod';

export const healthResponseSchema = z.object({ status: z.literal('ok') });
export const readyResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(z.string(), z.enum(['ok', 'failed'])),
  /** How the BFF runs, for operators: not a check, never makes it unready. */
  details: z
    .object({
      /** Whether retrieval searches vectors too; when not, `reason` says why (full-text only). */
      retrieval: z.object({ vector: z.boolean(), reason: z.string().nullable() }),
    })
    .optional(),
});

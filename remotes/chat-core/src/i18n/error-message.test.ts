import { budgetExceededDetailSchema } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { readBudgetDetail } from './error-message.js';

describe('readBudgetDetail', () => {
  const detail = { budgetUsd: 20, costUsd: 20.5, renewsAt: '2026-12-01T00:00:00.000Z' };
  const bodies: unknown[] = [
    detail,
    { ...detail, code: 'budget.exceeded', message: 'Spent.' },
    { ...detail, budgetUsd: '20' },
    { budgetUsd: 20, renewsAt: detail.renewsAt },
    { ...detail, renewsAt: 0 },
    [detail],
    null,
    'budget',
  ];

  it.each(bodies.map((body) => [JSON.stringify(body), body]))(
    'agrees with budgetExceededDetailSchema on %s',
    (_, body) => {
      const parsed = budgetExceededDetailSchema.safeParse(body);
      expect(readBudgetDetail(body)).toEqual(parsed.success ? parsed.data : null);
    },
  );
});

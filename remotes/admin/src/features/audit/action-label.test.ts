import { auditActions } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.js';
import { zhCN } from '../../i18n/zh-CN.js';
import { actionLabelKey } from './action-label.js';

describe('audit action labels', () => {
  it('every action the BFF records has a label in English and Chinese (no raw keys in the log or its filter)', () => {
    for (const [name, messages] of [
      ['en', en],
      ['zh-CN', zhCN],
    ] as const) {
      const labels = messages.auditActions as Record<string, string>;
      const missing = auditActions.filter((action) => !labels[actionLabelKey(action).slice('auditActions.'.length)]);
      expect(missing, name).toEqual([]);
    }
  });
});

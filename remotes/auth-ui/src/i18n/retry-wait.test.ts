import { describe, expect, it } from 'vitest';
import { describeRetry } from './retry-wait.js';

describe('when to try again', () => {
  const now = new Date(2030, 0, 1, 14, 17).getTime();

  it('says it in English and Chinese, rounding up to whole minutes past one minute', () => {
    const en = describeRetry(900, 'en', now);
    expect(en.when).toBe('in 15 minutes');
    // ICU puts a narrow no-break space before "PM" in some versions.
    expect(en.time).toMatch(/^2:32\sPM$/);
    expect(describeRetry(61, 'en', now).when).toBe('in 2 minutes');
    expect(describeRetry(45, 'en', now).when).toBe('in 45 seconds');
    expect(describeRetry(900, 'zh-CN', now)).toEqual({ when: '15分钟后', time: '14:32' });
  });
});

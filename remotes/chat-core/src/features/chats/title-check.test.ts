import { chatTitleMaxChars } from '@atrium/contracts/values';
import { describe, expect, it } from 'vitest';
import { titleFits } from './title-check.js';

describe('titleFits', () => {
  it("applies the BFF's rename rule, loaded on demand", async () => {
    expect(await titleFits('Billing question')).toBe(true);
    expect(await titleFits('x'.repeat(chatTitleMaxChars))).toBe(true);
    expect(await titleFits('x'.repeat(chatTitleMaxChars + 1))).toBe(false);
    expect(await titleFits('   ')).toBe(false);
  });

  it('lets the BFF decide when the rule cannot be loaded', async () => {
    const offline = () => Promise.reject(new Error('chunk failed'));
    expect(await titleFits('x'.repeat(chatTitleMaxChars + 1), offline)).toBe(true);
  });
});

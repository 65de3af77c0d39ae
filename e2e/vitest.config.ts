import { defineConfig } from 'vitest/config';

/** Browser journeys against a freshly started product (real BFF, real Chromium). */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    globalSetup: ['./support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Each file starts its own BFF and browser; two at a time fits a 2-core machine.
    maxWorkers: 2,
    fileParallelism: true,
    // CI reads this report to prove the browser journeys really ran (none skipped, none missing).
    reporters: process.env.ATRIUM_E2E_REPORT
      ? ['default', ['json', { outputFile: process.env.ATRIUM_E2E_REPORT }]]
      : ['default'],
  },
});

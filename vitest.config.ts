import { defineConfig } from 'vitest/config';

/** Unit and integration tests beside the code. Browser journeys live in e2e/ with their own config. */
export default defineConfig({
  test: {
    include: ['{bff,contracts,shared,shell,tooling,evals}/**/*.test.ts', 'remotes/*/src/**/*.test.ts'],
    // `*.multi.test.ts` need PostgreSQL + Redis + several BFF processes: vitest.multi.config.ts.
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.multi.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.ATRIUM_UNIT_REPORT
      ? ['default', ['json', { outputFile: process.env.ATRIUM_UNIT_REPORT }]]
      : ['default'],
  },
});

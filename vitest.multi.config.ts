import { defineConfig } from 'vitest/config';

/**
 * The multi-instance suite: Redis and several real BFF processes against PostgreSQL, some behind
 * Debian's nginx running deploy/nginx.conf. It needs DATABASE_URL, REDIS_URL and nginx and fails
 * without them; CI runs it explicitly (`pnpm test:multi`).
 */
export default defineConfig({
  test: {
    include: ['bff/**/*.multi.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: process.env.ATRIUM_MULTI_REPORT
      ? ['default', ['json', { outputFile: process.env.ATRIUM_MULTI_REPORT }]]
      : ['default'],
  },
});

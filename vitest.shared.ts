import type { ViteUserConfig } from 'vitest/config';

/**
 * Test settings every package shares: read sibling packages from `src/` (the `@selfsup/source`
 * export condition) so tests need no build, and run test files in forks because tfjs keeps one
 * engine per process.
 */
export const sharedTestConfig: ViteUserConfig = {
  resolve: { conditions: ['@selfsup/source'] },
  ssr: { resolve: { conditions: ['@selfsup/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.browser.test.ts', '**/node_modules/**'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
};

import { defineConfig } from 'vitest/config';

// graphql 16 ships both index.mjs and index.js; type-graphql (external) loads one and
// vite-transformed code the other unless both are pinned to the same file.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    setupFiles: ['reflect-metadata'],
    // Scans every test hub's logs for personal data after the run (HUB_LOG_SCAN=0 turns it off).
    globalSetup: ['test/support/log-scan.global.ts'],
    pool: 'forks',
    include: [
      'src/**/*.spec.ts',
      'resolvers/**/*.spec.ts',
      'adapters/**/*.spec.ts',
      'seeds/**/*.spec.ts',
      'test/**/*.spec.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

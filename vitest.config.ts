import { defineConfig } from 'vitest/config';

// Three projects, chosen by the test file's name: `*.unit.test.ts` is the pure core (rules,
// machine, clocks, generators) and runs in seconds with no SQLite or browser (an import of
// better-sqlite3 there fails loudly); `*.int.test.ts` is the store, the API, the CLI and the
// reports; `*.e2e.test.ts` drives Chromium. The unit and integration files share their worker's
// modules (isolate: false): each file re-loading express, zod's schemas and zxcvbn's dictionaries
// cost more than a fifth of the run; nothing in src/ keeps state a test could leave behind (caches
// of pure results only), and the stores each test opens are its own.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/support/build.ts'], // the CLI tests spawn the compiled bin
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.unit.test.ts'], isolate: false },
        resolve: {
          alias: { 'better-sqlite3': new URL('./test/support/no-sqlite.ts', import.meta.url).pathname },
        },
      },
      { extends: true, test: { name: 'integration', include: ['test/**/*.int.test.ts'], isolate: false } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'] } },
    ],
  },
});

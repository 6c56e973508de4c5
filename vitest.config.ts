import { defineConfig } from 'vitest/config';

// Three projects: `unit` is the pure core (rules, machine, clocks, generators) and runs in
// seconds with no SQLite or browser (an import of better-sqlite3 there fails loudly);
// `integration` is the store, the API, the CLI and the reports; `e2e` drives Chromium.
const UNIT = ['test/cwt/**/*.test.ts', 'test/machines/**/*.test.ts', 'test/domain/**/*.test.ts', 'test/sim/random.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/support/build.ts'], // the CLI tests spawn the compiled bin
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT },
        resolve: { alias: { 'better-sqlite3': new URL('./test/support/no-sqlite.ts', import.meta.url).pathname } },
      },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...UNIT, 'test/e2e/**'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});

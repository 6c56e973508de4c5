#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`, which `npm ci` runs as `prepare`):
// compiling the TypeScript at every start, as tsx did, cost about 1.8 s per command.
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('openptl: dist/ is missing: run `npm run build` (npm ci runs it)\n');
  process.exit(1);
}
await import(main.href);

#!/usr/bin/env node
// Runs the bundled JavaScript in dist/ (`npm run build`, which `npm ci` runs as `prepare`):
// compiling the TypeScript at every start, as tsx did, cost over a second per command.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code between runs; Node 20 has no such cache (a no-op there).
module.enableCompileCache?.();

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('openptl: dist/ is missing: run `npm run build` (npm ci runs it)\n');
  process.exit(1);
}
await import(main.href);

// `npm run build` (run by `npm ci` as `prepare`): the CLI and the server as one bundle in dist/,
// split per command (each still loaded only when it runs). Bundling puts zod, xstate and
// date-fns, which every command loads, in a few files instead of hundreds: `openptl clock` starts
// about a tenth of a second sooner. Packages with native code, their own workers or dynamic
// requires stay in node_modules. The forecast's worker thread is a second entry
// (dist/forecast-worker.js, beside the chunks that start it). Tests run the sources; the type
// check is `tsc --noEmit`.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: `${root}src/cli/main.ts`, 'forecast-worker': `${root}src/forecast/worker.ts` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'express', 'helmet', 'pino', 'ws', 'node-hl7-client', 'tsx'],
  logLevel: 'warning',
});

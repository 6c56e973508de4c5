// Vitest global setup: the tests that spawn bin/openptl.js run the compiled dist/, so compile the
// sources first, or they would test whatever was built last (about 2-3 s).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building dist/ (tsc -p tsconfig.build.json) failed:\n${r.stdout}${r.stderr}`);
}

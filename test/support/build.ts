// Vitest global setup: the tests that spawn bin/openptl.js run the bundled dist/, so build it from
// the sources first, or they would test whatever was built last (about a second).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building dist/ (scripts/build.mjs) failed:\n${r.stdout}${r.stderr}`);
}

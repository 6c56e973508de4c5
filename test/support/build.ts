// Vitest global setup: the tests that spawn bin/openptl.js run the bundled dist/, so build it from
// the sources first, or they would test whatever was built last (about a second). And one folder
// for the run's temporary files, removed when the run ends (workers share it through the
// environment; they are stopped, not exited, so they cannot clean up after themselves).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = join(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building dist/ (scripts/build.mjs) failed:\n${r.stdout}${r.stderr}`);
  const run = mkdtempSync(join(tmpdir(), 'openptl-test-run-'));
  chmodSync(run, 0o711); // passable, as /tmp is, for the test that runs a command as another user
  process.env.OPENPTL_TEST_TMP = run;
  return () => rmSync(run, { recursive: true, force: true });
}

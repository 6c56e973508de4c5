// Files that hold patient data (the nightly report, the national returns): readable by the
// service's user only (0600, whatever the umask), each written to a temporary name first and then
// renamed, so a reader (or an upload) never sees half a file; every file or none.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes each [name, text] into `dir`; returns the paths. Each text is written as soon as it is
 * given, so a generator that renders one file at a time holds only one in memory (the nightly
 * report at 360,000 open pathways renders over 100 MB).
 */
export function writePrivateFiles(dir: string, files: Iterable<readonly [string, string]>): string[] {
  const names: string[] = [];
  const temps: string[] = [];
  try {
    for (const [name, text] of files) {
      const temp = join(dir, `.${name}.${process.pid}.tmp`);
      temps.push(temp);
      names.push(name);
      writeFileSync(temp, text, { mode: 0o600, flag: 'wx' }); // wx: never through a link left at that name
    }
    names.forEach((name, i) => renameSync(temps[i]!, join(dir, name)));
  } finally {
    for (const t of temps) try { unlinkSync(t); } catch { /* renamed or never written */ }
  }
  return names.map((name) => join(dir, name));
}

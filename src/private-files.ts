// Files that hold patient data (the nightly report, the national returns): readable by the
// service's user only (0600, whatever the umask), each written to a temporary name first and then
// renamed, so a reader (or an upload) never sees half a file; every file or none.
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes each [name, text] into `dir`; returns the paths. A text may come in pieces; each file is
 * written as soon as it is given, so a generator that renders one file at a time, piece by piece,
 * never holds a whole file (the nightly report at 360,000 open pathways is over 100 MB of files).
 */
export function writePrivateFiles(
  dir: string,
  files: Iterable<readonly [string, string | Iterable<string>]>,
): string[] {
  const names: string[] = [];
  const temps: string[] = [];
  try {
    for (const [name, text] of files) {
      const temp = join(dir, `.${name}.${process.pid}.tmp`);
      temps.push(temp);
      names.push(name);
      writeWhole(temp, text);
    }
    names.forEach((name, i) => renameSync(temps[i]!, join(dir, name)));
  } finally {
    for (const t of temps)
      try {
        unlinkSync(t);
      } catch {
        /* renamed or never written */
      }
  }
  return names.map((name) => join(dir, name));
}

/** wx: never through a link left at that name; 0600 whatever the umask. Pieces go out a megabyte at a time. */
function writeWhole(file: string, text: string | Iterable<string>): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    let buffered = '';
    const flush = () => {
      const bytes = Buffer.from(buffered);
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at); // a write may take less than all
      buffered = '';
    };
    for (const piece of typeof text === 'string' ? [text] : text) {
      buffered += piece;
      if (buffered.length >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
}

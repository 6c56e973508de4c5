// Writing a national return's files: each to a temporary name first, then renamed, so a reader
// (or an upload) never sees half a file; CSV as RFC 4180 (CRLF line ends, quotes where needed).
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: unknown): string {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

/** Writes every file or none: temporaries first, then each renamed into place. Returns the paths. */
export function writeFiles(dir: string, files: readonly [string, string][]): string[] {
  const temps: string[] = [];
  try {
    for (const [name, text] of files) {
      const temp = join(dir, `.${name}.${process.pid}.tmp`);
      temps.push(temp);
      writeFileSync(temp, text);
    }
    files.forEach(([name], i) => renameSync(temps[i]!, join(dir, name)));
  } finally {
    for (const t of temps) try { unlinkSync(t); } catch { /* renamed or never written */ }
  }
  return files.map(([name]) => join(dir, name));
}

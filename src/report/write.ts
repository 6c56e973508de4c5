// Writes a report's files: each to a temporary name first, then renamed, so a reader never sees half a file.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from './report.ts';
import { renderCsv, renderHtml, renderJson } from './render.ts';
import type { Store } from '../store/store.ts';

/** Writes the three files for `asOf` into `dir`, each to a temporary name first, then renamed. */
export function writeReport(store: Store, asOf: string, dir: string): string[] {
  const report = buildReport(store, asOf);
  const files: [string, string][] = [
    [`report-${asOf}.html`, renderHtml(report)],
    [`report-${asOf}.csv`, renderCsv(report)],
    [`report-${asOf}.json`, renderJson(report)],
  ];
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

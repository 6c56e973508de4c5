// Writes a report's files: each to a temporary name first, then renamed, so a reader never sees half
// a file. They list patients: readable by the owner only (0600), whatever the umask.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from './report.ts';
import { renderCsv, renderHtml, renderJson } from './render.ts';
import type { Store } from '../store/store.ts';

/** Past this many listed rows the trust's page links to a page per provider instead of listing them all. */
export const LISTED_ON_ONE_PAGE = 1000;

/**
 * Writes the files for `asOf` into `dir`: the HTML page, the CSV of every listed patient and the
 * JSON; and, when the lists are too long for one page a manager can open, one HTML page per provider.
 */
export function writeReport(store: Store, asOf: string, dir: string, listedOnOnePage = LISTED_ON_ONE_PAGE): string[] {
  const report = buildReport(store, asOf);
  const listed = report.newBreaches.length + report.breachingWithin14Days.length + report.breachedStops.monthToDate.length + report.breachedStops.lastMonth.length;
  const providers = [...new Set([...report.newBreaches, ...report.breachingWithin14Days, ...report.breachedStops.monthToDate, ...report.breachedStops.lastMonth]
    .map((p) => p.provider ?? 'unknown'))].sort();
  // A provider code is letters and digits (ODS), or 'unknown': safe in a file name.
  const providerPages: [string, string][] = listed > listedOnOnePage ? providers.map((p) => [p, `report-${asOf}-${p}.html`]) : [];
  const files: [string, string][] = [
    [`report-${asOf}.html`, renderHtml(report, providerPages.length ? { providerPages } : {})],
    ...providerPages.map(([provider, name]): [string, string] => [name, renderHtml(report, { provider })]),
    [`report-${asOf}.csv`, renderCsv(report)],
    [`report-${asOf}.json`, renderJson(report)],
  ];
  const temps: string[] = [];
  try {
    for (const [name, text] of files) {
      const temp = join(dir, `.${name}.${process.pid}.tmp`);
      temps.push(temp);
      writeFileSync(temp, text, { mode: 0o600, flag: 'wx' }); // wx: never through a link left at that name
    }
    files.forEach(([name], i) => renameSync(temps[i]!, join(dir, name)));
  } finally {
    for (const t of temps) try { unlinkSync(t); } catch { /* renamed or never written */ }
  }
  return files.map(([name]) => join(dir, name));
}

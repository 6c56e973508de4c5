// Writes a report's files. They list patients: private to the service's user (src/private-files.ts).
import { writePrivateFiles } from '../private-files.ts';
import type { IsoDate } from '../vocabulary/calendar.ts';
import { buildReport, type ReportModels } from './report.ts';
import { csvLines, jsonPieces, renderHtml } from './render.ts';

/** Past this many listed rows the trust's page links to a page per provider instead of listing them all. */
export const LISTED_ON_ONE_PAGE = 1000;

/**
 * Writes the files for `asOf` into `dir`: the HTML page, the CSV of every listed patient and the
 * JSON; and, when the lists are too long for one page a manager can open, one HTML page per provider.
 */
export function writeReport(
  store: ReportModels,
  asOf: IsoDate,
  dir: string,
  listedOnOnePage = LISTED_ON_ONE_PAGE,
): string[] {
  const report = buildReport(store, asOf);
  const listed =
    report.newBreaches.length +
    report.breachingWithin14Days.length +
    report.breachedStops.monthToDate.length +
    report.breachedStops.lastMonth.length;
  const providers = [
    ...new Set(
      [
        ...report.newBreaches,
        ...report.breachingWithin14Days,
        ...report.breachedStops.monthToDate,
        ...report.breachedStops.lastMonth,
      ].map((p) => p.provider ?? 'unknown'),
    ),
  ].sort();
  // A provider code is letters and digits (ODS), or 'unknown': safe in a file name.
  const providerPages: [string, string][] =
    listed > listedOnOnePage ? providers.map((p) => [p, `report-${asOf}-${p}.html`]) : [];
  // One file rendered at a time, each written before the next is made.
  function* files(): Generator<[string, string | Iterable<string>]> {
    yield [`report-${asOf}.html`, renderHtml(report, providerPages.length ? { providerPages } : {})];
    for (const [provider, name] of providerPages) yield [name, renderHtml(report, { provider })];
    yield [`report-${asOf}.csv`, csvLines(report)];
    yield [`report-${asOf}.json`, jsonPieces(report)];
  }
  return writePrivateFiles(dir, files());
}

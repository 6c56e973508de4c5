// `openptl report --as-of DATE --out DIR`: the nightly breach report as HTML, CSV and JSON.
import { accessSync, constants, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, today, type Clock } from '../clock.ts';
import { isIsoDate } from '../cwt/calendar.ts';
import { buildReport } from '../report/report.ts';
import { renderCsv, renderHtml, renderJson } from '../report/render.ts';
import type { Store } from '../store/store.ts';
import { CliError } from './errors.ts';
import { DEFAULT_DB, openStore, options } from './store-commands.ts';

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

export function checkReportArgs(asOf: string | undefined, dir: string | undefined, clock: Clock): { asOf: string; dir: string } {
  if (!asOf || !dir) throw new CliError('usage: openptl report --as-of YYYY-MM-DD --out DIR [--db FILE]');
  if (!isIsoDate(asOf)) throw new CliError(`--as-of: must be a real calendar date, YYYY-MM-DD (got ${asOf})`);
  if (asOf > today(clock)) throw new CliError(`--as-of: ${asOf} is in the future (today is ${today(clock)})`);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw new CliError(`--out: ${dir} is not a directory this user can write to`);
  }
  return { asOf, dir };
}

export function reportCommand(args: string[], clock: Clock = systemClock): void {
  const { values, positionals } = options(args, { 'as-of': { type: 'string' }, out: { type: 'string' }, db: { type: 'string' } }, 'openptl report --as-of YYYY-MM-DD --out DIR [--db FILE]');
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}`);
  const { asOf, dir } = checkReportArgs(values['as-of'], values.out, clock);
  const store = openStore(values.db ?? DEFAULT_DB, clock);
  for (const file of writeReport(store, asOf, dir)) process.stdout.write(`${file}\n`);
}

// `openptl report --as-of DATE --out DIR`: the nightly breach report as HTML, CSV and JSON.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { systemClock, today, type WallClock } from '../wall-clock.ts';
import { isIsoDate, type IsoDate } from '../vocabulary/calendar.ts';
import { writeReport } from '../report/write.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { auditCli } from './audit-entry.ts';
import { CliError } from './errors.ts';
import { withProgress } from './progress.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';

export function checkReportArgs(
  asOf: string | undefined,
  dir: string | undefined,
  clock: WallClock,
): { asOf: IsoDate; dir: string } {
  if (!asOf || !dir) throw new CliError('usage: openptl report --as-of YYYY-MM-DD --out DIR [--db FILE]');
  if (!isIsoDate(asOf)) throw new CliError(`--as-of: must be a real calendar date, YYYY-MM-DD (got ${asOf})`);
  if (asOf < EARLIEST_EVENT_DATE)
    throw new CliError(`--as-of: ${asOf} is before ${EARLIEST_EVENT_DATE}: nothing is recorded before then`);
  if (asOf > today(clock)) throw new CliError(`--as-of: ${asOf} is in the future (today is ${today(clock)})`);
  return { asOf, dir };
}

/**
 * A folder for files that name patients (reports, returns), made when it does not exist yet, 0700
 * (issue #25: not with the umask's mode); refused when it cannot be written to.
 */
export function reportsDir(dir: string, flag = '--out'): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw new CliError(`${flag}: ${dir} is not a folder this user can write to (nor can it be made)`);
  }
  return dir;
}

export function reportCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(
    args,
    { 'as-of': { type: 'string' }, out: { type: 'string' }, db: { type: 'string' } },
    'openptl report --as-of YYYY-MM-DD --out DIR [--db FILE]',
  );
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}`);
  const { asOf, dir } = checkReportArgs(values['as-of'], values.out, clock);
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { readOnlyOk: true });
  const out = reportsDir(dir);
  const files = withProgress(`Making the breach report for ${asOf}`, () => writeReport(store, asOf, out));
  auditCli(store, 'report_generated', { detail: { asOf, files: files.length } });
  for (const file of files) process.stdout.write(`${file}\n`);
}

// `openptl inequalities --by deprivation|age|sex|ethnicity --as-of DATE [--suppress]` (issue #27):
// the split as JSON, as at the end of the as-of day; with --suppress, as a viewer sees it.
import { systemClock, today, type WallClock } from '../wall-clock.ts';
import { isIsoDate, type IsoDate } from '../vocabulary/calendar.ts';
import { SPLITS, type Split } from '../vocabulary/equality.ts';
import { TUMOUR_SITES, type TumourSite } from '../vocabulary/events.ts';
import { EARLIEST_EVENT_DATE } from '../domain/guard-rails.ts';
import { inequalitiesOf } from '../queries/inequalities.ts';
import { CliError } from './errors.ts';
import { auditCli } from './audit-entry.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';

const USAGE =
  'openptl inequalities --by deprivation|age|sex|ethnicity --as-of DATE [--from DATE] [--tumour-site SITE] [--provider ODS] [--suppress] [--db FILE]';

function date(flag: string, value: string | undefined): IsoDate | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value)) throw new CliError(`${flag}: must be a real calendar date, YYYY-MM-DD (got ${value})`);
  if (value < EARLIEST_EVENT_DATE)
    throw new CliError(`${flag}: ${value} is before ${EARLIEST_EVENT_DATE}: nothing is recorded before then`);
  return value;
}

export function inequalitiesCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(
    args,
    {
      by: { type: 'string' },
      'as-of': { type: 'string' },
      from: { type: 'string' },
      'tumour-site': { type: 'string' },
      provider: { type: 'string' },
      suppress: { type: 'boolean' },
      db: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
  const by = values.by;
  if (!by || !(SPLITS as readonly string[]).includes(by))
    throw new CliError(`--by: must be one of ${SPLITS.join(', ')}\nusage: ${USAGE}`);
  const asOf = date('--as-of', values['as-of']) ?? today(clock);
  const from = date('--from', values.from);
  if (from !== undefined && from > asOf) throw new CliError('--from: must not be after --as-of');
  const site = values['tumour-site'];
  if (site !== undefined && !(TUMOUR_SITES as readonly string[]).includes(site))
    throw new CliError(`--tumour-site: must be one of ${TUMOUR_SITES.join(', ')}`);
  const store = openDatabase(values.db ?? DEFAULT_DB, clock, { readOnlyOk: true });
  const result = inequalitiesOf(store, {
    by: by as Split,
    asOf,
    ...(from ? { from } : {}),
    ...(site ? { tumourSite: site as TumourSite } : {}),
    ...(values.provider ? { provider: values.provider.trim().toUpperCase() } : {}),
    suppress: values.suppress === true,
  });
  auditCli(store, 'report_generated', { detail: { inequalities: by, asOf, suppressed: values.suppress === true } });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

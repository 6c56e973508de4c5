// The national returns (issue #14): `openptl cwt-extract` (the monthly CWT submission),
// `openptl canptl` (the weekly cancer PTL return) and `openptl codes` (the code lists and CSV
// columns a trust keeps). Each prints one JSON line on stdout; refusals are one line and exit 2.
import { readFileSync } from 'node:fs';
import { systemClock, type WallClock } from '../wall-clock.ts';
import { instantOf, isIsoDate, type Instant } from '../vocabulary/calendar.ts';
import { TRUST_LISTS } from '../vocabulary/cwt-codes.ts';
import { LAYOUTS, periodProblem, RECORD_ITEMS, writeCwtExtract, type Layout } from '../returns/cwt-extract.ts';
import { canptlTotals, weekEndingProblem, writeCanptl } from '../returns/canptl.ts';
import { CliError } from './errors.ts';
import { reportsDir } from './report.ts';
import { withProgress } from './progress.ts';
import { auditCli } from './audit-entry.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A writable directory, made (0700) when missing, or a refusal naming the option. */
function outDir(dir: string | undefined, usage: string): string {
  if (!dir) throw new CliError(`--out: give the directory to write to\nusage: ${usage}`);
  return reportsDir(dir);
}

/** The moment a return is made as at: an ISO timestamp with its zone, not in the future; now by default. */
export function asAtOf(value: string | undefined, clock: WallClock): Instant {
  const now = instantOf(clock.now());
  if (value === undefined) return now;
  if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new CliError(`--as-at: must be a timestamp with its time zone, e.g. 2026-12-03T17:00:00Z (got ${value})`);
  }
  const asAt = instantOf(new Date(value));
  if (asAt > now) throw new CliError(`--as-at: ${value} is in the future (now is ${now})`);
  return asAt;
}

export function cwtExtractCommand(args: string[], clock: WallClock = systemClock): void {
  const usage =
    'openptl cwt-extract --period YYYY-MM --out DIR [--layout trust|national] [--as-at TIMESTAMP] [--preview] [--db FILE]';
  const { values, positionals } = options(
    args,
    {
      period: { type: 'string' },
      out: { type: 'string' },
      'as-at': { type: 'string' },
      layout: { type: 'string' },
      preview: { type: 'boolean' },
      db: { type: 'string' },
    },
    usage,
  );
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  if (!values.period) throw new CliError(`--period: give the month, YYYY-MM\nusage: ${usage}`);
  const layout = (values.layout ?? 'trust') as Layout;
  if (!LAYOUTS.includes(layout))
    throw new CliError(
      `--layout: must be trust (the trust's columns with a header, to review) or national (the upload layout, no header); got ${values.layout}`,
    );
  const asAt = asAtOf(values['as-at'], clock);
  const problem = periodProblem(values.period, asAt);
  if (problem) throw new CliError(`--period: ${problem}`);
  const dir = outDir(values.out, usage);
  const store = openDatabase(values.db ?? DEFAULT_DB, clock);
  const preview = values.preview ?? false;
  const { files, summary } = withProgress(`Making the CWT submission for ${values.period}`, () =>
    writeCwtExtract(store, values.period!, asAt, dir, { layout, preview }),
  );
  auditCli(store, 'return_generated', {
    detail: { return: 'cwt', period: values.period, asAt, files: files.length, ...(preview ? { preview } : {}) },
  });
  process.stdout.write(`${JSON.stringify({ ...summary, files })}\n`);
}

export function canptlCommand(args: string[], clock: WallClock = systemClock): void {
  const usage = 'openptl canptl --week-ending YYYY-MM-DD --out DIR [--preview] [--db FILE]';
  const { values, positionals } = options(
    args,
    {
      'week-ending': { type: 'string' },
      out: { type: 'string' },
      preview: { type: 'boolean' },
      db: { type: 'string' },
    },
    usage,
  );
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const weekEnding = values['week-ending'];
  if (!weekEnding) throw new CliError(`--week-ending: give the Sunday the week ends on, YYYY-MM-DD\nusage: ${usage}`);
  if (!isIsoDate(weekEnding))
    throw new CliError(`--week-ending: must be a real calendar date, YYYY-MM-DD (got ${weekEnding})`);
  const problem = weekEndingProblem(weekEnding, clock.now());
  if (problem) throw new CliError(`--week-ending: ${problem}`);
  const dir = outDir(values.out, usage);
  const store = openDatabase(values.db ?? DEFAULT_DB, clock);
  const preview = values.preview ?? false;
  const { files, canptl } = withProgress(`Making the cancer PTL for the week ending ${weekEnding}`, () =>
    writeCanptl(store, weekEnding, dir, { preview }),
  );
  auditCli(store, 'return_generated', {
    detail: { return: 'canptl', weekEnding, files: files.length, ...(preview ? { preview } : {}) },
  });
  const { weekStart, asAt, open62, passedDay28, referralsReceived, firstSeen, testNumbersLeftOut } =
    canptlTotals(canptl);
  process.stdout.write(
    `${JSON.stringify({ weekEnding, weekStart, asAt, preview, open62, passedDay28: passedDay28.total, referralsReceived: referralsReceived.total, firstSeen: firstSeen.total, testNumbersLeftOut, files })}\n`,
  );
}

/**
 * `openptl codes`: the code lists a trust keeps for the national record (one JSON line each),
 * `codes set LIST CODE LABEL [--maps VALUE] [--confirmed] [--comment-required]`,
 * `codes remove LIST CODE`, `codes columns [--set FILE]` (FILE: a JSON array of {item, element}).
 */
export function codesCommand(args: string[], clock: WallClock = systemClock): void {
  const usage =
    'openptl codes [--list LIST] [--unconfirmed] | codes set LIST CODE LABEL [--maps VALUE] [--confirmed] [--comment-required] | codes remove LIST CODE | codes columns [--set FILE]  [--db FILE]';
  const { values, positionals } = options(
    args,
    {
      list: { type: 'string' },
      unconfirmed: { type: 'boolean' },
      maps: { type: 'string' },
      confirmed: { type: 'boolean' },
      'comment-required': { type: 'boolean' },
      set: { type: 'string' },
      db: { type: 'string' },
    },
    usage,
  );
  const [action, ...rest] = positionals;
  const { codes } = openDatabase(values.db ?? DEFAULT_DB, clock);
  const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  switch (action) {
    case undefined: {
      if (values.list !== undefined && !(TRUST_LISTS as readonly string[]).includes(values.list))
        throw new CliError(`--list: ${values.list} is not a list the trust keeps; lists: ${TRUST_LISTS.join(', ')}`);
      for (const c of codes.all())
        if ((values.list === undefined || c.list === values.list) && (!values.unconfirmed || !c.confirmed)) print(c);
      return;
    }
    case 'set': {
      const [list, code, label] = rest;
      if (!list || !code || !label || rest.length > 3) throw new CliError(`usage: ${usage}`);
      print(
        codes.set({
          list,
          code,
          label,
          maps: values.maps ?? null,
          confirmed: values.confirmed ?? false,
          commentRequired: values['comment-required'] ?? false,
        }),
      );
      return;
    }
    case 'remove': {
      const [list, code] = rest;
      if (!list || !code || rest.length > 2) throw new CliError(`usage: ${usage}`);
      if (!codes.remove(list, code)) throw new CliError(`${list} has no code ${code}`);
      print({ removed: { list, code } });
      return;
    }
    case 'columns': {
      if (values.set !== undefined) {
        let columns: unknown;
        try {
          columns = JSON.parse(readFileSync(values.set, 'utf8'));
        } catch (err) {
          throw new CliError(`--set: cannot read ${values.set} as JSON: ${(err as Error).message}`);
        }
        if (
          !Array.isArray(columns) ||
          !columns.every(
            (c) => typeof c?.item === 'string' && typeof c?.element === 'string' && c.element.trim() !== '',
          )
        ) {
          throw new CliError('--set: must be a JSON array of {"item", "element"}');
        }
        codes.setColumns(columns as { item: string; element: string }[], RECORD_ITEMS);
      }
      for (const c of codes.columns()) print(c);
      return;
    }
    default:
      throw new CliError(`unknown codes action "${action}"\nusage: ${usage}`);
  }
}

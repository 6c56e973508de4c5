// `openptl lookup load imd FILE` and `openptl lookup show imd` (issue #27): the trust's Index of
// Multiple Deprivation lookup, postcode to IMD decile. A file with any unusable row is refused
// whole (nothing changes); a row with no decile (a postcode outside England) is skipped and counted.
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { systemClock, type WallClock } from '../wall-clock.ts';
import { instantOf } from '../vocabulary/calendar.ts';
import { normalisePostcode } from '../vocabulary/equality.ts';
import { csvRecord } from '../csv.ts';
import { CliError } from './errors.ts';
import { cliActor } from './audit-entry.ts';
import { DEFAULT_DB, ndjsonLines, openDatabase, options } from './store-commands.ts';

const USAGE = 'openptl lookup load imd FILE [--db FILE] | openptl lookup show imd [--db FILE]';
/** Header names taken for each column, compared without regard to case (NSPL calls the one-space postcode pcds). */
const POSTCODE_COLUMNS = ['postcode', 'pcds'];
const DECILE_COLUMNS = ['imd_decile'];
const MAX_PROBLEMS = 5;

export async function lookupCommand(args: string[], clock: WallClock = systemClock): Promise<void> {
  const { values, positionals } = options(args, { db: { type: 'string' } }, USAGE);
  const [action, name, file, ...rest] = positionals;
  if (name !== 'imd' || rest.length > 0) throw new CliError(`usage: ${USAGE}`);
  const db = values.db ?? DEFAULT_DB;
  if (action === 'show') {
    if (file !== undefined) throw new CliError(`usage: ${USAGE}`);
    const { imd } = openDatabase(db, clock, { readOnlyOk: true });
    process.stdout.write(`${JSON.stringify({ lookup: 'imd', postcodes: 0, ...imd.source() })}\n`);
    return;
  }
  if (action !== 'load' || file === undefined) throw new CliError(`usage: ${USAGE}`);
  if (!existsSync(file)) throw new CliError(`no such file ${file}`);
  const { entries, skipped } = await readImdCsv(file);
  const { imd } = openDatabase(db, clock, { mustExist: false });
  imd.replace(entries, { file: basename(file), loadedAt: instantOf(clock.now()), loadedBy: cliActor() });
  process.stdout.write(
    `${JSON.stringify({ lookup: 'imd', postcodes: entries.size, skipped, file: basename(file) })}\n`,
  );
}

/** The file's postcodes and deciles, every row checked: throws a CliError naming the lines at fault. */
export async function readImdCsv(file: string): Promise<{ entries: Map<string, number>; skipped: number }> {
  const entries = new Map<string, number>();
  const problems: string[] = [];
  let skipped = 0;
  let line = 0;
  let columns: { postcode: number; decile: number } | null = null;
  for await (const { text, tooLong } of ndjsonLines(createReadStream(file), 64 * 1024)) {
    line++;
    if (tooLong) throw new CliError(`${file} line ${line}: longer than 64 KB: is this a CSV file?`);
    if (text.trim() === '') continue;
    let fields: string[];
    try {
      fields = csvRecord(line === 1 ? text.replace(/^\uFEFF/, '') : text);
    } catch (err) {
      problems.push(`line ${line}: ${(err as Error).message}`);
      continue;
    }
    if (!columns) {
      const header = fields.map((f) => f.trim().toLowerCase());
      const postcode = header.findIndex((h) => POSTCODE_COLUMNS.includes(h));
      const decile = header.findIndex((h) => DECILE_COLUMNS.includes(h));
      if (postcode === -1 || decile === -1)
        throw new CliError(
          `${file} line 1: the header must name the columns postcode and imd_decile (found: ${header.join(', ').slice(0, 200)})`,
        );
      columns = { postcode, decile };
      continue;
    }
    const rawDecile = (fields[columns.decile] ?? '').trim();
    if (rawDecile === '') {
      skipped++;
      continue;
    }
    const postcode = normalisePostcode(fields[columns.postcode] ?? '');
    const decile = Number(rawDecile);
    if (postcode === null) problems.push(`line ${line}: postcode: not a UK postcode`);
    else if (!Number.isInteger(decile) || decile < 1 || decile > 10)
      problems.push(`line ${line}: imd_decile: must be a whole number from 1 (most deprived) to 10`);
    else if (entries.has(postcode) && entries.get(postcode) !== decile)
      problems.push(`line ${line}: postcode: given twice with different deciles`);
    else entries.set(postcode, decile);
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (!columns) throw new CliError(`${file}: empty: a header row (postcode,imd_decile) and one row per postcode`);
  if (problems.length > 0) throw new CliError(`${file}: nothing loaded:\n  ${problems.join('\n  ')}`);
  return { entries, skipped };
}

// The monthly Cancer Waiting Times submission (DCB0147) as bulk CSV files for the national CWT
// system: every record of the month as the record stood at `asAt` (so a resubmission as at the
// same moment gives the same bytes), at most 8,500 records a file, test NHS numbers (999 range)
// left out and counted, and a validation file of every record that cannot go as it stands.
import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { londonDateOf, monthOf, type Instant, type IsoDate } from '../vocabulary/calendar.ts';
import type { ClockFacts } from '../cwt/clocks.ts';
import { TRUST_LISTS, type TrustListName } from '../vocabulary/cwt-codes.ts';
import type { Store } from '../store/store.ts';
import { eventsAsAt, type HistoryModels } from '../queries/as-at.ts';
import type { ExtractColumn } from '../store/cwt-codes.ts';
import { ITEM_LIST, RECORD_ITEMS, recordsOf, type CwtRecord, type RecordItem } from './cwt-record.ts';
import { csv } from '../csv.ts';
import { writePrivateFiles } from '../private-files.ts';
import { runThrough, SLICE } from '../slices.ts';

/** The national system takes at most this many records in one bulk upload file. */
export const RECORDS_PER_FILE = 8500;

export interface CwtExtract {
  /** YYYY-MM */
  period: string;
  from: IsoDate;
  to: IsoDate;
  asAt: Instant;
  columns: ExtractColumn[];
  /** Records that can go, in order: date, pathway, treatment. */
  records: CwtRecord[];
  /** Records that cannot go as they stand (listed in the validation file), in the same order. */
  heldBack: CwtRecord[];
  /** Records of test NHS numbers (the 999 range): never submitted. */
  testNumbersLeftOut: number;
  /** Provisional codes (not yet confirmed against DCB0147) the records that can go use: "list code". */
  unconfirmedCodes: string[];
}

/** The items whose codes come from the trust's lists, to find the provisional codes in use. */
const TRUST_ITEMS = Object.entries(ITEM_LIST).filter(([, list]) =>
  (TRUST_LISTS as readonly string[]).includes(list),
) as [RecordItem, TrustListName][];

/** The first and last day of a YYYY-MM period. */
export function periodDays(period: string): { from: IsoDate; to: IsoDate } {
  const { first, last } = monthOf(`${period}-01` as IsoDate); // period: YYYY-MM, checked by periodProblem
  return { from: first, to: last };
}

/** The store's modules the monthly return reads. */
export type ExtractModels = HistoryModels & Pick<Store, 'codes'>;

export function buildCwtExtract(store: ExtractModels, period: string, asAt: Instant): CwtExtract {
  return runThrough(cwtExtractSlices(store, period, asAt));
}

/** The extract, yielding every SLICE pathways (slices.ts). */
export function* cwtExtractSlices(store: ExtractModels, period: string, asAt: Instant): Generator<void, CwtExtract> {
  const { codes } = store;
  const { from, to } = periodDays(period);
  const inPeriod = (d: IsoDate | null) => d !== null && d >= from && d <= to;
  const wanted = (f: ClockFacts) =>
    inPeriod(f.fdsStop) || inPeriod(f.treated) || inPeriod(f.removed) || f.subsequent.some((s) => inPeriod(s.treated));
  const records: CwtRecord[] = [];
  const heldBack: CwtRecord[] = [];
  let testNumbersLeftOut = 0;
  let n = 0;
  for (const { pathwayId, events } of eventsAsAt(store, from, to, asAt, wanted)) {
    if (++n % SLICE === 0) yield;
    for (const record of recordsOf(pathwayId, events, { from, to }, codes)) {
      if (record.values.nhsNumber.startsWith('999')) testNumbersLeftOut++;
      else (record.problems.length ? heldBack : records).push(record);
    }
  }
  const order = (a: CwtRecord, b: CwtRecord) =>
    a.date < b.date
      ? -1
      : a.date > b.date
        ? 1
        : a.pathwayId < b.pathwayId
          ? -1
          : a.pathwayId > b.pathwayId
            ? 1
            : a.treatment - b.treatment;
  records.sort(order);
  heldBack.sort(order);
  const unconfirmed = new Set<string>();
  for (const r of records) {
    for (const [item, list] of TRUST_ITEMS) {
      const code = r.values[item];
      if (code !== '' && codes.get(list, code)?.confirmed === false) unconfirmed.add(`${list} ${code}`);
    }
  }
  return {
    period,
    from,
    to,
    asAt,
    columns: codes.columns(),
    records,
    heldBack,
    testNumbersLeftOut,
    unconfirmedCodes: [...unconfirmed].sort(),
  };
}

/** The files of an extract: the parts, then the validation file. */
export function cwtFiles(extract: CwtExtract): [string, string][] {
  const header = extract.columns.map((c) => c.element);
  const row = (r: CwtRecord) => extract.columns.map((c) => r.values[c.item as RecordItem] ?? '');
  const parts: [string, string][] = [];
  for (let i = 0; i === 0 || i < extract.records.length; i += RECORDS_PER_FILE) {
    parts.push([
      `cwt-${extract.period}-part${parts.length + 1}.csv`,
      csv([header, ...extract.records.slice(i, i + RECORDS_PER_FILE).map(row)]),
    ]);
  }
  const element = new Map(extract.columns.map((c) => [c.item, c.element]));
  const problems = extract.heldBack.flatMap((r) =>
    r.problems.map((p) => [
      r.pathwayId,
      r.values.nhsNumber,
      recordName(r),
      r.date,
      element.get(p.item) ?? p.item,
      p.item,
      p.problem,
      p.fix?.event ?? '',
      p.fix?.field ?? '',
    ]),
  );
  const validation: [string, string] = [
    `cwt-${extract.period}-validation.csv`,
    csv([
      ['pathway_id', 'nhs_number', 'record', 'record_date', 'element', 'item', 'problem', 'event_id', 'field'],
      ...problems,
    ]),
  ];
  return [...parts, validation];
}

/** "first treatment", "treatment 2", "faster diagnosis". */
export function recordName(r: CwtRecord): string {
  return r.kind === 'faster_diagnosis'
    ? 'faster diagnosis'
    : r.treatment === 1
      ? 'first treatment'
      : `treatment ${r.treatment}`;
}

export interface CwtSummary {
  period: string;
  asAt: Instant;
  records: number;
  parts: { file: string; records: number }[];
  validationFile: string;
  heldBack: number;
  problems: number;
  testNumbersLeftOut: number;
  unconfirmedCodes: string[];
}

export function cwtSummary(extract: CwtExtract): CwtSummary {
  const n = extract.records.length;
  const parts = Math.max(1, Math.ceil(n / RECORDS_PER_FILE));
  return {
    period: extract.period,
    asAt: extract.asAt,
    records: n,
    parts: Array.from({ length: parts }, (_, i) => ({
      file: `cwt-${extract.period}-part${i + 1}.csv`,
      records: Math.min(RECORDS_PER_FILE, n - i * RECORDS_PER_FILE),
    })),
    validationFile: `cwt-${extract.period}-validation.csv`,
    heldBack: extract.heldBack.length,
    problems: extract.heldBack.reduce((k, r) => k + r.problems.length, 0),
    testNumbersLeftOut: extract.testNumbersLeftOut,
    unconfirmedCodes: extract.unconfirmedCodes,
  };
}

/**
 * Writes the month's files into `dir` (each whole or not at all), and removes parts of the same
 * month left by an earlier run that had more. Returns the paths written and the summary.
 */
export function writeCwtExtract(
  store: ExtractModels,
  period: string,
  asAt: Instant,
  dir: string,
): { files: string[]; summary: CwtSummary } {
  const extract = buildCwtExtract(store, period, asAt);
  const files = cwtFiles(extract);
  const written = writePrivateFiles(dir, files);
  const part = new RegExp(`^cwt-${period}-part(\\d+)\\.csv$`);
  for (const name of readdirSync(dir)) {
    const n = part.exec(name)?.[1];
    if (n !== undefined && Number(n) > files.length - 1) unlinkSync(join(dir, name));
  }
  return { files: written, summary: cwtSummary(extract) };
}

/** The last day of the period must have begun by the moment the return is made as at. */
export function periodProblem(period: string, asAt: string): string | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return `must be a month, YYYY-MM (got ${period})`;
  const { from } = periodDays(period);
  if (from > londonDateOf(new Date(asAt))) return `${period} has not begun by ${asAt}`;
  return null;
}

export { RECORD_ITEMS };

// The monthly Cancer Waiting Times submission (DCB0147) as bulk CSV files for the national CWT
// system: every record of the month as the record stood at `asAt` (so a resubmission as at the
// same moment gives the same bytes), at most 8,500 records a file, test NHS numbers (999 range)
// left out and counted, and a validation file of every record that cannot go as it stands.
// Two layouts (issue #24): `trust`, the trust's column table with a header row naming each column
// by its data dictionary element, for people to review; `national`, the upload layout: no header,
// the items in the national order (NATIONAL_ORDER; docs/returns.md says which of it is confirmed).
// A preview includes the test numbers, so a work list can be tried on demo data: every file of it
// is named and headed as not for submission.
import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { londonDateOf, monthOf, type Instant, type IsoDate } from '../vocabulary/calendar.ts';
import type { ClockFacts } from '../cwt/clocks.ts';
import { TRUST_LISTS, type TrustListName } from '../vocabulary/cwt-codes.ts';
import type { Store } from '../store/store.ts';
import { eventsAsAt, type HistoryModels } from '../queries/as-at.ts';
import type { ExtractColumn } from '../store/cwt-codes.ts';
import { ITEM_LIST, RECORD_ITEMS, recordsOf, type CwtRecord, type RecordItem } from './cwt-record.ts';
import { isTestNhsNumber } from '../vocabulary/nhs-number.ts';
import { csv } from '../csv.ts';
import { writePrivateFiles } from '../private-files.ts';
import { runThrough, SLICE } from '../slices.ts';

/** The national system takes at most this many records in one bulk upload file. */
export const RECORDS_PER_FILE = 8500;

export const LAYOUTS = ['trust', 'national'] as const;
export type Layout = (typeof LAYOUTS)[number];

/**
 * The national upload layout: the items in the data set's group order, as the NHS Data Dictionary's
 * National Cancer Waiting Times Monitoring Data Set lists them. The first 22 (to TUMOUR LATERALITY)
 * are confirmed in that order; the rest follow the data set's groups, their order within them not
 * confirmed (the requirements specification's CSV layout, 54 fields, was not to hand).
 */
export const NATIONAL_ORDER: readonly RecordItem[] = RECORD_ITEMS;
export const NATIONAL_ORDER_CONFIRMED = 22;

/** The first line of every file of a preview: it includes test NHS numbers and must never be uploaded. */
export const PREVIEW_MARK = 'NOT FOR SUBMISSION: a preview that includes test NHS numbers (999 range)';

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
  /** Records of test NHS numbers (the 999 range) left out: never submitted. */
  testNumbersLeftOut: number;
  /** A preview (issue #24): test numbers included, every file marked as not for submission. */
  preview: boolean;
  /** Records of test NHS numbers included in a preview. */
  testNumbersIncluded: number;
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

export interface ExtractOptions {
  /** Include test NHS numbers (999 range), marking every file as not for submission. */
  preview?: boolean;
}

export function buildCwtExtract(
  store: ExtractModels,
  period: string,
  asAt: Instant,
  options: ExtractOptions = {},
): CwtExtract {
  return runThrough(cwtExtractSlices(store, period, asAt, options));
}

/** The extract, yielding every SLICE pathways (slices.ts). */
export function* cwtExtractSlices(
  store: ExtractModels,
  period: string,
  asAt: Instant,
  { preview = false }: ExtractOptions = {},
): Generator<void, CwtExtract> {
  const { codes } = store;
  const { from, to } = periodDays(period);
  const inPeriod = (d: IsoDate | null) => d !== null && d >= from && d <= to;
  const wanted = (f: ClockFacts) =>
    inPeriod(f.fdsStop) || inPeriod(f.treated) || inPeriod(f.removed) || f.subsequent.some((s) => inPeriod(s.treated));
  const records: CwtRecord[] = [];
  const heldBack: CwtRecord[] = [];
  let testNumbers = 0;
  let n = 0;
  for (const { pathwayId, events, details } of eventsAsAt(store, from, to, asAt, wanted)) {
    if (++n % SLICE === 0) yield;
    const patient = {
      nhsNumber: details.nhsNumber,
      name: details.patientName,
      tumourSite: details.tumourSite,
      provider: details.provider,
    };
    for (const record of recordsOf(pathwayId, events, { from, to }, codes, patient)) {
      const test = isTestNhsNumber(record.values.nhsNumber);
      if (test) testNumbers++;
      if (!test || preview) (record.problems.length ? heldBack : records).push(record);
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
    testNumbersLeftOut: preview ? 0 : testNumbers,
    preview,
    testNumbersIncluded: preview ? testNumbers : 0,
    unconfirmedCodes: [...unconfirmed].sort(),
  };
}

/** A file's name: cwt-2026-10-part1.csv, cwt-2026-10-national-part1.csv; a preview's say so. */
export function cwtFileName(period: string, part: 'validation' | number, layout: Layout, preview: boolean): string {
  const kind = part === 'validation' ? 'validation' : `${layout === 'national' ? 'national-' : ''}part${part}`;
  return `cwt-${period}-${preview ? 'PREVIEW-' : ''}${kind}.csv`;
}

/** The files of an extract in a layout: the parts, then the validation file. */
export function cwtFiles(extract: CwtExtract, layout: Layout = 'trust'): [string, string][] {
  const { period, preview } = extract;
  const items: readonly string[] = layout === 'national' ? NATIONAL_ORDER : extract.columns.map((c) => c.item);
  const header = layout === 'national' ? [] : [extract.columns.map((c) => c.element)];
  const mark = preview ? [[PREVIEW_MARK]] : [];
  const row = (r: CwtRecord) => items.map((item) => r.values[item as RecordItem] ?? '');
  const parts: [string, string][] = [];
  for (let i = 0; i === 0 || i < extract.records.length; i += RECORDS_PER_FILE) {
    parts.push([
      cwtFileName(period, parts.length + 1, layout, preview),
      csv([...mark, ...header, ...extract.records.slice(i, i + RECORDS_PER_FILE).map(row)]),
    ]);
  }
  const element = new Map(extract.columns.map((c) => [c.item, c.element]));
  const problems = extract.heldBack.flatMap((r) =>
    r.problems.map((p) => [
      r.pathwayId,
      r.values.nhsNumber,
      r.patient.name ?? '',
      r.patient.tumourSite,
      r.patient.provider ?? '',
      recordName(r),
      r.date,
      element.get(p.item) ?? p.item,
      p.item,
      p.kind,
      p.problem,
      p.fix?.event ?? '',
      p.fix?.field ?? '',
    ]),
  );
  const validation: [string, string] = [
    cwtFileName(period, 'validation', layout, preview),
    csv([
      ...mark,
      [
        'pathway_id',
        'nhs_number',
        'patient_name',
        'tumour_site',
        'provider',
        'record',
        'record_date',
        'element',
        'item',
        'kind',
        'problem',
        'event_id',
        'field',
      ],
      ...problems,
    ]),
  ];
  return [...parts, validation];
}

/** Both layouts' files, the validation file once: what the API offers for download. */
export function allCwtFiles(extract: CwtExtract): [string, string][] {
  const trust = cwtFiles(extract, 'trust');
  return [...trust.slice(0, -1), ...cwtFiles(extract, 'national').slice(0, -1), trust.at(-1)!];
}

/** "first treatment", "treatment 2", "faster diagnosis". */
export function recordName(r: CwtRecord): string {
  return r.kind === 'faster_diagnosis'
    ? 'faster diagnosis'
    : r.treatment === 1
      ? 'first treatment'
      : `treatment ${r.treatment}`;
}

/** The work list's record types (its filter): the faster diagnosis outcome, the first treatment, a later one. */
export type RecordType = 'faster_diagnosis' | 'first_treatment' | 'later_treatment';
export function recordType(r: CwtRecord): RecordType {
  return r.kind === 'faster_diagnosis' ? 'faster_diagnosis' : r.treatment === 1 ? 'first_treatment' : 'later_treatment';
}

export interface CwtSummary {
  period: string;
  asAt: Instant;
  layout: Layout;
  preview: boolean;
  records: number;
  parts: { file: string; records: number }[];
  validationFile: string;
  heldBack: number;
  problems: number;
  testNumbersLeftOut: number;
  testNumbersIncluded: number;
  unconfirmedCodes: string[];
}

export function cwtSummary(extract: CwtExtract, layout: Layout = 'trust'): CwtSummary {
  const { period, preview } = extract;
  const n = extract.records.length;
  const parts = Math.max(1, Math.ceil(n / RECORDS_PER_FILE));
  return {
    period,
    asAt: extract.asAt,
    layout,
    preview,
    records: n,
    parts: Array.from({ length: parts }, (_, i) => ({
      file: cwtFileName(period, i + 1, layout, preview),
      records: Math.min(RECORDS_PER_FILE, n - i * RECORDS_PER_FILE),
    })),
    validationFile: cwtFileName(period, 'validation', layout, preview),
    heldBack: extract.heldBack.length,
    problems: extract.heldBack.reduce((k, r) => k + r.problems.length, 0),
    testNumbersLeftOut: extract.testNumbersLeftOut,
    testNumbersIncluded: extract.testNumbersIncluded,
    unconfirmedCodes: extract.unconfirmedCodes,
  };
}

/**
 * Writes the month's files in a layout into `dir` (each whole or not at all), and removes parts of
 * the same month, layout and kind left by an earlier run that had more. Returns the paths written and the summary.
 */
export function writeCwtExtract(
  store: ExtractModels,
  period: string,
  asAt: Instant,
  dir: string,
  { layout = 'trust', preview = false }: ExtractOptions & { layout?: Layout } = {},
): { files: string[]; summary: CwtSummary } {
  const extract = buildCwtExtract(store, period, asAt, { preview });
  const files = cwtFiles(extract, layout);
  const written = writePrivateFiles(dir, files);
  const part = new RegExp(`^${cwtFileName(period, 0, layout, preview).replace('part0.csv', 'part(\\d+)\\.csv')}$`);
  for (const name of readdirSync(dir)) {
    const n = part.exec(name)?.[1];
    if (n !== undefined && Number(n) > files.length - 1) unlinkSync(join(dir, name));
  }
  return { files: written, summary: cwtSummary(extract, layout) };
}

/** The last day of the period must have begun by the moment the return is made as at. */
export function periodProblem(period: string, asAt: string): string | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return `must be a month, YYYY-MM (got ${period})`;
  const { from } = periodDays(period);
  if (from > londonDateOf(new Date(asAt))) return `${period} has not begun by ${asAt}`;
  return null;
}

export { RECORD_ITEMS };

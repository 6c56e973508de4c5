// The weekly cancer PTL return (cwt-dataset.md, section 2): a snapshot as at 23:59 on a Sunday
// of every open 62-day pathway by suspected cancer type, with and without a decision to treat,
// in the national bands; the week's activity; and the patients behind every number. Issue #24: the
// CSV is the national collection template (CANPTL62): one row per organisation, section, route and
// tumour type, the national table's columns in its order, the row labels from the trust's tables
// (`openptl codes --list canptl_section|canptl_route|canptl_tumour_type`); first seen is one count,
// face to face and virtual together, as the collection has counted it since May 2022; test NHS
// numbers are left out and counted, as in the monthly return, unless it is a preview.
import {
  addDays,
  dayOfWeek,
  displayDate,
  endOfLondonDay,
  sundayOnOrBefore,
  weekdayName,
  type IsoDate,
} from '../vocabulary/calendar.ts';
import { backlogPosition, BANDS, OVER_104, type Band } from '../cwt/backlog.ts';
import { D62_APPLIES, firstDayOver, mergePauses } from '../cwt/clocks.ts';
import { ROUTES, TUMOUR_SITES, type Route } from '../vocabulary/events.ts';
import { isTestNhsNumber } from '../vocabulary/nhs-number.ts';
import type { TrustListName } from '../vocabulary/cwt-codes.ts';
import { SCREENING_PROGRAMMES, type ScreeningProgramme } from '../vocabulary/timed-pathways.ts';
import { pathwaysAsAt, type HistoryModels, type PathwayAsAt } from '../queries/as-at.ts';
import type { Store } from '../store/store.ts';
import { csv } from '../csv.ts';
import { writePrivateFiles } from '../private-files.ts';
import { runThrough, SLICE } from '../slices.ts';
import { PREVIEW_MARK } from './cwt-extract.ts';

export type CanptlMeasure =
  'open_62_day' | 'passed_day_28' | 'passed_day_62' | 'passed_day_104' | 'treated' | 'referral_received' | 'first_seen';
const MEASURES: CanptlMeasure[] = [
  'open_62_day',
  'passed_day_28',
  'passed_day_62',
  'passed_day_104',
  'treated',
  'referral_received',
  'first_seen',
];

/** The national table's measure columns, in its order (the legacy 0-33 and 34-62 bands are gone since May 2022). */
export const CANPTL_COLUMNS = [
  'Day 0-28',
  'Day 29-62',
  'Day 63-104',
  'Day >104',
  'Number passing day 28 in last 7 days',
  'Number passing day 62 in last 7 days',
  'Number passing day 104 in last 7 days',
  'Number of patients treated by day 62',
  'Number of patients treated day 63-104',
  'Number of patients treated day >104',
  'Referrals and Upgrades Made',
  'Referrals Seen',
] as const;
type Column = (typeof CANPTL_COLUMNS)[number];
/** The row's keys before the measures. */
export const CANPTL_KEYS = ['Week Ending', 'Org Code', 'Section', 'Route', 'Tumour Type'] as const;

/** The template's sections and the columns each fills: the open pathways by decision to treat, then the week's activity. */
const SECTIONS = {
  without_dtt: CANPTL_COLUMNS.slice(0, 7),
  with_dtt: CANPTL_COLUMNS.slice(0, 10),
  activity: CANPTL_COLUMNS.slice(10),
} as const satisfies Record<string, readonly Column[]>;
type Section = keyof typeof SECTIONS;
const BAND_COLUMN: Record<Band, Column> = {
  '0-28': 'Day 0-28',
  '29-62': 'Day 29-62',
  '63-104': 'Day 63-104',
  '105+': 'Day >104',
};

/** The template's route (RowType): screening by its programme, read from the suspected site. */
export const CANPTL_ROUTES = [
  'urgent_suspected_cancer',
  'breast_symptomatic',
  'screening_bowel',
  'screening_breast',
  'screening_cervical',
  'screening_lung',
  'screening_other',
  'consultant_upgrade',
] as const;
type CanptlRoute = (typeof CANPTL_ROUTES)[number];
/** A screening referral's row is its programme's: the one the referral names, else its tumour site's (issue #26). */
function canptlRoute(route: Route, programme: ScreeningProgramme | null): CanptlRoute {
  if (route !== 'screening') return route as CanptlRoute;
  return programme ? `screening_${programme}` : 'screening_other';
}

export interface CanptlPatient {
  measure: CanptlMeasure;
  pathwayId: string;
  nhsNumber: string;
  suspectedCancerType: string;
  route: Route;
  decisionToTreat: boolean;
  /** 62-day days waiting at the snapshot (open pathways), or at the treatment (treated in the week). */
  daysWaiting: number | null;
  band: Band | null;
  /** The date that puts the patient in the measure: referral received, the day passed, treated, first seen. */
  date: IsoDate | null;
}

type Bands = Record<Band, number>;

/** One row of the template: its keys (OpenPTL's values) and its measures. */
export interface CanptlRow {
  org: string;
  section: Section;
  route: CanptlRoute;
  tumourType: string;
  counts: Partial<Record<Column, number>>;
}

export interface Canptl {
  weekEnding: IsoDate;
  weekStart: IsoDate;
  asAt: string;
  /** A preview (issue #24): test NHS numbers included, every file marked as not for submission. */
  preview: boolean;
  /** Patients with a test NHS number (999 range) left out of every count. */
  testNumbersLeftOut: number;
  /** Open 62-day pathways at the snapshot. */
  open62: number;
  open62Bands: Bands;
  open62ByType: Record<string, { total: number; withDecisionToTreat: Bands; withoutDecisionToTreat: Bands }>;
  passedDay28: { total: number; byType: Record<string, number> };
  passedDay62: number;
  passedDay104: number;
  /** First treatments in the week on a 62-day pathway, by the 62-day wait. */
  treated: { byDay62: number; day63To104: number; over104: number };
  /** By route; screening referrals also by their programme (issue #26: given, or implied by the site). */
  referralsReceived: {
    total: number;
    byRoute: Record<Route, number>;
    byScreeningProgramme: Record<ScreeningProgramme, number>;
  };
  /** First seen in the week on an urgent suspected cancer referral, face to face and virtual together. */
  firstSeen: { total: number; byType: Record<string, number> };
  /** The template's rows with a count. */
  rows: CanptlRow[];
  patients: CanptlPatient[];
}

const zeroBands = (): Bands => Object.fromEntries(BANDS.map((b) => [b, 0])) as Bands;
const bySite = <T>(make: () => T) => Object.fromEntries(TUMOUR_SITES.map((s) => [s, make()])) as Record<string, T>;

/** Why a week-ending date cannot be reported (not a Sunday, not yet ended), or null. */
export function weekEndingProblem(date: IsoDate, now: Date): string | null {
  if (dayOfWeek(date) !== 0) {
    const sunday = sundayOnOrBefore(date);
    return `${date} is a ${weekdayName(date)}: the weekly cancer PTL is a snapshot at 23:59 on a Sunday; the Sunday before is ${displayDate(sunday)} (${sunday})`;
  }
  if (endOfLondonDay(date) >= now.toISOString())
    return `the week ending ${displayDate(date)} has not ended yet (it ends at 23:59 that Sunday)`;
  return null;
}

/** The store's modules the weekly return reads: the history, and the trust's labels for the template's rows. */
export type CanptlModels = HistoryModels & Pick<Store, 'codes'>;

export function buildCanptl(store: HistoryModels, weekEnding: IsoDate, options: { preview?: boolean } = {}): Canptl {
  return runThrough(canptlSlices(store, weekEnding, options));
}

/** The return, yielding every SLICE pathways (slices.ts). */
export function* canptlSlices(
  store: HistoryModels,
  weekEnding: IsoDate,
  { preview = false }: { preview?: boolean } = {},
): Generator<void, Canptl> {
  const asAt = endOfLondonDay(weekEnding);
  const weekStart = addDays(weekEnding, -6);
  const inWeek = (d: IsoDate | null) => d !== null && d >= weekStart && d <= weekEnding;
  const c: Canptl = {
    weekEnding,
    weekStart,
    asAt,
    preview,
    testNumbersLeftOut: 0,
    open62: 0,
    open62Bands: zeroBands(),
    open62ByType: bySite(() => ({ total: 0, withDecisionToTreat: zeroBands(), withoutDecisionToTreat: zeroBands() })),
    passedDay28: { total: 0, byType: bySite(() => 0) },
    passedDay62: 0,
    passedDay104: 0,
    treated: { byDay62: 0, day63To104: 0, over104: 0 },
    referralsReceived: {
      total: 0,
      byRoute: Object.fromEntries(ROUTES.filter((r) => D62_APPLIES[r]).map((r) => [r, 0])) as Record<Route, number>,
      byScreeningProgramme: Object.fromEntries(SCREENING_PROGRAMMES.map((p) => [p, 0])) as Record<
        ScreeningProgramme,
        number
      >,
    },
    firstSeen: { total: 0, byType: bySite(() => 0) },
    rows: [],
    patients: [],
  };
  const rows = new Map<string, CanptlRow>();
  // Every pathway open at the snapshot, or with a clinical date in the week (a referral, a first seen, a treatment).
  let n = 0;
  for (const { pathwayId, state, clocks, tumourSite, provider } of pathwaysAsAt(store, weekEnding, asAt, weekStart)) {
    if (++n % SLICE === 0) yield;
    const d = state.details;
    if (!D62_APPLIES[d.route]) continue; // the 31-day-only route is never on the 62-day PTL (issue #24)
    const dtt = state.fold.facts.decisionToTreat !== null;
    const counted = measuresOf(state, clocks, inWeek);
    if (counted.length === 0) continue;
    if (isTestNhsNumber(d.nhsNumber) && !preview) {
      c.testNumbersLeftOut++;
      continue;
    }
    const programme = state.timed.referral.screeningProgramme;
    const route = canptlRoute(d.route, programme);
    for (const [measure, section, column, date, band, daysWaiting] of counted) {
      const key = `${provider ?? ''}|${section}|${route}|${tumourSite}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { org: provider ?? '', section, route, tumourType: tumourSite, counts: {} }));
      row.counts[column] = (row.counts[column] ?? 0) + 1;
      c.patients.push({
        measure,
        pathwayId,
        nhsNumber: d.nhsNumber,
        suspectedCancerType: tumourSite,
        route: d.route,
        decisionToTreat: dtt,
        daysWaiting,
        band,
        date,
      });
      tally(c, measure, tumourSite, d.route, dtt, band, daysWaiting);
      if (measure === 'referral_received' && programme) c.referralsReceived.byScreeningProgramme[programme]++;
    }
  }
  c.rows = [...rows.values()].sort((a, b) => rowOrder(a) - rowOrder(b) || (a.org < b.org ? -1 : a.org > b.org ? 1 : 0));
  c.patients.sort(
    (a, b) =>
      MEASURES.indexOf(a.measure) - MEASURES.indexOf(b.measure) ||
      (a.pathwayId < b.pathwayId ? -1 : a.pathwayId > b.pathwayId ? 1 : 0),
  );
  return c;
}

type Counted = [CanptlMeasure, Section, Column, IsoDate | null, Band | null, number | null];

/** What one pathway counts for in the week: each measure with its section, its column, its date, band and days. */
function measuresOf(
  state: PathwayAsAt['state'],
  clocks: PathwayAsAt['clocks'],
  inWeek: (d: IsoDate | null) => boolean,
): Counted[] {
  const d = state.details;
  const facts = state.fold.facts;
  const section = facts.decisionToTreat !== null ? 'with_dtt' : 'without_dtt';
  const counted: Counted[] = [];
  const position = backlogPosition(clocks);
  if (position) {
    counted.push([
      'open_62_day',
      section,
      BAND_COLUMN[position.band],
      d.referralOn,
      position.band,
      position.daysWaiting,
    ]);
    if (inWeek(clocks.d62.breachDate))
      counted.push([
        'passed_day_62',
        section,
        'Number passing day 62 in last 7 days',
        clocks.d62.breachDate,
        null,
        null,
      ]);
    const day105 = firstDayOver(OVER_104, facts.start, mergePauses(facts.pauses));
    if (inWeek(day105))
      counted.push(['passed_day_104', section, 'Number passing day 104 in last 7 days', day105, null, null]);
  }
  // Day 29 of the faster diagnosis standard fell in the week, with no FDS end by the snapshot.
  if (clocks.fds.state === 'running' && inWeek(clocks.fds.breachDate))
    counted.push(['passed_day_28', section, 'Number passing day 28 in last 7 days', clocks.fds.breachDate, null, null]);
  if (clocks.d62.state === 'stopped' && inWeek(clocks.d62.stop)) {
    const days = clocks.d62.days!;
    const column =
      days <= 62
        ? 'Number of patients treated by day 62'
        : days <= OVER_104
          ? 'Number of patients treated day 63-104'
          : 'Number of patients treated day >104';
    counted.push(['treated', 'with_dtt', column, clocks.d62.stop, null, days]);
  }
  if (inWeek(d.referralOn))
    counted.push(['referral_received', 'activity', 'Referrals and Upgrades Made', d.referralOn, null, null]);
  if (d.route === 'urgent_suspected_cancer' && inWeek(state.fold.firstSeenOn))
    counted.push(['first_seen', 'activity', 'Referrals Seen', state.fold.firstSeenOn, null, null]);
  return counted;
}

/** The totals of the JSON and the page, from one counted patient. */
function tally(
  c: Canptl,
  measure: CanptlMeasure,
  tumourSite: string,
  route: Route,
  dtt: boolean,
  band: Band | null,
  days: number | null,
): void {
  switch (measure) {
    case 'open_62_day': {
      c.open62++;
      c.open62Bands[band!]++;
      const type = (c.open62ByType[tumourSite] ??= {
        total: 0,
        withDecisionToTreat: zeroBands(),
        withoutDecisionToTreat: zeroBands(),
      });
      type.total++;
      type[dtt ? 'withDecisionToTreat' : 'withoutDecisionToTreat'][band!]++;
      break;
    }
    case 'passed_day_28':
      c.passedDay28.total++;
      c.passedDay28.byType[tumourSite] = (c.passedDay28.byType[tumourSite] ?? 0) + 1;
      break;
    case 'passed_day_62':
      c.passedDay62++;
      break;
    case 'passed_day_104':
      c.passedDay104++;
      break;
    case 'treated':
      c.treated[days! <= 62 ? 'byDay62' : days! <= OVER_104 ? 'day63To104' : 'over104']++;
      break;
    case 'referral_received':
      c.referralsReceived.total++;
      c.referralsReceived.byRoute[route]++;
      break;
    case 'first_seen':
      c.firstSeen.total++;
      c.firstSeen.byType[tumourSite] = (c.firstSeen.byType[tumourSite] ?? 0) + 1;
      break;
  }
}

/** The template's row order: section, route, tumour type. */
function rowOrder(r: Pick<CanptlRow, 'section' | 'route' | 'tumourType'>): number {
  const sections = Object.keys(SECTIONS);
  return (
    (sections.indexOf(r.section) * CANPTL_ROUTES.length + CANPTL_ROUTES.indexOf(r.route)) * TUMOUR_SITES.length +
    TUMOUR_SITES.indexOf(r.tumourType as (typeof TUMOUR_SITES)[number])
  );
}

/** The return without its patient list: the JSON file and the API's answer. */
export function canptlTotals(c: Canptl): Omit<Canptl, 'patients'> {
  const { patients: _p, ...totals } = c;
  return totals;
}

/** A file's name: canptl-2026-11-22.csv; a preview's say so. */
const fileName = (c: Canptl, suffix: string) => `canptl-${c.weekEnding}${c.preview ? '-PREVIEW' : ''}${suffix}`;

/** What the trust's tables call a row's section, route and tumour type (OpenPTL's value when a table has none). */
export type RowLabels = (list: TrustListName, value: string) => string;

/**
 * The files: the template (every section, route and tumour type of each organisation counted, the
 * columns a section does not fill left empty), the totals as JSON, and the patient behind every number.
 */
export function canptlFiles(c: Canptl, labels: RowLabels = (_l, v) => v): [string, string][] {
  const mark = c.preview ? [[PREVIEW_MARK]] : [];
  const counted = new Map(c.rows.map((r) => [`${r.org}|${r.section}|${r.route}|${r.tumourType}`, r.counts]));
  const orgs = [...new Set(c.rows.map((r) => r.org))].sort();
  const template: unknown[][] = [...mark, [...CANPTL_KEYS, ...CANPTL_COLUMNS]];
  for (const org of orgs)
    for (const [section, columns] of Object.entries(SECTIONS))
      for (const route of CANPTL_ROUTES)
        for (const type of TUMOUR_SITES) {
          const counts = counted.get(`${org}|${section}|${route}|${type}`) ?? {};
          template.push([
            c.weekEnding,
            org,
            labels('canptl_section', section),
            labels('canptl_route', route),
            labels('canptl_tumour_type', type),
            ...CANPTL_COLUMNS.map((col) => ((columns as readonly Column[]).includes(col) ? (counts[col] ?? 0) : '')),
          ]);
        }
  const patients = [
    ...mark,
    [
      'measure',
      'pathway_id',
      'nhs_number',
      'suspected_cancer_type',
      'route',
      'decision_to_treat',
      'days_waiting',
      'band',
      'date',
    ],
    ...c.patients.map((p) => [
      p.measure,
      p.pathwayId,
      p.nhsNumber,
      p.suspectedCancerType,
      p.route,
      p.decisionToTreat ? 'Y' : 'N',
      p.daysWaiting ?? '',
      p.band ?? '',
      p.date ?? '',
    ]),
  ];
  const totals = c.preview ? { notForSubmission: PREVIEW_MARK, ...canptlTotals(c) } : canptlTotals(c);
  return [
    [fileName(c, '.csv'), csv(template)],
    [fileName(c, '.json'), `${JSON.stringify(totals, null, 2)}\n`],
    [fileName(c, '-patients.csv'), csv(patients)],
  ];
}

/** The trust's label for a row value (cwt_code_list, migration 060), or the value itself. */
export function rowLabels({ codes }: Pick<Store, 'codes'>): RowLabels {
  return (list, value) => codes.codeFor(list, value)?.label ?? value;
}

export function writeCanptl(
  store: CanptlModels,
  weekEnding: IsoDate,
  dir: string,
  options: { preview?: boolean } = {},
): { files: string[]; canptl: Canptl } {
  const canptl = buildCanptl(store, weekEnding, options);
  return { files: writePrivateFiles(dir, canptlFiles(canptl, rowLabels(store))), canptl };
}

// The weekly cancer PTL return (cwt-dataset.md, section 2): a snapshot as at 23:59 on a Sunday
// of every open 62-day pathway by suspected cancer type, with and without a decision to treat,
// in the national bands; those who passed day 28 of the faster diagnosis standard that week;
// referrals and upgrades received that week by route; first seen that week on an urgent
// suspected cancer referral; and the patients behind every number, for validation.
import {
  addDays,
  dayOfWeek,
  displayDate,
  endOfLondonDay,
  sundayOnOrBefore,
  weekdayName,
  type IsoDate,
} from '../vocabulary/calendar.ts';
import { backlogPosition, BANDS, type Band } from '../cwt/backlog.ts';
import { ROUTES, TUMOUR_SITES, type Route } from '../vocabulary/events.ts';
import { SCREENING_PROGRAMMES, type ScreeningProgramme } from '../vocabulary/timed-pathways.ts';
import { pathwaysAsAt, type HistoryModels } from '../queries/as-at.ts';
import { csv } from '../csv.ts';
import { writePrivateFiles } from '../private-files.ts';
import { runThrough, SLICE } from '../slices.ts';

export type CanptlMeasure = 'open_62_day' | 'passed_day_28' | 'referral_received' | 'first_seen';
const MEASURES: CanptlMeasure[] = ['open_62_day', 'passed_day_28', 'referral_received', 'first_seen'];

export interface CanptlPatient {
  measure: CanptlMeasure;
  pathwayId: string;
  nhsNumber: string;
  suspectedCancerType: string;
  route: Route;
  decisionToTreat: boolean;
  /** 62-day days waiting at the snapshot (open pathways). */
  daysWaiting: number | null;
  band: Band | null;
  /** The date that puts the patient in the measure: referral received, day 29 of the FDS, first seen. */
  date: IsoDate | null;
}

type Bands = Record<Band, number>;

export interface Canptl {
  weekEnding: IsoDate;
  weekStart: IsoDate;
  asAt: string;
  /** Open 62-day pathways at the snapshot. */
  open62: number;
  open62Bands: Bands;
  open62ByType: Record<string, { total: number; withDecisionToTreat: Bands; withoutDecisionToTreat: Bands }>;
  passedDay28: { total: number; byType: Record<string, number> };
  /** By route; screening referrals also by their programme (issue #26: given, or implied by the site). */
  referralsReceived: {
    total: number;
    byRoute: Record<Route, number>;
    byScreeningProgramme: Record<ScreeningProgramme, number>;
  };
  firstSeen: { total: number; byType: Record<string, number> };
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

export function buildCanptl(store: HistoryModels, weekEnding: IsoDate): Canptl {
  return runThrough(canptlSlices(store, weekEnding));
}

/** The return, yielding every SLICE pathways (slices.ts). */
export function* canptlSlices(store: HistoryModels, weekEnding: IsoDate): Generator<void, Canptl> {
  const asAt = endOfLondonDay(weekEnding);
  const weekStart = addDays(weekEnding, -6);
  const inWeek = (d: IsoDate | null) => d !== null && d >= weekStart && d <= weekEnding;
  const c: Canptl = {
    weekEnding,
    weekStart,
    asAt,
    open62: 0,
    open62Bands: zeroBands(),
    open62ByType: bySite(() => ({ total: 0, withDecisionToTreat: zeroBands(), withoutDecisionToTreat: zeroBands() })),
    passedDay28: { total: 0, byType: bySite(() => 0) },
    referralsReceived: {
      total: 0,
      byRoute: Object.fromEntries(ROUTES.map((r) => [r, 0])) as Record<Route, number>,
      byScreeningProgramme: Object.fromEntries(SCREENING_PROGRAMMES.map((p) => [p, 0])) as Record<
        ScreeningProgramme,
        number
      >,
    },
    firstSeen: { total: 0, byType: bySite(() => 0) },
    patients: [],
  };
  // Every pathway open at the snapshot, or with a clinical date in the week (a referral, a first seen).
  let n = 0;
  for (const { pathwayId, state, clocks, tumourSite } of pathwaysAsAt(store, weekEnding, asAt, weekStart)) {
    if (++n % SLICE === 0) yield;
    const d = state.details;
    const facts = state.fold.facts;
    const patient = (
      measure: CanptlMeasure,
      date: IsoDate | null,
      band: Band | null = null,
      daysWaiting: number | null = null,
    ) =>
      c.patients.push({
        measure,
        pathwayId,
        nhsNumber: d.nhsNumber,
        suspectedCancerType: tumourSite,
        route: d.route,
        decisionToTreat: facts.decisionToTreat !== null,
        daysWaiting,
        band,
        date,
      });
    const position = backlogPosition(clocks);
    if (position) {
      c.open62++;
      c.open62Bands[position.band]++;
      const type = (c.open62ByType[tumourSite] ??= {
        total: 0,
        withDecisionToTreat: zeroBands(),
        withoutDecisionToTreat: zeroBands(),
      });
      type.total++;
      type[facts.decisionToTreat ? 'withDecisionToTreat' : 'withoutDecisionToTreat'][position.band]++;
      patient('open_62_day', d.referralOn, position.band, position.daysWaiting);
    }
    // Day 29 of the faster diagnosis standard fell in the week, with no FDS end by the snapshot.
    if (clocks.fds.state === 'running' && inWeek(clocks.fds.breachDate)) {
      c.passedDay28.total++;
      c.passedDay28.byType[tumourSite] = (c.passedDay28.byType[tumourSite] ?? 0) + 1;
      patient('passed_day_28', clocks.fds.breachDate);
    }
    if (inWeek(d.referralOn)) {
      c.referralsReceived.total++;
      c.referralsReceived.byRoute[d.route]++;
      const programme = state.timed.referral.screeningProgramme;
      if (programme) c.referralsReceived.byScreeningProgramme[programme]++;
      patient('referral_received', d.referralOn);
    }
    if (d.route === 'urgent_suspected_cancer' && inWeek(state.fold.firstSeenOn)) {
      c.firstSeen.total++;
      c.firstSeen.byType[tumourSite] = (c.firstSeen.byType[tumourSite] ?? 0) + 1;
      patient('first_seen', state.fold.firstSeenOn);
    }
  }
  c.patients.sort(
    (a, b) =>
      MEASURES.indexOf(a.measure) - MEASURES.indexOf(b.measure) ||
      (a.pathwayId < b.pathwayId ? -1 : a.pathwayId > b.pathwayId ? 1 : 0),
  );
  return c;
}

/** The return without its patient list: the JSON file and the API's answer. */
export function canptlTotals(c: Canptl): Omit<Canptl, 'patients'> {
  const { patients: _p, ...totals } = c;
  return totals;
}

export function canptlFiles(c: Canptl): [string, string][] {
  const rows: unknown[][] = [['measure', 'suspected_cancer_type', 'decision_to_treat', 'band', 'route', 'count']];
  rows.push(['open_62_day', 'all', '', '', '', c.open62]);
  for (const [type, t] of Object.entries(c.open62ByType)) {
    for (const [dtt, bands] of [
      ['Y', t.withDecisionToTreat],
      ['N', t.withoutDecisionToTreat],
    ] as const) {
      for (const band of BANDS) rows.push(['open_62_day', type, dtt, band, '', bands[band]]);
    }
  }
  rows.push(['passed_day_28', 'all', '', '', '', c.passedDay28.total]);
  for (const [type, n] of Object.entries(c.passedDay28.byType)) rows.push(['passed_day_28', type, '', '', '', n]);
  rows.push(['referral_received', '', '', '', 'all', c.referralsReceived.total]);
  for (const [route, n] of Object.entries(c.referralsReceived.byRoute))
    rows.push(['referral_received', '', '', '', route, n]);
  rows.push(['first_seen', 'all', '', '', 'urgent_suspected_cancer', c.firstSeen.total]);
  for (const [type, n] of Object.entries(c.firstSeen.byType))
    rows.push(['first_seen', type, '', '', 'urgent_suspected_cancer', n]);
  const patients = [
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
  return [
    [`canptl-${c.weekEnding}.csv`, csv(rows)],
    [`canptl-${c.weekEnding}.json`, `${JSON.stringify(canptlTotals(c), null, 2)}\n`],
    [`canptl-${c.weekEnding}-patients.csv`, csv(patients)],
  ];
}

export function writeCanptl(
  store: HistoryModels,
  weekEnding: IsoDate,
  dir: string,
): { files: string[]; canptl: Canptl } {
  const canptl = buildCanptl(store, weekEnding);
  return { files: writePrivateFiles(dir, canptlFiles(canptl)), canptl };
}

// Timed pathways over many patients (issue #26): where the days go (the step statistics of the
// last 4 and 12 weeks, with the patients behind every number) and FIT for lower GI referrals
// (the share with a result, and with one of 10 or more, by week; the referrals awaiting triage
// without a result or below 10, for clinical review). Read "as at" the end of the day: only what
// was recorded by then counts. Generators that yield every SLICE pathways (src/slices.ts).
import { addDays, daysBetween, endOfLondonDay, sundayOnOrBefore, type IsoDate } from '../vocabulary/calendar.ts';
import { FIT_THRESHOLD } from '../vocabulary/timed-pathways.ts';
import {
  milestoneInstances,
  stepStatistics,
  type MilestoneInstance,
  type PathwayStatistics,
} from '../cwt/timed-statistics.ts';
import { milestonesOfState, referredSiteOf, type PathwayState } from '../domain/pathway.ts';
import { stateFromRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';
import { SLICE } from '../slices.ts';
import { pathwaysAsAt, readFor, type HistoryModels, type PathwayAsAt } from './as-at.ts';

export const STATISTICS_WEEKS = [4, 12] as const;
export type StatisticsWeeks = (typeof STATISTICS_WEEKS)[number];

export interface TimedPathwayPeriod {
  weeks: StatisticsWeeks;
  /** Milestones due from `from` to `to` (the day before the as-of date: a milestone due today may still be met). */
  from: IsoDate;
  to: IsoDate;
  pathways: PathwayStatistics[];
  /** The patients behind every number. */
  instances: MilestoneInstance[];
}

export interface TimedPathwayStatistics {
  asOf: IsoDate;
  periods: Record<StatisticsWeeks, TimedPathwayPeriod>;
}

export type TimedModels = HistoryModels & Pick<Store, 'timed'>;

/**
 * The step statistics of the periods asked for, read one pathway at a time: `add` each pathway as
 * it stood (read with `since` as the as-at reader's activeSince, or earlier), then `done`. With
 * `providers`, only the pathways at those providers then (a scoped user, issue #25).
 */
export function timedPathwayReader(
  { timed }: Pick<Store, 'timed'>,
  asOf: IsoDate,
  providers: readonly string[] | null = null,
  weeks: readonly StatisticsWeeks[] = STATISTICS_WEEKS,
) {
  const definitions = timed.definitions();
  const to = addDays(asOf, -1);
  const earliest = addDays(asOf, -7 * Math.max(...weeks));
  const latestDay = Math.max(0, ...definitions.flatMap((d) => d.milestones.map((m) => m.day)));
  // A pathway closed before this day had every milestone due before the longest period began.
  const since = addDays(earliest, -latestDay - 1);
  // Each period's milestones due in it, made as each pathway is read (its other milestones not kept).
  const periods = weeks.map((w) => ({ weeks: w, from: addDays(asOf, -7 * w), instances: [] as MilestoneInstance[] }));
  return {
    since,
    add(p: PathwayAsAt): void {
      if (!readFor(p, since)) return;
      if (providers !== null && (p.provider === null || !providers.includes(p.provider))) return;
      const { definition, planned } = milestonesOfState(p.state, definitions, p.clocks.status === 'open');
      if (!definition || planned.every((m) => m.dueOn < earliest)) return;
      const read = [{ pathwayId: p.pathwayId, pathway: definition.pathway, start: p.state.fold.facts.start, planned }];
      for (const period of periods)
        period.instances.push(...milestoneInstances(read, definitions, period.from, to, asOf));
    },
    done(): TimedPathwayPeriod[] {
      return periods.map(({ weeks: w, from, instances }) => ({
        weeks: w,
        from,
        to,
        pathways: stepStatistics(instances, definitions),
        instances,
      }));
    },
  };
}

/** The step statistics of the last 4 and 12 weeks, in one pass yielding every SLICE pathways. */
export function* timedPathwaySlices(
  store: TimedModels,
  asOf: IsoDate,
  providers: readonly string[] | null = null,
): Generator<void, TimedPathwayStatistics> {
  const reader = timedPathwayReader(store, asOf, providers);
  let n = 0;
  for (const p of pathwaysAsAt(store, asOf, endOfLondonDay(asOf), reader.since)) {
    if (++n % SLICE === 0) yield;
    reader.add(p);
  }
  const [four, twelve] = reader.done();
  return { asOf, periods: { 4: four!, 12: twelve! } };
}

// ---- FIT (lower GI) -------------------------------------------------------------------------

export interface FitWeek {
  /** Monday to Sunday. */
  from: IsoDate;
  to: IsoDate;
  /** Lower GI urgent suspected cancer referrals received. */
  referrals: number;
  withResult: number;
  /** With a result of FIT_THRESHOLD or more. */
  atThreshold: number;
  withResultShare: number | null;
  atThresholdShare: number | null;
}

export interface FitReviewPatient {
  pathwayId: string;
  nhsNumber: string;
  patientName: string | null;
  referralOn: IsoDate;
  daysWaiting: number;
  /** Why it is listed: no result, or one below the threshold. */
  reason: 'no_result' | 'below_threshold';
  fitResult: number | null;
  fitTestedOn: IsoDate | null;
  fitNotDoneReason: string | null;
}

export interface FitAnswer {
  asOf: IsoDate;
  threshold: number;
  weeks: FitWeek[];
  /** Open lower GI referrals awaiting triage without a result or below the threshold: for clinical review, never refused. */
  review: FitReviewPatient[];
}

/** Was the pathway a symptomatic lower GI referral (screening's FIT is another test, with another threshold)? */
const symptomaticLowerGi = (state: PathwayState) =>
  referredSiteOf(state) === 'lower_gi' && state.details.route === 'urgent_suspected_cancer';

/** The FIT shares of the last `weeks` weeks (Monday to Sunday, the last one this week so far) and the review list. */
export function* fitSlices(
  store: HistoryModels & Pick<Store, 'rows'>,
  asOf: IsoDate,
  weeks: number,
): Generator<void, FitAnswer> {
  const monday = addDays(sundayOnOrBefore(addDays(asOf, -1)), 1);
  const first = addDays(monday, -7 * (weeks - 1));
  const counts: FitWeek[] = Array.from({ length: weeks }, (_, k) => ({
    from: addDays(first, 7 * k),
    to: addDays(first, 7 * k + 6),
    referrals: 0,
    withResult: 0,
    atThreshold: 0,
    withResultShare: null,
    atThresholdShare: null,
  }));
  let n = 0;
  for (const { state } of pathwaysAsAt(store, asOf, endOfLondonDay(asOf), first)) {
    if (++n % SLICE === 0) yield;
    const r = state.timed.referral;
    const on = state.details.referralOn;
    if (!symptomaticLowerGi(state) || on < first || on > asOf) continue;
    const week = counts[Math.floor(daysBetween(first, on) / 7)]!;
    week.referrals++;
    if (r.fitResult !== null) week.withResult++;
    if (r.fitResult !== null && r.fitResult >= FIT_THRESHOLD) week.atThreshold++;
  }
  for (const w of counts) {
    w.withResultShare = w.referrals ? w.withResult / w.referrals : null;
    w.atThresholdShare = w.referrals ? w.atThreshold / w.referrals : null;
  }
  const { rows } = store;
  const review: FitReviewPatient[] = [];
  for (const row of rows.openAtStage('awaiting_triage')) {
    const state = stateFromRow(row);
    const r = state.timed.referral;
    if (!symptomaticLowerGi(state) || (r.fitResult !== null && r.fitResult >= FIT_THRESHOLD)) continue;
    review.push({
      pathwayId: row.pathway_id,
      nhsNumber: row.nhs_number,
      patientName: row.patient_name,
      referralOn: row.referral_on,
      daysWaiting: daysBetween(state.fold.facts.start, asOf),
      reason: r.fitResult === null ? 'no_result' : 'below_threshold',
      fitResult: r.fitResult,
      fitTestedOn: r.fitTestedOn,
      fitNotDoneReason: r.fitNotDoneReason,
    });
  }
  review.sort((a, b) =>
    a.referralOn < b.referralOn ? -1 : a.referralOn > b.referralOn ? 1 : a.pathwayId < b.pathwayId ? -1 : 1,
  );
  return { asOf, threshold: FIT_THRESHOLD, weeks: counts, review };
}

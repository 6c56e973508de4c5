// Where the days go (issue #26): per timed pathway definition, over a period, how many patients
// met each milestone, and how long each step took against the days allowed. Pure: fed each
// pathway's milestones (milestones.ts), it counts.
//
// - A milestone counts in the period when it fell due in it (due by a day from `from` to `to`);
//   it was met (on or before its day), met late, or not met yet (late). Milestones left out of a
//   pathway (not needed once a later one was met, or the pathway closed) are not counted.
// - A step runs from the milestone before it (or the clock start) to this one met; a patient still
//   waiting counts with the days so far (to the as-of date): a lower bound. A patient who has not
//   reached the step (the milestone before is not met yet) counts in the shares, not in its days.
//   The days allowed for the step are the difference of the two milestones' days (a milestone
//   left out, not needed, makes the step run from the one before it).
// - Median and 90th percentile are by nearest rank (the value at rank ceil(p x n) of the sorted
//   days), so they can be counted by hand. The days beyond are the sum over patients of the days a
//   step took past those allowed; the step with the most is where the days go.
import { daysBetween, type IsoDate } from '../vocabulary/calendar.ts';
import type { TimedPathwayDefinition } from '../vocabulary/timed-pathways.ts';
import type { PlannedMilestone } from './milestones.ts';

export type MilestoneOutcome = 'met' | 'met_late' | 'late';

/** One pathway as the count reads it. */
export interface PathwayMilestones {
  pathwayId: string;
  /** Its definition's name. */
  pathway: string;
  /** The clock start the days are counted from. */
  start: IsoDate;
  planned: readonly PlannedMilestone[];
}

/** A patient behind a number: one milestone of one pathway that fell due in the period. */
export interface MilestoneInstance {
  pathwayId: string;
  pathway: string;
  milestone: string;
  outcome: MilestoneOutcome;
  dueOn: IsoDate;
  metOn: IsoDate | null;
  /** Days the step took (so far, when not met); null when the patient has not reached it. */
  stepDays: number | null;
  /** Days allowed for the step. */
  allowed: number;
}

export interface StepStatistics {
  name: string;
  /** The milestone's day, and the days allowed for the step that ends with it. */
  day: number;
  allowed: number;
  /** Fell due in the period; of them, met on time, met late, not met yet. */
  due: number;
  met: number;
  metLate: number;
  late: number;
  /** Of those due, the patients whose days the step counts: those who reached it. */
  measured: number;
  /** Met on time, of those due; null when none fell due. */
  metShare: number | null;
  medianDays: number | null;
  p90Days: number | null;
  /** Days the step took past those allowed, added up over the patients. */
  daysBeyond: number;
}

export interface PathwayStatistics {
  pathway: string;
  label: string;
  /** Patients with a milestone due in the period. */
  patients: number;
  steps: StepStatistics[];
  /** The step with the most days beyond those allowed (null when none went beyond). */
  slowestStep: string | null;
}

/** Every milestone that fell due in [from, to], with how it went, as of `asOf` (at or after `to`). */
export function milestoneInstances(
  pathways: Iterable<PathwayMilestones>,
  definitions: readonly TimedPathwayDefinition[],
  from: IsoDate,
  to: IsoDate,
  asOf: IsoDate,
): MilestoneInstance[] {
  const days = new Map(definitions.map((d) => [d.pathway, d]));
  const out: MilestoneInstance[] = [];
  for (const p of pathways) {
    if (!days.has(p.pathway)) continue;
    let refOn: IsoDate | null = p.start; // null once a milestone is not met: the later steps are not reached
    let refDay = 0;
    for (const m of p.planned) {
      if (m.dueOn >= from && m.dueOn <= to) {
        const end = m.metOn ?? asOf;
        out.push({
          pathwayId: p.pathwayId,
          pathway: p.pathway,
          milestone: m.name,
          outcome: m.metOn === null ? 'late' : m.metOn <= m.dueOn ? 'met' : 'met_late',
          dueOn: m.dueOn,
          metOn: m.metOn,
          stepDays: refOn === null ? null : Math.max(0, daysBetween(refOn > end ? end : refOn, end)),
          allowed: Math.max(0, m.day - refDay),
        });
      }
      if (m.metOn === null) refOn = null;
      else if (refOn !== null) refOn = m.metOn > refOn ? m.metOn : refOn;
      refDay = m.day;
    }
  }
  return out;
}

/** The counts per definition and step, in the definitions' order (prostate first). */
export function stepStatistics(
  instances: readonly MilestoneInstance[],
  definitions: readonly TimedPathwayDefinition[],
): PathwayStatistics[] {
  return definitions.map((d) => {
    const mine = instances.filter((i) => i.pathway === d.pathway);
    let previousDay = 0;
    const steps = d.milestones.map((m): StepStatistics => {
      const of = mine.filter((i) => i.milestone === m.name);
      const timed = of.filter((i) => i.stepDays !== null);
      const days = timed.map((i) => i.stepDays!).sort((a, b) => a - b);
      const met = of.filter((i) => i.outcome === 'met').length;
      const step: StepStatistics = {
        name: m.name,
        day: m.day,
        allowed: Math.max(0, m.day - previousDay),
        due: of.length,
        met,
        metLate: of.filter((i) => i.outcome === 'met_late').length,
        late: of.filter((i) => i.outcome === 'late').length,
        measured: timed.length,
        metShare: of.length ? met / of.length : null,
        medianDays: nearestRank(days, 0.5),
        p90Days: nearestRank(days, 0.9),
        daysBeyond: timed.reduce((sum, i) => sum + Math.max(0, i.stepDays! - i.allowed), 0),
      };
      previousDay = m.day;
      return step;
    });
    const slowest = steps.reduce<StepStatistics | null>(
      (a, s) => (s.daysBeyond > 0 && (a === null || s.daysBeyond > a.daysBeyond) ? s : a),
      null,
    );
    return {
      pathway: d.pathway,
      label: d.label,
      patients: new Set(mine.map((i) => i.pathwayId)).size,
      steps,
      slowestStep: slowest?.name ?? null,
    };
  });
}

/** The value at rank ceil(p x n) of sorted values; null when there are none. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

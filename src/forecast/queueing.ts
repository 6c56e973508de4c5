// The resource table's figures, from the queueing relations of Fong et al. (2022), "Understanding
// waiting lists pressures" (medRxiv 10.1101/2022.08.23.22279117), as the NHS-R Community's
// NHSRwaitinglist package implements them (calc_target_queue_size, calc_relief_capacity,
// calc_target_capacity, calc_queue_load, calc_waiting_list_pressure). Units: patients a week and
// weeks. Each step of the pathway gets its share of the 62-day target wait, from the due dates of
// the next action (cwt-rules.md): the first appointment by day 14 after triage by day 3, the
// diagnosis by day 28, treatment from the decision by day 38 to day 62.
import { TARGETS } from '../cwt/clocks.ts';
import { DEFAULT_MILESTONES } from '../cwt/next-action.ts';
import type { TumourSite } from '../vocabulary/events.ts';
import { resourcesOfSite, type Calibration, type ResourceKind, type ResourceModel } from './calibrate.ts';
import { round } from './distributions.ts';

/** The mean wait that keeps most waits within the target: target / factor (4: about 2% over target when waits are exponential). */
export const FACTOR = 4;
/** Weeks a relief plan takes to bring a queue down to its target size (the package's default, half a year). */
export const RELIEF_WEEKS = 26;

export function targetMeanWait(targetWait: number, factor = FACTOR): number {
  return targetWait / factor;
}

/** Little's law: the queue whose mean wait is target / factor at this demand. */
export function targetQueueSize(demand: number, targetWait: number, factor = FACTOR): number {
  return demand * targetMeanWait(targetWait, factor);
}

/** Capacity that brings the queue to its target size in `weeks`: demand plus the excess spread over them. */
export function reliefCapacity(demand: number, queue: number, targetQueue: number, weeks = RELIEF_WEEKS): number {
  return demand + (queue - targetQueue) / weeks;
}

/** Kingman's approximation: capacity that keeps the mean wait at target / factor, given the variability of arrivals and of service. */
export function targetCapacity(
  demand: number,
  targetWait: number,
  factor = FACTOR,
  cvDemand = 1,
  cvCapacity = 1,
): number {
  return demand + ((cvDemand ** 2 + cvCapacity ** 2) / 2) * (factor / targetWait);
}

/** Demand over capacity: at 1 or more the queue grows without end. */
export function queueLoad(demand: number, capacity: number): number {
  return demand / capacity;
}

/** Twice the mean wait over the target: above 1, the step is likely to miss its share of the target. */
export function waitingListPressure(meanWait: number, targetWait: number): number {
  return (2 * meanWait) / targetWait;
}

/** Weeks to bring the queue down to its target size at this capacity; 0 if it is there, null if it never gets there. */
export function weeksToClear(queue: number, targetQueue: number, demand: number, capacity: number): number | null {
  if (queue <= targetQueue) return 0;
  return capacity > demand ? (queue - targetQueue) / (capacity - demand) : null;
}

/** Each kind of step's share of the 62-day target, in days. */
export const STEP_TARGET_DAYS: Record<ResourceKind, number> = {
  first: DEFAULT_MILESTONES.firstAppointmentOrTest - DEFAULT_MILESTONES.triage,
  test: DEFAULT_MILESTONES.diagnosisTold - DEFAULT_MILESTONES.firstAppointmentOrTest,
  treatment: TARGETS.d62 - DEFAULT_MILESTONES.decisionToTreat,
};

export interface ResourceRow {
  resource: string;
  label: string;
  demandPerWeek: number;
  capacityPerWeek: number;
  capacityBasis: ResourceModel['basis'];
  saturated: boolean;
  queue: number;
  utilisation: number | null;
  weeksToClear: number | null;
  targetWaitDays: number;
  targetQueue: number;
  reliefCapacityPerWeek: number;
  targetCapacityPerWeek: number;
  waitDays: ResourceModel['waitDays'];
  throughputPerWeek: number;
  queueGrowthPerWeek: number;
  /** "MRI (prostate): 48 a week needed, 40 available". */
  plain: string;
}

/**
 * The table, bottlenecks first: saturated resources, then by load (demand over capacity), then by
 * queue over its target. With `site`, only the resources that site's pathways used.
 */
export function resourceTable(cal: Calibration, site?: TumourSite): ResourceRow[] {
  const used = site === undefined ? null : resourcesOfSite(cal, site);
  const rows = Object.values(cal.resources)
    .filter((r) => used === null || used.has(r.name))
    .map((r) => resourceRow(r));
  const rank = (r: ResourceRow) => [
    r.saturated ? 0 : 1,
    -(r.utilisation ?? 0),
    -(r.queue / Math.max(r.targetQueue, 1)),
  ];
  return rows.sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || (a.resource < b.resource ? -1 : 1);
  });
}

export function resourceRow(r: ResourceModel): ResourceRow {
  const targetDays = STEP_TARGET_DAYS[r.kind];
  const targetWeeks = targetDays / 7;
  const demand = r.demandPerWeek;
  const capacity = r.capacityPerWeek;
  const targetQueue = targetQueueSize(demand, targetWeeks);
  // Kingman's formula with the package's defaults (coefficients of variation 1): Poisson-like demand and service.
  const needed = Math.max(targetCapacity(demand, targetWeeks), reliefCapacity(demand, r.queue, targetQueue));
  return {
    resource: r.name,
    label: resourceLabel(r.name),
    demandPerWeek: demand,
    capacityPerWeek: capacity,
    capacityBasis: r.basis,
    saturated: r.saturated,
    queue: r.queue,
    utilisation: capacity > 0 ? round(queueLoad(demand, capacity), 3) : null,
    weeksToClear: nullableRound(weeksToClear(r.queue, targetQueue, demand, capacity), 1),
    targetWaitDays: targetDays,
    targetQueue: round(targetQueue, 1),
    reliefCapacityPerWeek: round(reliefCapacity(demand, r.queue, targetQueue), 1),
    targetCapacityPerWeek: round(targetCapacity(demand, targetWeeks), 1),
    waitDays: r.waitDays,
    throughputPerWeek: r.throughputPerWeek,
    queueGrowthPerWeek: r.queueGrowthPerWeek,
    plain: `${resourceLabel(r.name)}: ${Math.round(needed)} a week needed, ${Math.round(capacity)} available`,
  };
}

function nullableRound(x: number | null, places: number): number | null {
  return x === null ? null : round(x, places);
}

const WORDS: Record<string, string> = {
  mri: 'MRI',
  ct: 'CT',
  rdc: 'RDC',
  gi: 'GI',
  cns: 'CNS',
};

/** A resource's name in plain words: test:mri_prostate is "MRI (prostate)", first:urological "First appointment (urological)". */
export function resourceLabel(name: string): string {
  const [kind, what = ''] = name.split(':');
  const words = what.split('_').map((w) => WORDS[w] ?? w);
  if (kind === 'first') return `First appointment (${words.join(' ')})`;
  if (kind === 'treatment') return `${capitalise(words.join(' '))} (first treatment)`;
  const [head, ...rest] = words;
  return rest.length && WORDS[what.split('_')[0]!] ? `${head} (${rest.join(' ')})` : capitalise(words.join(' '));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

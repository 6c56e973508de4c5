// The simulator's resources (issue #22): the clinics, tests and treatments a step needs a slot of,
// their weekly capacity by date range (the preset's, changed by a scenario), and the calendar of
// free slots that each booking takes the next one from. The queue model: docs/simulation.md.
import { dayNumber, dayOfWeek, fromDayNumber, isEnglandBankHoliday, type IsoDate } from '../cwt/calendar.ts';
import { TUMOUR_SITES } from '../domain/events.ts';
import * as M from './model.ts';
import { applyCapacityChange, type Scenario } from './scenario.ts';

/** Every resource: first appointments by suspected site, tests by name, first treatments that need a slot. */
export const RESOURCES: readonly string[] = [
  ...TUMOUR_SITES.map((site) => `first:${site}`),
  ...[...new Set([...Object.values(M.TESTS), M.BIOPSY, M.STAGING_TEST, M.FURTHER_IMAGING_TEST])].map(
    (test) => `test:${test}`,
  ),
  ...Object.keys(M.PREPARATION).map((modality) => `treatment:${modality}`),
];
const INDEX = new Map(RESOURCES.map((name, i) => [name, i]));

/** The index of a resource by name, or -1 when the step needs no slot (a treatment such as hormone therapy). */
export function resourceIndex(name: string): number {
  return INDEX.get(name) ?? -1;
}

/** Days from the history's first day whose slots are taken by patients referred before it (model.ts). */
export function bookedAtStart(resource: string): number {
  const [kind, what] = resource.split(':') as ['first' | 'test' | 'treatment', string];
  if (kind !== 'test') return M.BOOKED_AT_START[kind];
  if (what === M.BIOPSY) return M.BOOKED_AT_START.biopsy;
  return M.SAME_DAY_TESTS.has(what) ? 0 : M.BOOKED_AT_START.test;
}

/** The trust preset's referrals a month: TRUST_CAPACITY is set for this many. */
export const TRUST_REFERRALS_PER_MONTH = 5500;

/** Capacity as a multiple of the trust's per referral, unless a run says otherwise: more for a smaller trust. */
export function defaultCapacityScale(referralsPerMonth: number): number {
  if (!(referralsPerMonth > 0 && referralsPerMonth < TRUST_REFERRALS_PER_MONTH)) return 1;
  return 1 + M.SMALL_TRUST_HEADROOM * (Math.sqrt(TRUST_REFERRALS_PER_MONTH / referralsPerMonth) - 1);
}

/** A weekly capacity in force from a day (inclusive) until the next range starts. */
export interface CapacityRange {
  from: number;
  perWeek: number;
}

/**
 * Each resource's weekly capacity by date range: the trust's, scaled to the referrals a month and
 * by `scale`, then each scenario change from its day on (in date order, those of one day in the
 * order written), applied to the capacity in force then.
 */
export function capacitySchedule(referralsPerMonth: number, scale: number, scenario: Scenario): CapacityRange[][] {
  const changes = scenario.capacity
    .map((c, order) => ({ ...c, day: dayNumber(c.from), order }))
    .sort((a, b) => a.day - b.day || a.order - b.order);
  return RESOURCES.map((name) => {
    let perWeek = (M.TRUST_CAPACITY[name]! * referralsPerMonth * scale) / TRUST_REFERRALS_PER_MONTH;
    const ranges: CapacityRange[] = [{ from: -Infinity, perWeek }];
    for (const c of changes) {
      if (c.resource !== name) continue;
      perWeek = applyCapacityChange(perWeek, c.change);
      const last = ranges[ranges.length - 1]!;
      if (last.from === c.day) last.perWeek = perWeek;
      else ranges.push({ from: c.day, perWeek });
    }
    return ranges;
  });
}

/**
 * The share of a weekday's capacity a day runs: none at weekends or on bank holidays, half between
 * Christmas Eve and New Year's Eve, all otherwise. The same for every resource.
 */
export function clinicShare(day: number): number {
  const date = fromDayNumber(day);
  const w = dayOfWeek(date);
  if (w === 0 || w === 6 || isEnglandBankHoliday(date)) return 0;
  return date.slice(5, 7) === '12' && date.slice(8, 10) >= '24' ? M.CHRISTMAS_SHARE : 1;
}

/**
 * Free slots of one resource, day by day from `first` to `last`. A day's slots are its weekly
 * capacity over five weekdays times its clinic share, rounded so that the slots of any run of days
 * add up to the capacity of those days to within one (a fractional capacity is not lost); those of
 * the first `bookedDays` are taken before the history starts. A bit set marks the days with a slot
 * left, so the next free one is found a word (32 days) at a time.
 */
export class SlotCalendar {
  private readonly free: Int32Array;
  private readonly open: Int32Array;

  constructor(
    private readonly first: number,
    last: number,
    ranges: readonly CapacityRange[],
    shares: Float64Array,
    bookedDays: number,
  ) {
    const n = last - first + 1;
    this.free = new Int32Array(n);
    this.open = new Int32Array((n + 31) >>> 5);
    let range = 0;
    let total = 0;
    let given = 0;
    for (let i = 0; i < n; i++) {
      while (range + 1 < ranges.length && ranges[range + 1]!.from <= first + i) range++;
      total += (ranges[range]!.perWeek / 5) * shares[i]!;
      const slots = Math.round(total) - given;
      given += slots;
      if (i < bookedDays) continue;
      this.free[i] = slots;
      if (slots > 0) this.open[i >>> 5]! |= 1 << (i & 31);
    }
  }

  /** Takes the first free slot from day `from` to day `to` (inclusive); -1 if there is none. */
  take(from: number, to: number): number {
    const end = Math.min(to - this.first, this.free.length - 1);
    let i = Math.max(from - this.first, 0);
    while (i <= end) {
      const w = i >>> 5;
      const bits = this.open[w]! & (-1 << (i & 31));
      if (bits !== 0) {
        const j = (w << 5) + 31 - Math.clz32(bits & -bits);
        if (j > end) return -1;
        if (--this.free[j]! === 0) this.open[w]! &= ~(1 << (j & 31));
        return this.first + j;
      }
      i = (w + 1) << 5;
    }
    return -1;
  }

  /** Gives a slot back: a cancellation with notice, a declined offer, a patient removed before it. */
  giveBack(day: number): void {
    const i = day - this.first;
    this.free[i]!++;
    this.open[i >>> 5]! |= 1 << (i & 31);
  }
}

/** The ranges as dates for `--describe`: from the history's first day, the last one open-ended. */
export function describeRanges(
  ranges: readonly CapacityRange[],
  first: number,
): { from: IsoDate; to: IsoDate | null; perWeek: number }[] {
  const kept = ranges.filter((r, i) => i + 1 === ranges.length || ranges[i + 1]!.from > first);
  return kept.map((r, i) => ({
    from: fromDayNumber(Math.max(r.from, first)),
    to: i + 1 < kept.length ? fromDayNumber(kept[i + 1]!.from - 1) : null,
    perWeek: Math.round(r.perWeek * 100) / 100,
  }));
}

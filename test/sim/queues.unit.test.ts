// Waits from capacity (issue #22, done-when a-d): the same seed with and without a capacity change
// on a saturated resource, a resource with room to spare, --describe against what the history
// shows, and determinism and validity with a scenario. Small histories: 1,500 referrals a month
// for five months at the trust's capacity per referral, the MRI of the prostate short from the start.
import { describe, expect, it } from 'vitest';
import { addDays, dayNumber, dayOfWeek, isEnglandBankHoliday, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { describeModel } from '../../src/sim/describe.ts';
import { RESOURCES } from '../../src/sim/resources.ts';
import { readScenario } from '../../src/sim/scenario.ts';
import { simulate, type ImportLine, type SimulateOptions } from '../../src/sim/simulate.ts';
import { byPathway, checkHistory, over62 } from './history.ts';

const asOf = '2026-11-24';
/** Three months before the end: the day a change is made. */
const changed: IsoDate = '2026-08-24';
const MRI = 'test:mri_prostate';
/** The trust's capacity per referral, the MRI 10% short of it from the start: demand exceeds capacity, and waits grow. */
const saturated = { resource: MRI, from: '2020-01-01', capacity: '-10%' };
const options = (...changes: object[]): SimulateOptions => ({
  referralsPerMonth: 1500,
  months: 5,
  seed: 1,
  asOf,
  capacityScale: 1,
  scenario: readScenario({ changes: [saturated, ...changes] }, RESOURCES),
});
const run = (opts: SimulateOptions) => [...simulate(opts)];

/** Days from the request to the day booked, of a test's requests made on or after a day. */
function waits(lines: ImportLine[], test: string, from: string): number[] {
  const out: number[] = [];
  for (const l of lines)
    if (l.type === 'test_requested' && l.test === test && l.testOn !== undefined && l.on >= from)
      out.push(dayNumber(l.testOn) - dayNumber(l.on));
  return out;
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const share = (xs: number[], pred: (x: number) => boolean) => xs.filter(pred).length / xs.length;

/** Over-62 pathways referred for a suspected site. */
function over62Of(lines: ImportLine[], site: string): number {
  const ids = new Set(
    lines.filter((l) => l.type === 'referral_received' && l.tumourSite === site).map((l) => l.pathwayId),
  );
  return over62(
    lines.filter((l) => ids.has(l.pathwayId)),
    asOf,
  );
}

/**
 * Slots of a test used on each day: the days its requests were booked for, less bookings given
 * back: the patient was removed by then, or cancelled it (and was booked again, for a later day,
 * before it). A missed test used its slot: the next booking is made after it.
 */
function slotsUsed(lines: ImportLine[], test: string): Map<string, number> {
  const used = new Map<string, number>();
  for (const [, events] of byPathway(lines)) {
    const voided = new Set(events.flatMap((e) => (e.type === 'event_voided' ? [e.voids] : [])));
    const removed = events.find((e) => e.type === 'removed')?.on;
    const bookings = events.filter(
      (e) => e.type === 'test_requested' && e.test === test && e.testOn !== undefined && !voided.has(e.id ?? ''),
    ) as (ImportLine & { type: 'test_requested'; testOn: string })[];
    for (const b of bookings) {
      const rebooked = bookings.some((r) => r !== b && r.on >= b.on && r.on < b.testOn && r.testOn > b.testOn);
      if (rebooked || (removed !== undefined && removed <= b.testOn)) continue;
      used.set(b.testOn, (used.get(b.testOn) ?? 0) + 1);
    }
  }
  return used;
}

describe('waits from capacity: the same seed with and without a change (issue #22)', () => {
  const base = run(options());
  const cut = run(options({ resource: MRI, from: changed, capacity: '-30%' }));
  const raised = run(options({ resource: MRI, from: changed, capacity: '+30%' }));

  it('(a) a cut on a saturated resource makes its waits and the over-62 backlog grow; an increase makes them shrink', () => {
    const wait = (lines: ImportLine[]) => mean(waits(lines, 'mri_prostate', changed));
    expect(wait(cut)).toBeGreaterThan(wait(base) + 14);
    expect(wait(raised)).toBeLessThan(wait(base) - 5);
    expect(over62(cut, asOf)).toBeGreaterThan(over62(base, asOf));
    expect(over62(raised, asOf)).toBeLessThan(over62(base, asOf));
    // The patients of that step: those referred with suspected urological cancer.
    expect(over62Of(cut, 'urological')).toBeGreaterThan(over62Of(base, 'urological'));
    expect(over62Of(raised, 'urological')).toBeLessThan(over62Of(base, 'urological'));
    // The same patients: a change of capacity moves their dates, not who they are.
    const referrals = (lines: ImportLine[]) =>
      lines.filter((l) => l.type === 'referral_received').map(({ pathwayId, on }) => `${pathwayId} ${on}`);
    expect(referrals(cut).slice(0, 5000)).toEqual(referrals(base).slice(0, 5000));
  });

  it('(b) a resource with room to spare passes demand on without a queue', () => {
    // Raised, the MRI has room: each patient is booked for the first day they can come (a few days'
    // preparation, a weekend), as they are for a one-stop test; saturated, most wait far longer.
    const settled = addDays(changed, 28);
    expect(share(waits(raised, 'mri_prostate', settled), (w) => w <= 9)).toBeGreaterThan(0.9);
    expect(share(waits(base, 'mri_prostate', settled), (w) => w <= 9)).toBeLessThan(0.4);
    for (const test of ['mammogram', 'dermoscopy'])
      expect(share(waits(base, test, changed), (w) => w === 0)).toBeGreaterThan(0.95);
    // As many tests are done as were asked for, over the weeks since (bookings a few days ahead cross each end alike).
    const until = addDays(asOf, -21);
    const asked =
      waits(raised, 'mri_prostate', settled).length - waits(raised, 'mri_prostate', addDays(until, 1)).length;
    let done = 0;
    for (const [day, n] of slotsUsed(raised, 'mri_prostate')) if (day >= settled && day <= until) done += n;
    expect(Math.abs(done / asked - 1)).toBeLessThan(0.05);
  });

  it('(c) --describe gives the capacity the history shows: a saturated resource uses its capacity each week, within 5%', () => {
    const model = describeModel(options({ resource: MRI, from: changed, capacity: '-30%' }));
    const mri = model.resources.find((r) => r.resource === MRI)!.capacity;
    expect(mri.map((r) => r.from)).toEqual(['2026-06-25', changed]);
    const perWeek = mri[1]!.perWeek;
    expect(perWeek).toBeCloseTo(((123 * 1500) / 5500) * 0.9 * 0.7, 1);
    const used = slotsUsed(cut, 'mri_prostate');
    // Whole weeks (Monday to Sunday) from the cut, leaving out those with a bank holiday and the last
    // three (requests recorded late are not all in yet).
    let weeks = 0;
    for (let monday = changed; monday <= addDays(asOf, -27); monday = addDays(monday, 7)) {
      expect(dayOfWeek(monday)).toBe(1);
      const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
      if (days.some(isEnglandBankHoliday)) continue;
      const week = days.reduce((s, d) => s + (used.get(d) ?? 0), 0);
      expect(Math.abs(week - perWeek) / perWeek).toBeLessThanOrEqual(0.05);
      weeks++;
    }
    expect(weeks).toBeGreaterThanOrEqual(7);
    // No day after the cut has more bookings than its slots, up to the end of the history (after it, a
    // slot given back by a patient removed after the end is taken again, and the removal is not written).
    for (const [day, n] of used)
      if (day >= changed && day <= asOf) expect(n).toBeLessThanOrEqual(Math.ceil(perWeek / 5));
  });

  it("--describe gives the referrals the history shows, a site's demand change included", () => {
    const opts = options({ demand: 'urological', from: changed, change: '+50%' });
    const model = describeModel(opts);
    const lines = simulate(opts);
    let next = lines.next();
    const urological: string[] = [];
    for (; !next.done; next = lines.next())
      if (next.value.type === 'referral_received' && next.value.tumourSite === 'urological')
        urological.push(next.value.on);
    expect(model.history.referrals).toBe(next.value.pathways);
    expect(model.history.referrals).toBeGreaterThan(1500 * 5);
    const [before, after] = model.demand.find((d) => d.tumourSite === 'urological')!.referrals;
    expect(after).toMatchObject({ from: changed, to: null });
    expect(after!.perWeek / before!.perWeek).toBeCloseTo(1.5, 2);
    // Whole weeks from the change, without a bank holiday, to a week before the end (a referral may be registered late).
    let weeks = 0;
    let received = 0;
    for (let monday = changed; monday <= addDays(asOf, -13); monday = addDays(monday, 7)) {
      const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
      if (days.some(isEnglandBankHoliday)) continue;
      weeks++;
      received += urological.filter((d) => d >= monday && d <= days[6]!).length;
    }
    // About 500 referrals drawn site by site: a standard deviation of about 4.5%.
    expect(weeks).toBeGreaterThanOrEqual(9);
    expect(Math.abs(received / weeks / after!.perWeek - 1)).toBeLessThan(0.15);
  });

  it('(d) with a scenario: the same bytes each time, every pathway valid event by event', () => {
    const again = run(options({ resource: MRI, from: changed, capacity: '-30%' }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(cut));
    // The pathways whose waits the cut changed: every one referred for suspected urological cancer.
    const urological = new Set(
      cut.filter((l) => l.type === 'referral_received' && l.tumourSite === 'urological').map((l) => l.pathwayId),
    );
    expect(
      checkHistory(
        cut.filter((l) => urological.has(l.pathwayId)),
        asOf,
      ).size,
    ).toBeGreaterThan(700);
  });
});

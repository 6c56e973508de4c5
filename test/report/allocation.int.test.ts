// The 62-day standard between providers (cwt-rules.md, "Breach allocation between providers"), on
// its pure input: the 62-day clock facts and who held the patient when. National processing's six
// scenarios: the day-38 part counts days from the clock start (after a DNA restart) with no pause
// taken off; the whole treatment adjustment comes off the day-24 part; met patients are shared as
// breaches are; half each when no accountable investigating provider is known. No store.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { clockFold, type Pause } from '../../src/cwt/clocks.ts';
import { pathwayEvent } from '../../src/vocabulary/events.ts';
import { allocate62, allocationText, holdingsOf, type Holding } from '../../src/report/allocation.ts';

const START: IsoDate = '2026-01-01';
const day = (n: number) => addDays(START, n);
const facts = (treatedDay: number, pauses: Pause[] = [], start = START) => ({
  start,
  treated: day(treatedDay),
  pauses,
});
const held = (...steps: [string | null, number][]): Holding[] =>
  steps.map(([provider, n]) => ({ provider, from: day(n) }));
const shares = (a: ReturnType<typeof allocate62>) => a.shares.map((s) => [s.provider, s.breaches, s.patients]);

describe('the 62-day standard between providers', () => {
  it('counts the whole patient to the only provider when the patient was not transferred', () => {
    expect(allocate62({ facts: facts(70), holdings: held(['RAJ', 0]) })).toMatchObject({
      rule: 'no_transfer',
      scenario: null,
      treating: 'RAJ',
      accountable: null,
      days: 70,
      shares: [{ provider: 'RAJ', breaches: 1, patients: 1 }],
    });
    expect(shares(allocate62({ facts: facts(62), holdings: held([null, 0]) }))).toEqual([['unknown', 0, 1]]);
    // A transfer to the same provider, or one after the treatment, is no transfer.
    expect(allocate62({ facts: facts(70), holdings: held(['RAJ', 0], ['RAJ', 40]) }).rule).toBe('no_transfer');
    expect(shares(allocate62({ facts: facts(70), holdings: held(['RAJ', 0], ['RGT', 71]) }))).toEqual([['RAJ', 1, 1]]);
  });

  it('follows the six scenarios of national processing, met patients shared too', () => {
    const at = (treated: number, transfer: number) =>
      allocate62({ facts: facts(treated), holdings: held(['RAJ', 0], ['RGT', transfer]) });
    // 1: all met, half the patient each.
    expect([at(50, 30).scenario, shares(at(50, 30))]).toEqual([
      1,
      [
        ['RAJ', 0, 0.5],
        ['RGT', 0, 0.5],
      ],
    ]);
    // 2: 62 met, 38 met, 24 breached: half each.
    expect([at(60, 30).scenario, shares(at(60, 30))]).toEqual([
      2,
      [
        ['RAJ', 0, 0.5],
        ['RGT', 0, 0.5],
      ],
    ]);
    // 3: 62 met after a late transfer treated quickly: the treating provider's patient.
    expect([at(60, 45).scenario, shares(at(60, 45))]).toEqual([3, [['RGT', 0, 1]]]);
    // 4: received by day 38, the treating provider's breach.
    expect([at(90, 38).scenario, shares(at(90, 38))]).toEqual([4, [['RGT', 1, 1]]]);
    // 5: received after day 38, treated within 24 days: the referring provider's breach.
    expect([at(39 + 24, 39).scenario, shares(at(39 + 24, 39))]).toEqual([5, [['RAJ', 1, 1]]]);
    // 6: both parts late: half each.
    expect([at(39 + 25, 39).scenario, shares(at(39 + 25, 39))]).toEqual([
      6,
      [
        ['RAJ', 0.5, 0.5],
        ['RGT', 0.5, 0.5],
      ],
    ]);
  });

  it('takes no declined offer off the days to the transfer, only off those after it (issue #24, item 7)', () => {
    // Decided and offered treatment at RAJ, declined (10 days, days 30 to 40), transferred on day 45,
    // treated on day 80: 70 adjusted days, a breach. The day-38 part is 45 days: late; the day-24
    // part is 35 less the whole 10 days of the pause, 25: late too. Shared, half each.
    const pause = { from: day(30), until: day(40) };
    const a = allocate62({ facts: facts(80, [pause]), holdings: held(['RAJ', 0], ['RGT', 45]) });
    expect(a).toMatchObject({ scenario: 6, days: 70, daysToTransfer: 45, daysAfterTransfer: 25 });
    expect(shares(a)).toEqual([
      ['RAJ', 0.5, 0.5],
      ['RGT', 0.5, 0.5],
    ]);
    // Treated a day sooner: the day-24 part is met, so the breach is the referring provider's; taking
    // the pause off the days to the transfer instead (35, by day 38) would give it to RGT.
    const sooner = allocate62({ facts: facts(79, [pause]), holdings: held(['RAJ', 0], ['RGT', 45]) });
    expect([sooner.scenario, shares(sooner)]).toEqual([5, [['RAJ', 1, 1]]]);
    expect(allocationText(sooner)).toBe(
      'received on day 45 (after day 38), treated 24 adjusted days later (within 24): scenario 5, breach to RAJ (whole)',
    );
  });

  it('counts the days to the transfer from the clock start after a DNA restart (R5)', () => {
    // Referred 1 Jan, rebooked after a missed first appointment on 11 Jan: a transfer on day 48 from
    // the referral is day 38 of the restarted clock.
    expect(allocate62({ facts: facts(90, [], day(10)), holdings: held(['RAJ', 0], ['RGT', 48]) }).scenario).toBe(4);
    expect(allocate62({ facts: facts(90), holdings: held(['RAJ', 0], ['RGT', 48]) }).scenario).toBe(6);
    // Transferred before the restart: day 0.
    expect(allocate62({ facts: facts(90, [], day(10)), holdings: held(['RAJ', 0], ['RGT', 5]) }).daysToTransfer).toBe(
      0,
    );
  });

  it('shares half each when the referral named no provider (no accountable investigating provider)', () => {
    const a = allocate62({ facts: facts(80), holdings: held([null, 0], ['RGT', 50]) });
    expect([a.rule, shares(a)]).toEqual([
      'no_accountable_provider',
      [
        ['unknown', 0.5, 0.5],
        ['RGT', 0.5, 0.5],
      ],
    ]);
  });

  it('with more than two providers, allocates between the one holding the patient at day 38 and the treating provider', () => {
    expect(shares(allocate62({ facts: facts(100), holdings: held(['RAJ', 0], ['RQ8', 10], ['RGT', 45]) }))).toEqual([
      ['RQ8', 0.5, 0.5],
      ['RGT', 0.5, 0.5],
    ]);
    expect(shares(allocate62({ facts: facts(63), holdings: held(['RAJ', 0], ['RQ8', 39], ['RGT', 45]) }))).toEqual([
      ['RAJ', 1, 1],
    ]);
    // The treating provider held the patient at day 38, and took them back later: the patient is its own.
    expect(allocate62({ facts: facts(100), holdings: held(['RAJ', 0], ['RGT', 40], ['RAJ', 50]) })).toMatchObject({
      rule: 'no_transfer',
      shares: [{ provider: 'RAJ', breaches: 1, patients: 1 }],
    });
  });

  it('always counts one patient and, when breached, one breach, between the providers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 30 }),
        (treated, transfer, paused) => {
          fc.pre(transfer <= treated);
          const pauses = paused
            ? [{ from: day(Math.floor(treated / 2)), until: day(Math.floor(treated / 2) + paused) }]
            : [];
          const a = allocate62({
            facts: facts(treated + paused, pauses),
            holdings: held(['RAJ', 0], ['RGT', transfer]),
          });
          const sum = (k: 'patients' | 'breaches') => a.shares.reduce((n, s) => n + s[k], 0);
          expect(sum('patients')).toBe(1);
          expect(sum('breaches')).toBe(a.days > 62 ? 1 : 0);
          if (a.daysToTransfer !== null) expect(a.daysToTransfer + a.daysAfterTransfer!).toBe(a.days);
        },
      ),
    );
  });

  it('reads the facts and the holdings from a pathway (E20: RAJ to RGT on day 35)', () => {
    const events = [
      {
        type: 'referral_received',
        on: '2026-06-01',
        route: 'urgent_suspected_cancer',
        tumourSite: 'head_and_neck',
        nhsNumber: '9434765919',
        provider: 'RAJ',
      },
      { type: 'first_seen', on: '2026-06-08' },
      { type: 'diagnosis_communicated', on: '2026-06-26', outcome: 'cancer_confirmed' },
      { type: 'transferred', on: '2026-07-06', toProvider: 'RGT' },
      { type: 'decision_to_treat', on: '2026-07-20' },
      { type: 'treatment_started', on: '2026-08-10', modality: 'surgery' },
    ].map((e) => pathwayEvent.parse(e));
    expect(holdingsOf(events)).toEqual([
      { provider: 'RAJ', from: '2026-06-01' },
      { provider: 'RGT', from: '2026-07-06' },
    ]);
    expect(allocate62({ facts: clockFold(events)!.facts, holdings: holdingsOf(events) })).toMatchObject({
      scenario: 4,
      treating: 'RGT',
      accountable: 'RAJ',
      shares: [{ provider: 'RGT', breaches: 1, patients: 1 }],
    });
  });
});

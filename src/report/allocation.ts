// The 62-day standard between providers for a transferred patient (cwt-rules.md, "Breach allocation
// between providers"): a report-time rule, never part of the clock, as national processing applies
// it (docs/returns.md gives the source). Two parts: the days from the clock start (after any DNA
// restart, R5) to the transfer, the day-38 part, from which no treatment pause is taken; and the
// days from the transfer to the treatment less the whole treatment adjustment (R7), the day-24 part.
// Met patients are shared as breaches are, so a provider's 62-day performance counts halves.
import { daysBetween, type IsoDate } from '../vocabulary/calendar.ts';
import { mergePauses, pausedDays, type ClockFacts } from '../cwt/clocks.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';

/** The treating provider must have received the patient by this day of the 62-day clock. */
export const ACCOUNTABLE_BY_DAY = 38;
/** From the transfer, the treating provider has this many adjusted days to treat. */
export const TREAT_WITHIN_DAYS = 24;
const TARGET = 62;

/** A provider holding the patient from a date: the referral's provider from the referral, then each transfer. */
export interface Holding {
  provider: string | null;
  from: IsoDate;
}

/** Who held the patient, from the events that count (effective timeline) of a pathway. */
export function holdingsOf(events: readonly PathwayEvent[]): Holding[] {
  const holdings: Holding[] = [];
  for (const e of events) {
    if (e.type === 'referral_received') holdings.unshift({ provider: e.provider ?? null, from: e.on });
    if (e.type === 'transferred') holdings.push({ provider: e.toProvider, from: e.on });
  }
  return holdings;
}

/** A transfer before the treatment, as the national record carries it. */
export interface Transfer {
  /** The provider that treated: the last to receive the patient before the treatment. */
  treating: string;
  /**
   * The accountable investigating provider: the one holding the patient at day 38 of the 62-day
   * clock (days from the start after any DNA restart), else the last before the treating one;
   * null when the referral named no provider.
   */
  accountable: string | null;
  /** The date the treating provider received the patient (TRANSFER TO TREATMENT DATE). */
  on: IsoDate;
}

/** The transfer before a treatment on `treatedOn`, or null when one provider held the patient throughout. */
export function transferOf(holdings: readonly Holding[], start: IsoDate, treatedOn: IsoDate): Transfer | null {
  const held = holdings.filter((h) => h.from <= treatedOn);
  const treating = held[held.length - 1]?.provider ?? null;
  // The treating provider's holding began with the last change of provider.
  let received = held.length - 1;
  while (received > 0 && held[received - 1]!.provider === treating) received--;
  if (treating === null || received <= 0) return null;
  const accountable = held
    .slice(0, received)
    .reverse()
    .find((h) => dayOf(start, h.from) <= ACCOUNTABLE_BY_DAY)!.provider; // the first holds from day 0
  if (accountable === treating) return null; // it held the patient at day 38 and took them back: its own
  return { treating, accountable, on: held[received]!.from };
}

/** Days from the clock start to a date; a date before a DNA restart is day 0. */
const dayOf = (start: IsoDate, date: IsoDate) => (date <= start ? 0 : daysBetween(start, date));

/** One provider's share of a treated patient: of the patient (the denominator) and of a breach (the numerator). */
export interface Share {
  provider: string;
  patients: number;
  breaches: number;
}

export interface Allocation {
  /** No transfer; transferred with no accountable investigating provider (half each); or one of the six scenarios. */
  rule: 'no_transfer' | 'no_accountable_provider' | 'scenario';
  /** The national scenario (1 to 6) of a transfer between providers, else null. */
  scenario: 1 | 2 | 3 | 4 | 5 | 6 | null;
  /** The provider the referral named ('unknown' when none): the trust whose patient it is. */
  referring: string;
  treating: string;
  accountable: string | null;
  /** The day-38 part: days from the clock start to the transfer (no pause taken off). */
  daysToTransfer: number | null;
  /** The day-24 part: days from the transfer to the treatment, less the whole treatment adjustment. */
  daysAfterTransfer: number | null;
  /** The 62-day wait, adjusted: the two parts added up. */
  days: number;
  shares: Share[];
}

/** What the allocation reads: the 62-day clock facts of a treated pathway, and who held the patient when. */
export interface AllocationInput {
  facts: Pick<ClockFacts, 'start' | 'treated' | 'pauses'>;
  /** In date order; the first is the referral's provider. */
  holdings: Holding[];
}

// The six scenarios (62 met, 38 met, 24 met) and each provider's [breaches, patients]. 62 breached
// with both parts met cannot happen, nor 62 met with both breached: the parts add up to the wait.
const SCENARIOS: {
  met: [boolean, boolean, boolean];
  accountable: [number, number];
  treating: [number, number];
}[] = [
  { met: [true, true, true], accountable: [0, 0.5], treating: [0, 0.5] },
  { met: [true, true, false], accountable: [0, 0.5], treating: [0, 0.5] },
  { met: [true, false, true], accountable: [0, 0], treating: [0, 1] },
  { met: [false, true, false], accountable: [0, 0], treating: [1, 1] },
  { met: [false, false, true], accountable: [1, 1], treating: [0, 0] },
  { met: [false, false, false], accountable: [0.5, 0.5], treating: [0.5, 0.5] },
];

export function allocate62({ facts, holdings }: AllocationInput): Allocation {
  const treatedOn = facts.treated;
  if (!treatedOn) throw new Error('allocate62 needs a treated pathway');
  const adjustment = pausedDays(mergePauses(facts.pauses), facts.start, treatedOn);
  const days = daysBetween(facts.start, treatedOn) - adjustment;
  const breach = days > TARGET ? 1 : 0;
  const referring = holdings[0]?.provider ?? 'unknown';
  const transfer = transferOf(holdings, facts.start, treatedOn);
  if (!transfer) {
    const provider = holdings.filter((h) => h.from <= treatedOn).at(-1)?.provider ?? 'unknown';
    return {
      rule: 'no_transfer',
      scenario: null,
      referring,
      treating: provider,
      accountable: null,
      daysToTransfer: null,
      daysAfterTransfer: null,
      days,
      shares: [{ provider, patients: 1, breaches: breach }],
    };
  }
  const daysToTransfer = dayOf(facts.start, transfer.on);
  const daysAfterTransfer = days - daysToTransfer;
  const parts = {
    referring,
    treating: transfer.treating,
    accountable: transfer.accountable,
    daysToTransfer,
    daysAfterTransfer,
  };
  if (transfer.accountable === null) {
    return {
      rule: 'no_accountable_provider',
      scenario: null,
      ...parts,
      days,
      shares: [
        { provider: 'unknown', patients: 0.5, breaches: breach / 2 },
        { provider: transfer.treating, patients: 0.5, breaches: breach / 2 },
      ],
    };
  }
  const met = [days <= TARGET, daysToTransfer <= ACCOUNTABLE_BY_DAY, daysAfterTransfer <= TREAT_WITHIN_DAYS];
  const index = SCENARIOS.findIndex((s) => s.met.every((m, i) => m === met[i]));
  const s = SCENARIOS[index]!;
  return {
    rule: 'scenario',
    scenario: (index + 1) as Allocation['scenario'],
    ...parts,
    days,
    shares: [
      { provider: transfer.accountable, breaches: s.accountable[0], patients: s.accountable[1] },
      { provider: transfer.treating, breaches: s.treating[0], patients: s.treating[1] },
    ].filter((x) => x.patients > 0),
  };
}

/** The allocation's arithmetic in words, for the report's breach list. */
export function allocationText(a: Allocation): string {
  const share = (n: number) => (n === 1 ? 'whole' : n === 0.5 ? 'half' : String(n));
  const breached = a.shares.filter((s) => s.breaches > 0);
  const outcome = breached.length
    ? `breach to ${breached.map((s) => `${s.provider} (${share(s.breaches)})`).join(' and ')}`
    : `met, counted to ${a.shares.map((s) => `${s.provider} (${share(s.patients)})`).join(' and ')}`;
  if (a.rule === 'no_transfer') return `not transferred: ${outcome}`;
  const parts = `received on day ${a.daysToTransfer} (${a.daysToTransfer! <= ACCOUNTABLE_BY_DAY ? 'by' : 'after'} day ${ACCOUNTABLE_BY_DAY}), treated ${a.daysAfterTransfer} adjusted days later (${a.daysAfterTransfer! <= TREAT_WITHIN_DAYS ? 'within' : 'over'} ${TREAT_WITHIN_DAYS})`;
  if (a.rule === 'no_accountable_provider') return `${parts}; no accountable investigating provider: ${outcome}`;
  return `${parts}: scenario ${a.scenario}, ${outcome}`;
}

// Breach allocation between providers for a transferred patient (cwt-rules.md, "Breach allocation
// between providers"): a report-time rule, never part of the clock. Days are adjusted days: from
// the clock start after any DNA restart (R5), less the treatment adjustment (R7) in each part.
import { daysBetween, type IsoDate } from '../vocabulary/calendar.ts';
import { pausedDays, type ClockFacts } from '../cwt/clocks.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';

/** The treating provider must receive the patient by this adjusted day to own the breach. */
const ACCOUNTABLE_BY_DAY = 38;
/** Received later, the treating provider still has this many adjusted days to treat. */
const TREAT_WITHIN_DAYS = 24;

export interface Allocation {
  /** Provider codes and their share of the breach (1, or 0.5 each). */
  shares: { provider: string; share: number }[];
  rule: 'no_transfer' | 'treating_provider' | 'referring_provider' | 'shared';
}

/** A provider holding the patient from a date: the referral's provider from the referral, then each transfer. */
export interface Holding {
  provider: string | null;
  from: IsoDate;
}

/** What the allocation reads: the 62-day clock facts of a treated pathway, and who held the patient when. */
export interface AllocationInput {
  facts: Pick<ClockFacts, 'start' | 'treated' | 'pauses'>;
  /** In date order; the first is the referral's provider. */
  holdings: Holding[];
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

export function allocateBreach({ facts, holdings }: AllocationInput): Allocation {
  const treatedOn = facts.treated;
  if (!treatedOn) throw new Error('allocateBreach needs a treated pathway');
  // Adjusted days from the clock start to a date; a transfer before a DNA restart counts as day 0.
  const day = (date: IsoDate) =>
    date <= facts.start ? 0 : daysBetween(facts.start, date) - pausedDays(facts.pauses, facts.start, date);
  const held = holdings.filter((h) => h.from <= treatedOn);
  const treating = held[held.length - 1];
  const treatingProvider = treating?.provider ?? null;
  // The treating provider's holding began with the last change of provider.
  let firstTreating = held.length - 1;
  while (firstTreating > 0 && held[firstTreating - 1]!.provider === treatingProvider) firstTreating--;
  if (!treating || firstTreating === 0 || treatingProvider === null) {
    return {
      shares: [{ provider: treatingProvider ?? held[0]?.provider ?? 'unknown', share: 1 }],
      rule: 'no_transfer',
    };
  }
  const receivedDay = day(held[firstTreating]!.from);
  // The accountable investigating provider holds the patient at day 38: with two providers the
  // referring one, with more the one holding them then (the first always holds from day 0).
  const investigating =
    held
      .slice(0, firstTreating)
      .reverse()
      .find((h) => day(h.from) <= ACCOUNTABLE_BY_DAY)!.provider ?? 'unknown';
  if (receivedDay <= ACCOUNTABLE_BY_DAY || investigating === treatingProvider) {
    return { shares: [{ provider: treatingProvider, share: 1 }], rule: 'treating_provider' };
  }
  const treatmentDays = day(treatedOn) - receivedDay; // from the transfer to the treatment, less the treatment adjustment
  if (treatmentDays <= TREAT_WITHIN_DAYS)
    return { shares: [{ provider: investigating, share: 1 }], rule: 'referring_provider' };
  return {
    shares: [
      { provider: investigating, share: 0.5 },
      { provider: treatingProvider, share: 0.5 },
    ],
    rule: 'shared',
  };
}

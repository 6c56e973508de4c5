// Breach allocation between providers for a transferred patient (cwt-rules.md, "Breach allocation
// between providers"): a report-time rule, never part of the clock.
import { daysBetween, type IsoDate } from '../cwt/calendar.ts';

export interface Allocation {
  /** Provider codes and their share of the breach (1, or 0.5 each). */
  shares: { provider: string; share: number }[];
  rule: 'no_transfer' | 'treating_provider' | 'referring_provider' | 'shared';
}

/**
 * `referringProvider` held the patient from the clock start; `treatingProvider` received them on
 * `receivedOn` and treated on `treatedOn`.
 */
export function allocateBreach(p: { clockStart: IsoDate; referringProvider: string | null; treatingProvider: string | null; receivedOn: IsoDate | null; treatedOn: IsoDate }): Allocation {
  const { referringProvider: referring, treatingProvider: treating, receivedOn } = p;
  if (!receivedOn || !referring || !treating || referring === treating) {
    return { shares: [{ provider: treating ?? referring ?? 'unknown', share: 1 }], rule: 'no_transfer' };
  }
  if (daysBetween(p.clockStart, receivedOn) <= 38) return { shares: [{ provider: treating, share: 1 }], rule: 'treating_provider' };
  if (daysBetween(receivedOn, p.treatedOn) <= 24) return { shares: [{ provider: referring, share: 1 }], rule: 'referring_provider' };
  return { shares: [{ provider: referring, share: 0.5 }, { provider: treating, share: 0.5 }], rule: 'shared' };
}

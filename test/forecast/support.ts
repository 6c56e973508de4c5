// Simulated histories for the forecast's tests, grouped by pathway as the event log gives them.
import { simulate, type SimulateOptions } from '../../src/sim/simulate.ts';
import type { PathwayEvent } from '../../src/vocabulary/events.ts';
import type { HistoryRecord } from '../../src/forecast/read.ts';

const made = new Map<string, HistoryRecord[]>();

/**
 * A simulated history's pathways, each with its events in the order recorded (made once per
 * options; `keep` false: not kept for later tests, for a history too large to hold on to).
 */
export function history(opts: SimulateOptions, keep = true): HistoryRecord[] {
  const key = JSON.stringify(opts);
  let records = made.get(key);
  if (!records) {
    const byPathway = new Map<string, { recordedAt: string; event: PathwayEvent }[]>();
    for (const line of simulate(opts)) {
      const { pathwayId, recordedAt, ...event } = line;
      let events = byPathway.get(pathwayId);
      if (!events) byPathway.set(pathwayId, (events = []));
      events.push({ recordedAt, event: event as PathwayEvent });
    }
    records = [...byPathway].map(([pathwayId, events]) => ({ pathwayId, events }));
    if (keep) made.set(key, records);
  }
  return records;
}

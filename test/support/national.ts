// Helpers for the national returns' tests (issue #14): valid NHS numbers outside the test range,
// and pathways recorded event by event, each at noon on its clinical date.
import { checkDigit } from '../../src/vocabulary/nhs-number.ts';
import type { Instant, IsoDate } from '../../src/vocabulary/calendar.ts';
import type { Store } from '../../src/store/store.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

/** The i-th valid NHS number starting 4 (never the 999 test range). */
export function nhsNumber(i: number): string {
  for (let k = i * 3; ; k++) {
    const nine = `4${String(k).padStart(8, '0')}`;
    const c = checkDigit(nine);
    if (c !== null) return `${nine}${c}`;
  }
}

export type RawEvent = Record<string, unknown> & { type: string; on: IsoDate };

/** Appends events, each recorded at noon (UTC) on its clinical date unless it says `recordedAt`; throws on a refusal. */
export function record(store: Store, pathwayId: string, ...events: RawEvent[]): void {
  for (const { recordedAt, ...event } of events) {
    const at = (recordedAt as Instant | undefined) ?? `${event.on as IsoDate}T12:00:00.000Z`;
    const [r] = new PathwayCommands(store).appendMany([{ pathwayId, event, actor: 'test', recordedAt: at }]);
    if (r !== 'written')
      throw new Error(
        `${pathwayId} ${event.type} ${event.on}: not written: ${r instanceof Error ? r.message : String(r)}`,
      );
  }
}

export const ev = (type: string, on: IsoDate, extra: Record<string, unknown> = {}): RawEvent => ({
  type,
  on,
  ...extra,
});

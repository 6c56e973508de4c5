// The store adapter: the forecast's one pass reads each pathway's events, in the order recorded,
// from the event log. Everything past this line is pure (read.ts cuts each pathway at the as-of
// day before reading it). A faster "as at" reader (issue #23, item 7) would replace this pass.
import type { EventLog } from '../store/event-log.ts';
import type { HistoryRecord } from './read.ts';

export function historyOf(log: EventLog): Iterable<HistoryRecord> {
  return log.byPathway();
}

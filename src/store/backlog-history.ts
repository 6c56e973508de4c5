// The backlog of every day in a span, each day as it stood at the end of that day (only events
// recorded by then), in one pass over the event history: each pathway contributes its state of
// knowledge, recorded day by recorded day, to difference arrays over the span. It counts the
// same columns the in-memory index counts (src/store/backlog-index.ts), read from the same row
// function, so a snapshot made here equals one sealed from the index.
import { addDays, dayNumber, londonDateOf, type IsoDate } from '../vocabulary/calendar.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import type { PathwayState } from '../domain/pathway.ts';
import { advanceTrusted } from '../domain/kept-history.ts';
import { backlogCounts, NO_PROVIDER, type BacklogCounts, type GroupCounts } from '../cwt/backlog.ts';
import type { EventLog } from './event-log.ts';
import { toRow } from './pathway-row.ts';

type Metric = 'open' | 'over28' | 'over62' | 'over104' | 'fdsOverdue';
type GroupMetric = 'open' | 'over62' | 'over104';

class Span {
  readonly first: number;
  readonly length: number;
  private readonly totals = new Map<Metric, Int32Array>();
  readonly groups = {
    site: new Map<string, Record<GroupMetric, Int32Array>>(),
    stage: new Map<string, Record<GroupMetric, Int32Array>>(),
    provider: new Map<string, Record<GroupMetric, Int32Array>>(),
  };

  constructor(from: IsoDate, to: IsoDate) {
    this.first = dayNumber(from);
    this.length = dayNumber(to) - this.first + 1;
  }

  /** +1 on each day from `fromDay` to `toDay` (day numbers, inclusive). */
  private add(counts: Int32Array, fromDay: number, toDay: number): void {
    const a = Math.max(fromDay - this.first, 0);
    const b = Math.min(toDay - this.first, this.length - 1);
    if (a > b) return;
    counts[a]! += 1;
    counts[b + 1]! -= 1;
  }

  private array(map: Map<Metric, Int32Array>, metric: Metric): Int32Array {
    let a = map.get(metric);
    if (!a) map.set(metric, (a = new Int32Array(this.length + 1)));
    return a;
  }

  private group(kind: 'site' | 'stage' | 'provider', key: string) {
    let g = this.groups[kind].get(key);
    if (!g)
      this.groups[kind].set(
        key,
        (g = {
          open: new Int32Array(this.length + 1),
          over62: new Int32Array(this.length + 1),
          over104: new Int32Array(this.length + 1),
        }),
      );
    return g;
  }

  /** An open pathway as known from day `since` to day `until`: open throughout, over each threshold from its date. */
  contribute(state: PathwayState, since: number, until: number): void {
    const row = toRow('', 0, state, '0000-01-01T00:00:00.000Z', []); // only its backlog dates are read: no milestones
    if (row.status !== 'open') return;
    const from = (date: IsoDate | null) => (date === null ? Infinity : Math.max(since, dayNumber(date)));
    const put = (a: Int32Array, start: number) => {
      if (start !== Infinity) this.add(a, start, until);
    };
    put(this.array(this.totals, 'open'), since);
    put(this.array(this.totals, 'over28'), from(row.d62_over28_on));
    put(this.array(this.totals, 'over62'), from(row.d62_breach_on));
    put(this.array(this.totals, 'over104'), from(row.d62_over104_on));
    if (row.fds_state === 'running') put(this.array(this.totals, 'fdsOverdue'), from(row.fds_breach_on));
    for (const g of [
      this.group('site', row.tumour_site),
      this.group('stage', row.stage),
      this.group('provider', row.provider ?? NO_PROVIDER),
    ]) {
      put(g.open, since);
      put(g.over62, from(row.d62_breach_on));
      put(g.over104, from(row.d62_over104_on));
    }
  }

  days(from: IsoDate): BacklogCounts[] {
    const running = (a: Int32Array | undefined) => {
      const out = new Int32Array(this.length);
      let sum = 0;
      for (let d = 0; d < this.length; d++) out[d] = sum += a?.[d] ?? 0;
      return out;
    };
    const t = Object.fromEntries(
      (['open', 'over28', 'over62', 'over104', 'fdsOverdue'] as const).map((m) => [m, running(this.totals.get(m))]),
    ) as Record<Metric, Int32Array>;
    const sums = (map: Map<string, Record<GroupMetric, Int32Array>>) =>
      [...map].map(
        ([key, g]) => [key, { open: running(g.open), over62: running(g.over62), over104: running(g.over104) }] as const,
      );
    const sites = sums(this.groups.site);
    const stages = sums(this.groups.stage);
    const providers = sums(this.groups.provider);
    const at =
      (d: number) =>
      (entries: typeof sites): [string, GroupCounts][] =>
        entries.map(([key, g]) => [key, { open: g.open[d]!, over62: g.over62[d]!, over104: g.over104[d]! }]);
    const out: BacklogCounts[] = [];
    for (let d = 0; d < this.length; d++) {
      out.push(
        backlogCounts(
          addDays(from, d),
          {
            open: t.open[d]!,
            over28: t.over28[d]!,
            over62: t.over62[d]!,
            over104: t.over104[d]!,
            fdsOverdue: t.fdsOverdue[d]!,
          },
          at(d)(sites),
          at(d)(stages),
          at(d)(providers),
        ),
      );
    }
    return out;
  }
}

/** A pathway's states of knowledge: after all events recorded on each day, with the days that state stood. */
function* knowledge(
  events: { recordedAt: string; event: PathwayEvent }[],
): Generator<{ state: PathwayState; since: number; until: number }> {
  const known: PathwayEvent[] = [];
  let state: PathwayState | undefined;
  for (let i = 0; i < events.length;) {
    const day = londonDateOf(new Date(events[i]!.recordedAt));
    for (; i < events.length && londonDateOf(new Date(events[i]!.recordedAt)) === day; i++) {
      const event = events[i]!.event;
      known.push(event);
      state = advanceTrusted(state, event, known);
    }
    const until = i < events.length ? dayNumber(londonDateOf(new Date(events[i]!.recordedAt))) - 1 : Infinity;
    if (state) yield { state, since: dayNumber(day), until };
  }
}

/**
 * Every day's counts from `from` to `to`, synchronously (a command line, a report); `onStep` hears
 * the events read so far of all there are (a terminal shows it: the pass can take minutes).
 */
export function historyPass(
  log: EventLog,
  from: IsoDate,
  to: IsoDate,
  onStep?: (done: number, total: number) => void,
): BacklogCounts[] {
  const span = new Span(from, to);
  const total = onStep ? log.count() : 0;
  let done = 0;
  for (const { events } of log.byPathway()) {
    for (const k of knowledge(events)) span.contribute(k.state, k.since, k.until);
    done += events.length;
    onStep?.(done, total);
  }
  return span.days(from);
}

/** The same, awaiting `pause` every 50 pathways so a server stays responsive. */
export async function historyPassAsync(
  log: EventLog,
  from: IsoDate,
  to: IsoDate,
  pause: () => Promise<unknown>,
): Promise<BacklogCounts[]> {
  const span = new Span(from, to);
  let n = 0;
  for (const { events } of log.byPathway()) {
    for (const k of knowledge(events)) span.contribute(k.state, k.since, k.until);
    if (++n % 50 === 0) await pause(); // a slice of a few milliseconds: requests wait at most that long
  }
  return span.days(from);
}

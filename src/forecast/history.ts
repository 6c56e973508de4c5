// One pathway as known at a cut-off, read for the forecast: the steps it went through (each a
// state it waited in, from when to when and how it left), the queues it joined (which resource,
// when, whether and when it was served), and, if it is still open, where it stands now. Pure:
// the caller passes only the events recorded by the cut-off, so nothing later can leak in.
//
// The states (docs/forecast.md): `triage` (referred, nothing done yet), `first` (waiting for the
// first appointment: resource first:<site>), `rebook` (missed the first appointment, not rebooked),
// `investigate` (seen or tested, between steps), `test` (a test requested and not yet reported:
// resource test:<name>), `decide` (told of cancer, no decision to treat yet), `treat` (decided,
// waiting for the first treatment: resource treatment:<modality>). first, test and treat are queues.
import { dayNumber, londonDateOf, type IsoDate } from '../cwt/calendar.ts';
import { clockFold, clocksFromFacts, firstDayOver, mergePauses } from '../cwt/clocks.ts';
import type { PathwayEvent, Route, TumourSite } from '../domain/events.ts';
import { effectiveTimeline } from '../domain/effective-timeline.ts';

export type StateName = 'triage' | 'first' | 'rebook' | 'investigate' | 'test' | 'decide' | 'treat';
/** States whose wait is set by a resource's capacity. */
export const QUEUE_STATES: ReadonlySet<StateName> = new Set(['first', 'test', 'treat']);

/** A wait in a state that is not a queue: entered and left on day numbers; left null while still in it. */
export interface StateEpisode {
  state: StateName;
  site: TumourSite;
  /** What came before, where it changes what follows: the last test reported, or how investigation began. */
  ctx: string;
  route: Route;
  /** Fortnights waited (on the 62-day clock) when the state was entered, at most BANDS - 1: long waiters move faster. */
  band: number;
  entered: number;
  left: number | null;
  /** How it was left: `first`, `stt`, `seen`, `test:<name>`, `told:<outcome>`, `dtt:<modality>`, `onward:<site>`, `removed`. */
  label: string | null;
}

export type QueueOutcome = 'seen' | 'dna' | 'done' | 'treated' | 'removed' | 'left';

/** A place in a resource's queue. */
export interface QueueEpisode {
  resource: string;
  /** The day the need arose (the triage, the test request, the decision to treat). */
  entered: number;
  /** Fortnights waited on the 62-day clock by then (as for StateEpisode). */
  band: number;
  /** The slot booked, when known (an appointment's day, a test's day). */
  booked: number | null;
  /** The day the slot was used (attended or missed; a test done); null while waiting. */
  served: number | null;
  /** A test's report, when reported. */
  reported: number | null;
  outcome: QueueOutcome | null;
  /** The day it ended without the slot being used (removed, or the pathway moved on). */
  ended: number | null;
}

/** Where an open pathway stands at the cut-off: what the forecast carries on from. */
export interface OpenPathway {
  id: string;
  route: Route;
  site: TumourSite;
  provider: string | null;
  referred: number;
  /** The 62-day (and faster diagnosis) clock start, after any restart (R5). */
  start: number;
  /** The first day over 62 and over 104 days (R2, R15), allowing for known pauses. */
  breach62: number;
  breach104: number;
  /** The faster diagnosis clock is running (it applies and has not stopped). */
  fdsRunning: boolean;
  state: StateName;
  ctx: string;
  /** The day it entered its state. */
  entered: number;
  /** Queue places held: the first appointment, tests not yet reported, the treatment. */
  waiting: { resource: string; entered: number; band: number; booked: number | null; served: number | null }[];
}

/** How late an event was recorded after its clinical day, for the events that change the backlog. */
export type LagKind = 'referral' | 'treated' | 'closed';

export interface PathwayFacts {
  id: string;
  route: Route;
  referred: number;
  /** The tumour site and provider it was referred to. */
  site: TumourSite;
  provider: string | null;
  states: StateEpisode[];
  queues: QueueEpisode[];
  lags: { kind: LagKind; on: number; lag: number }[];
  open: OpenPathway | null;
}

export interface Recorded {
  recordedAt: string;
  event: PathwayEvent;
}

type Phase = 'triage' | 'first' | 'rebook' | 'investigate' | 'decide' | 'treat' | 'closed';

/** Fortnight bands of the wait at entry to a step: 0-13 days, 14-27, 28-41, 42-55, 56 and over. */
export const BANDS = 5;
export const bandOf = (waited: number) => Math.max(0, Math.min(BANDS - 1, Math.floor(waited / 14)));

/** A test's name as written loosely: "CT chest" and "ct_chest" are one test (as domain/tracking.ts reads them). */
const testKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The forecast's reading of one pathway from its events recorded by the cut-off (in the order
 * recorded), as at `asOf`; null without a referral.
 */
export function pathwayFacts(id: string, recorded: readonly Recorded[], asOf: IsoDate): PathwayFacts | null {
  const events = recorded.map((r) => r.event);
  const fold = clockFold(events);
  if (!fold) return null;
  const timeline = effectiveTimeline(events);
  const referral = timeline.find((e) => e.event.type === 'referral_received')?.event;
  if (!referral || referral.type !== 'referral_received') return null;

  const route = referral.route;
  let site: TumourSite = referral.tumourSite;
  let provider: string | null = referral.provider ?? null;
  const referred = dayNumber(referral.on);
  const states: StateEpisode[] = [];
  const queues: QueueEpisode[] = [];
  const lags: PathwayFacts['lags'] = [];

  let phase: Phase = 'triage';
  let ctx = '';
  let start = referred; // the clock start, moved by a rebooking after a missed first appointment (R5)
  let first: QueueEpisode | null = null;
  let treat: QueueEpisode | null = null;
  const tests: { key: string; name: string; ep: QueueEpisode }[] = [];
  let current: StateEpisode | null = null;
  let currentState: StateName | null = null;
  let entered = referred;

  const effective = (): StateName | null =>
    phase === 'closed' ? null : phase === 'investigate' && tests.length > 0 ? 'test' : phase;
  const open = (day: number) => {
    const s = effective();
    currentState = s;
    entered = day;
    current = null;
    if (s && !QUEUE_STATES.has(s)) {
      current = { state: s, site, ctx, route, band: bandOf(day - start), entered: day, left: null, label: null };
      states.push(current);
    }
  };
  /** After an event: if the state (or the site) changed, the old wait ends with `label` and a new one begins. */
  const settle = (day: number, label: string, siteChanged = false) => {
    if (effective() === currentState && !siteChanged) return;
    if (current) {
      (current as StateEpisode).left = day;
      (current as StateEpisode).label = label;
    }
    open(day);
  };
  const join = (resource: string, day: number, booked: number | null = null): QueueEpisode => {
    const ep: QueueEpisode = {
      resource,
      entered: day,
      band: bandOf(day - start),
      booked,
      served: null,
      reported: null,
      outcome: null,
      ended: null,
    };
    queues.push(ep);
    return ep;
  };
  const leaveQueues = (day: number, outcome: 'removed' | 'left') => {
    for (const ep of [first, treat, ...tests.map((t) => t.ep)])
      if (ep && ep.served === null && ep.ended === null) {
        ep.ended = day;
        ep.outcome = outcome;
      }
    first = null;
    tests.length = 0;
  };
  open(referred);

  for (const { index, event: e } of inStepOrder(timeline, () => new Set(tests.map((t) => t.key)))) {
    const day = dayNumber(e.on);
    const recordedDay = dayNumber(londonDateOf(new Date(recorded[index]!.recordedAt)));
    if (e.type === 'referral_received') {
      lags.push({ kind: 'referral', on: day, lag: recordedDay - day });
      continue;
    }
    if (phase === 'closed') continue;
    switch (e.type) {
      case 'triaged':
        if (phase !== 'triage') break;
        if (e.outcome === 'straight_to_test') {
          phase = 'investigate';
          ctx = 'stt';
          settle(day, 'stt');
        } else {
          phase = 'first';
          first = join(`first:${site}`, day);
          settle(day, 'first');
        }
        break;
      case 'appointment_booked':
        if (e.appointment !== 'first') break;
        if (phase === 'triage' || phase === 'rebook') {
          if (phase === 'rebook') start = day;
          phase = 'first';
          first = join(`first:${site}`, day, dayNumber(e.appointmentOn));
          settle(day, 'first');
        } else if (phase === 'first' && first) {
          first.booked = dayNumber(e.appointmentOn);
        }
        break;
      case 'patient_cancelled':
        if (phase === 'first' && first && e.appointment === 'first') first.booked = null;
        break;
      case 'dna':
        if (phase === 'first' && first && e.appointment === 'first') {
          first.served = day;
          first.outcome = 'dna';
          first = null;
          phase = 'rebook';
          settle(day, 'dna');
        }
        break;
      case 'first_seen':
        if (phase === 'first' && first) {
          first.served = day;
          first.outcome = 'seen';
          first = null;
        } else if (phase !== 'triage' && phase !== 'rebook') break;
        phase = 'investigate';
        ctx = 'seen';
        settle(day, 'seen');
        break;
      case 'test_requested': {
        const ep = join(`test:${e.test}`, day, e.testOn === undefined ? null : dayNumber(e.testOn));
        if (phase === 'decide' || phase === 'treat') {
          // A test after the diagnosis holds a slot but does not hold the pathway up.
          ep.ended = day;
          ep.outcome = 'left';
          break;
        }
        tests.push({ key: testKey(e.test), name: e.test, ep });
        if (phase === 'triage' || phase === 'rebook') phase = 'investigate';
        settle(day, `test:${e.test}`);
        break;
      }
      case 'test_reported': {
        let i = tests.findIndex((t) => t.key === testKey(e.test));
        if (i < 0 && tests.length === 1) i = 0;
        if (i >= 0) {
          const ep = tests[i]!.ep;
          ep.served = ep.booked !== null && ep.booked <= day ? ep.booked : day;
          ep.reported = day;
          ep.outcome = 'done';
          tests.splice(i, 1);
        } else if (phase === 'triage' || phase === 'rebook' || (phase === 'investigate' && tests.length === 0)) {
          // Reported with no request on record: the step happened, its wait is unknown.
          if (current) {
            (current as StateEpisode).left = day;
            (current as StateEpisode).label = `test:${e.test}`;
          }
          phase = 'investigate';
          ctx = e.test;
          open(day);
          break;
        } else break;
        if (phase === 'investigate' && tests.length === 0) {
          ctx = e.test;
          settle(day, 'reported');
        }
        break;
      }
      case 'diagnosis_communicated':
        if (phase === 'treat' || phase === 'decide') break;
        leaveQueues(day, 'left');
        phase = e.outcome === 'cancer_confirmed' ? 'decide' : 'closed';
        if (phase === 'closed') lags.push({ kind: 'closed', on: day, lag: recordedDay - day });
        ctx = '';
        settle(day, `told:${e.outcome}`);
        break;
      case 'decision_to_treat': {
        if (phase === 'treat') break;
        leaveQueues(day, 'left');
        const modality = e.plannedModality ?? laterModality(timeline) ?? 'other';
        treat = join(`treatment:${modality}`, day);
        phase = 'treat';
        ctx = '';
        settle(day, `dtt:${modality}`);
        break;
      }
      case 'treatment_started':
        if (phase !== 'treat' || !treat) break;
        treat.served = day;
        treat.outcome = 'treated';
        treat = null;
        phase = 'closed';
        lags.push({ kind: 'treated', on: day, lag: recordedDay - day });
        settle(day, 'treated');
        break;
      case 'removed':
        leaveQueues(day, 'removed');
        if (treat && treat.served === null) {
          treat.ended = day;
          treat.outcome = 'removed';
        }
        phase = 'closed';
        lags.push({ kind: 'closed', on: day, lag: recordedDay - day });
        settle(day, 'removed');
        break;
      case 'referred_onward':
        site = e.toTumourSite;
        settle(day, `onward:${site}`, currentState === 'investigate');
        break;
      case 'transferred':
        provider = e.toProvider;
        break;
      default:
        break;
    }
  }

  // A test whose booked day has passed and that is not yet reported was done that day: it waits for its report.
  const cutDay = dayNumber(asOf);
  for (const t of tests)
    if (t.ep.booked !== null && t.ep.booked <= cutDay) {
      t.ep.served = t.ep.booked;
      t.ep.outcome = 'done';
    }
  const clocks = clocksFromFacts(fold.facts, asOf);
  let openPathway: OpenPathway | null = null;
  if (clocks.status === 'open' && phase !== 'closed') {
    const pauses = mergePauses(fold.facts.pauses);
    const start = fold.facts.start;
    const state = effective()!;
    const waiting = [first, treat, ...tests.map((t) => t.ep)]
      .filter((ep): ep is QueueEpisode => ep !== null && ep.reported === null && ep.ended === null)
      .filter((ep) => ep.served === null || ep.outcome === 'done')
      .map((ep) => ({
        resource: ep.resource,
        entered: ep.entered,
        band: ep.band,
        booked: ep.booked,
        served: ep.served,
      }));
    openPathway = {
      id,
      route,
      site,
      provider,
      referred,
      start: dayNumber(start),
      breach62: dayNumber(firstDayOver(62, start, pauses)),
      breach104: dayNumber(firstDayOver(104, start, pauses)),
      fdsRunning: clocks.fds.state === 'running',
      state,
      ctx,
      entered,
      waiting,
    };
  }
  return {
    id,
    route,
    referred,
    site: referral.tumourSite,
    provider: referral.provider ?? null,
    states,
    queues,
    lags,
    open: openPathway,
  };
}

// Events on one clinical day are read as recorded, except that the day's steps come in the order
// they must have happened, whatever order they were entered in: reports of tests requested on an
// earlier day, then new requests, then reports of those, then telling the patient, the decision to
// treat, the treatment or removal (a biopsy is requested on the day the scan is reported).
function dayRank(e: PathwayEvent, outstanding: ReadonlySet<string>): number {
  switch (e.type) {
    case 'referral_received':
      return 0;
    case 'test_reported':
      return outstanding.has(testKey(e.test)) ? 2 : 4;
    case 'test_requested':
      return 3;
    case 'diagnosis_communicated':
      return 5;
    case 'decision_to_treat':
      return 6;
    case 'treatment_started':
      return 7;
    case 'removed':
      return 8;
    default:
      return 1;
  }
}

/** The timeline (clinical date, ties as recorded) with each day's events put in step order. */
function inStepOrder<T extends { index: number; event: PathwayEvent }>(
  timeline: T[],
  outstanding: () => ReadonlySet<string>,
): Generator<T> {
  return (function* () {
    for (let i = 0; i < timeline.length;) {
      let j = i;
      while (j < timeline.length && timeline[j]!.event.on === timeline[i]!.event.on) j++;
      const open = outstanding();
      const day = timeline.slice(i, j);
      const rank = new Map(day.map((t) => [t, dayRank(t.event, open)]));
      yield* day.sort((a, b) => rank.get(a)! - rank.get(b)! || a.index - b.index);
      i = j;
    }
  })();
}

/** The modality of the first treatment, for a decision to treat recorded without a planned modality. */
function laterModality(timeline: readonly { event: PathwayEvent }[]): string | undefined {
  const t = timeline.find((e) => e.event.type === 'treatment_started')?.event;
  return t?.type === 'treatment_started' ? t.modality : undefined;
}

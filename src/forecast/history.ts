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
import { dayNumber, londonDateOf, type IsoDate } from '../vocabulary/calendar.ts';
import { clockFoldOf, clocksFromFacts, firstDayOver, mergePauses, type ClockFacts } from '../cwt/clocks.ts';
import type { PathwayEvent, ReferralReceived, Route, TumourSite } from '../vocabulary/events.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';

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
  /** Waiting for tests: the state it goes back to once they are reported (investigating, or staging before the decision). */
  returnsTo: 'investigate' | 'decide';
  /** Decided before being told: the planned modality, queued for once the patient is told. */
  decided: string | null;
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

/** The London day an event was recorded: worked out only for the few events whose recording delay is kept. */
const recordedDayOf = (recordedAt: string) => dayNumber(londonDateOf(new Date(recordedAt)));

/** A test's name as written loosely: "CT chest" and "ct_chest" are one test (as domain/tracking.ts reads them). */
const testKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The forecast's reading of one pathway from its events recorded by the cut-off (in the order
 * recorded), as at `asOf`; null without a referral.
 */
export function pathwayFacts(id: string, recorded: readonly Recorded[], asOf: IsoDate): PathwayFacts | null {
  const timeline = effectiveTimeline(recorded.map((r) => r.event));
  const fold = clockFoldOf(timeline);
  if (!fold) return null;
  const referral = timeline.find((e) => e.event.type === 'referral_received')?.event;
  if (!referral || referral.type !== 'referral_received') return null;
  const reader = new StepReader(referral, laterModality(timeline));
  inStepOrder(
    timeline,
    () => reader.outstandingTests(),
    ({ index, event }) => reader.take(event, dayNumber(event.on), recorded[index]!.recordedAt),
  );
  const clocks = clocksFromFacts(fold.facts, asOf);
  const open =
    clocks.status === 'open' ? reader.openPathway(id, fold.facts, clocks.fds.state === 'running', asOf) : null;
  return {
    id,
    route: referral.route,
    referred: dayNumber(referral.on),
    site: referral.tumourSite,
    provider: referral.provider ?? null,
    states: reader.states,
    queues: reader.queues,
    lags: reader.lags,
    open,
  };
}

/** One pass over a pathway's timeline: the state it is in, the waits it has finished, the queue places it holds. */
class StepReader {
  readonly states: StateEpisode[] = [];
  readonly queues: QueueEpisode[] = [];
  readonly lags: PathwayFacts['lags'] = [];
  private readonly route: Route;
  private site: TumourSite;
  private provider: string | null;
  private phase: Phase = 'triage';
  /** What came before the current step (the last test reported, or how investigation began). */
  private ctx = '';
  /** The clock start, moved by a rebooking after a missed first appointment (R5). */
  private start: number;
  private first: QueueEpisode | null = null;
  private treat: QueueEpisode | null = null;
  private readonly tests: { key: string; name: string; ep: QueueEpisode }[] = [];
  /** A decision to treat made before the patient was told, kept until they are. */
  private early: { modality: string; on: number } | null = null;
  private current: StateEpisode | null = null;
  private currentState: StateName | null = null;
  private entered: number;

  constructor(
    referral: ReferralReceived,
    /** The first treatment's modality, for a decision to treat recorded without a planned one. */
    private readonly givenModality: string | undefined,
  ) {
    this.route = referral.route;
    this.site = referral.tumourSite;
    this.provider = referral.provider ?? null;
    this.start = this.entered = dayNumber(referral.on);
    this.open(this.start);
  }

  outstandingTests(): ReadonlySet<string> {
    return new Set(this.tests.map((t) => t.key));
  }

  /** Takes the next event (in step order), on clinical day `day`, recorded at `recordedAt`. */
  take(e: PathwayEvent, day: number, recordedAt: string): void {
    if (e.type === 'referral_received') {
      this.lags.push({ kind: 'referral', on: day, lag: recordedDayOf(recordedAt) - day });
      return;
    }
    if (this.phase === 'closed') return; // the treatment plan after the first treatment is not forecast
    switch (e.type) {
      case 'triaged':
        if (this.phase !== 'triage') return;
        if (e.outcome === 'straight_to_test') this.investigate(day, 'stt', 'stt');
        else this.needFirst(day, null);
        return;
      case 'appointment_booked':
        if (e.appointment !== 'first') return;
        if (this.phase === 'triage' || this.phase === 'rebook') this.needFirst(day, dayNumber(e.appointmentOn));
        else if (this.phase === 'first' && this.first) this.first.booked = dayNumber(e.appointmentOn);
        return;
      case 'patient_cancelled':
        if (this.phase === 'first' && this.first && e.appointment === 'first') this.first.booked = null;
        else if (e.appointment !== 'first') this.testMissed(day, 'left');
        return;
      case 'dna':
        if (e.appointment === 'subsequent') return this.testMissed(day, 'dna');
        if (this.phase === 'first' && this.first) {
          this.use(this.first, day, 'dna');
          this.first = null;
          this.phase = 'rebook';
          this.settle(day, 'dna');
        }
        return;
      case 'first_seen':
        if (this.phase === 'first' && this.first) {
          this.use(this.first, day, 'seen');
          this.first = null;
        } else if (this.phase !== 'triage' && this.phase !== 'rebook') return;
        this.investigate(day, 'seen', 'seen');
        return;
      case 'test_requested':
        return this.requested(e.test, e.testOn, day);
      case 'test_reported':
        return this.reported(e.test, day);
      case 'diagnosis_communicated':
        return this.told(e.outcome, day, recordedAt);
      case 'decision_to_treat':
        return this.decided(e.plannedModality, day);
      case 'treatment_started':
        if (this.phase !== 'treat' && this.early) this.treatEarly(); // treated with no diagnosis told
        if (this.phase !== 'treat' || !this.treat) return;
        this.use(this.treat, day, 'treated');
        this.treat = null;
        this.close(day, 'treated', 'treated', recordedAt);
        return;
      case 'removed':
        this.leaveQueues(day, 'removed');
        this.close(day, 'removed', 'closed', recordedAt);
        return;
      case 'referred_onward':
        this.site = e.toTumourSite;
        this.settle(day, `onward:${this.site}`, this.currentState === 'investigate');
        return;
      case 'transferred':
        this.provider = e.toProvider;
        return;
      default:
        return;
    }
  }

  /** Triaged to an appointment (or booked one): waiting for a first appointment at the site's clinic. */
  private needFirst(day: number, booked: number | null): void {
    if (this.phase === 'rebook') this.start = day;
    this.phase = 'first';
    this.first = this.join(`first:${this.site}`, day, booked);
    this.settle(day, 'first');
  }

  private investigate(day: number, ctx: string, label: string): void {
    this.phase = 'investigate';
    this.ctx = ctx;
    this.settle(day, label);
  }

  /**
   * A test requested: while investigating, or staging after the patient is told, the pathway waits
   * for it; after the decision to treat it takes a slot but holds nothing up.
   */
  private requested(test: string, testOn: IsoDate | undefined, day: number): void {
    const ep = this.join(`test:${test}`, day, testOn === undefined ? null : dayNumber(testOn));
    this.tests.push({ key: testKey(test), name: test, ep });
    if (this.phase === 'triage' || this.phase === 'rebook') this.phase = 'investigate';
    this.settle(day, `test:${test}`);
  }

  private reported(test: string, day: number): void {
    let i = this.tests.findIndex((t) => t.key === testKey(test));
    if (i < 0 && this.tests.length === 1) i = 0;
    if (i >= 0) {
      const ep = this.tests[i]!.ep;
      this.use(ep, ep.booked !== null && ep.booked <= day ? ep.booked : day, 'done');
      ep.reported = day;
      this.tests.splice(i, 1);
      if (this.tests.length === 0 && (this.phase === 'investigate' || this.phase === 'decide')) {
        this.ctx = test; // back to investigating, or to the decision, knowing this result
        this.settle(day, 'reported');
      }
    } else if (this.phase === 'triage' || this.phase === 'rebook' || this.effective() === 'investigate') {
      // Reported with no request on record: the step happened, its wait is unknown.
      if (this.current) {
        this.current.left = day;
        this.current.label = `test:${test}`;
      }
      this.phase = 'investigate';
      this.ctx = test;
      this.open(day);
    }
  }

  /**
   * A test missed (its slot is used) or cancelled by the patient (its slot given back): the test
   * booked for that day, or the next one booked after a cancellation. The request that follows
   * queues again; meanwhile the pathway is back where it was.
   */
  private testMissed(day: number, outcome: 'dna' | 'left'): void {
    const booked = this.tests
      .filter((t) => t.ep.booked !== null && (outcome === 'dna' ? t.ep.booked === day : t.ep.booked >= day))
      .sort((a, b) => a.ep.booked! - b.ep.booked!)[0];
    if (!booked) return;
    if (outcome === 'dna') this.use(booked.ep, day, 'dna');
    else {
      booked.ep.ended = day;
      booked.ep.outcome = 'left';
    }
    this.tests.splice(this.tests.indexOf(booked), 1);
    this.settle(day, outcome === 'dna' ? 'dna' : 'cancelled');
  }

  private told(outcome: string, day: number, recordedAt: string): void {
    if (this.phase === 'treat' || this.phase === 'decide') return;
    this.leaveQueues(day, 'left');
    if (outcome !== 'cancer_confirmed') return this.close(day, `told:${outcome}`, 'closed', recordedAt);
    this.ctx = '';
    if (this.early) {
      // Decided before being told (an excision at the first appointment): the treatment waits from now.
      this.treat = this.join(`treatment:${this.early.modality}`, day, null);
      this.phase = 'treat';
    } else this.phase = 'decide';
    this.settle(day, `told:${outcome}`);
  }

  /**
   * A decision to treat. Before the patient is told (an excision decided at the first appointment)
   * it stops the faster diagnosis clock (R8) but the investigation goes on: the decision is kept and
   * the treatment queued once the patient is told (or treated).
   */
  private decided(planned: string | undefined, day: number): void {
    if (this.phase === 'treat') return;
    const modality = planned ?? this.givenModality ?? 'other';
    if (this.phase !== 'decide') {
      this.early ??= { modality, on: day };
      return;
    }
    this.leaveQueues(day, 'left');
    this.treat = this.join(`treatment:${modality}`, day, null);
    this.phase = 'treat';
    this.ctx = '';
    this.settle(day, `dtt:${modality}`);
  }

  /** Treated after an early decision with no diagnosis told: the treatment waited from the decision. */
  private treatEarly(): void {
    this.leaveQueues(this.early!.on, 'left');
    this.treat = this.join(`treatment:${this.early!.modality}`, this.early!.on, null);
    this.phase = 'treat';
  }

  private close(day: number, label: string, lag: LagKind, recordedAt: string): void {
    if (this.treat && this.treat.served === null) {
      this.treat.ended = day;
      this.treat.outcome = 'removed';
    }
    this.phase = 'closed';
    this.lags.push({ kind: lag, on: day, lag: recordedDayOf(recordedAt) - day });
    this.settle(day, label);
  }

  private effective(): StateName | null {
    if (this.phase === 'closed') return null;
    return (this.phase === 'investigate' || this.phase === 'decide') && this.tests.length > 0 ? 'test' : this.phase;
  }

  private open(day: number): void {
    const s = this.effective();
    this.currentState = s;
    this.entered = day;
    this.current = null;
    if (s && !QUEUE_STATES.has(s)) {
      this.current = {
        state: s,
        site: this.site,
        ctx: this.ctx,
        route: this.route,
        band: bandOf(day - this.start),
        entered: day,
        left: null,
        label: null,
      };
      this.states.push(this.current);
    }
  }

  /** After an event: if the state (or the site) changed, the old wait ends with `label` and a new one begins. */
  private settle(day: number, label: string, siteChanged = false): void {
    if (this.effective() === this.currentState && !siteChanged) return;
    if (this.current) {
      this.current.left = day;
      this.current.label = label;
    }
    this.open(day);
  }

  private join(resource: string, day: number, booked: number | null): QueueEpisode {
    const ep: QueueEpisode = {
      resource,
      entered: day,
      band: bandOf(day - this.start),
      booked,
      served: null,
      reported: null,
      outcome: null,
      ended: null,
    };
    this.queues.push(ep);
    return ep;
  }

  private use(ep: QueueEpisode, day: number, outcome: QueueOutcome): void {
    ep.served = day;
    ep.outcome = outcome;
  }

  private leaveQueues(day: number, outcome: 'removed' | 'left'): void {
    for (const ep of [this.first, ...this.tests.map((t) => t.ep)])
      if (ep && ep.served === null && ep.ended === null) {
        ep.ended = day;
        ep.outcome = outcome;
      }
    this.first = null;
    this.tests.length = 0;
  }

  /** Where the pathway stands at the cut-off, with its clocks: what the forecast carries on from. */
  openPathway(id: string, facts: ClockFacts, fdsRunning: boolean, asOf: IsoDate): OpenPathway | null {
    const state = this.effective();
    if (!state) return null;
    // A test whose booked day has passed and that is not yet reported was done that day: it waits for its report.
    const cutDay = dayNumber(asOf);
    for (const t of this.tests) if (t.ep.booked !== null && t.ep.booked <= cutDay) this.use(t.ep, t.ep.booked, 'done');
    const places = [this.first, this.treat, ...this.tests.map((t) => t.ep)].filter(
      (ep): ep is QueueEpisode =>
        ep !== null && ep.reported === null && ep.ended === null && (ep.served === null || ep.outcome === 'done'),
    );
    const pauses = mergePauses(facts.pauses);
    return {
      id,
      route: this.route,
      site: this.site,
      provider: this.provider,
      referred: dayNumber(facts.referred),
      start: dayNumber(facts.start),
      breach62: dayNumber(firstDayOver(62, facts.start, pauses)),
      breach104: dayNumber(firstDayOver(104, facts.start, pauses)),
      fdsRunning,
      state,
      returnsTo: this.phase === 'decide' ? 'decide' : 'investigate',
      decided: this.early?.modality ?? null,
      ctx: this.ctx,
      entered: this.entered,
      waiting: places.map((ep) => ({
        resource: ep.resource,
        entered: ep.entered,
        band: ep.band,
        booked: ep.booked,
        served: ep.served,
      })),
    };
  }
}

// Events on one clinical day are read as recorded, except that the day's steps come in the order
// they must have happened, whatever order they were entered in: reports of tests requested on an
// earlier day, telling the patient, new requests (a biopsy on the day the scan is reported, a
// staging scan on the day the patient is told), reports of those, then the decision to treat, the
// treatment or removal.
function dayRank(e: PathwayEvent, outstanding: ReadonlySet<string>): number {
  switch (e.type) {
    case 'referral_received':
      return 0;
    case 'test_reported':
      return outstanding.has(testKey(e.test)) ? 2 : 5;
    case 'diagnosis_communicated':
      return 3;
    case 'test_requested':
      return 4;
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

/**
 * Takes the timeline (clinical date, ties as recorded) with each day's events put in step order,
 * each taken before the next day's order is worked out. (A loop, not a generator: this runs for
 * every event of a forecast's read.)
 */
function inStepOrder<T extends { index: number; event: PathwayEvent }>(
  timeline: T[],
  outstanding: () => ReadonlySet<string>,
  take: (t: T) => void,
): void {
  for (let i = 0; i < timeline.length;) {
    let j = i + 1;
    while (j < timeline.length && timeline[j]!.event.on === timeline[i]!.event.on) j++;
    if (j === i + 1) {
      take(timeline[i++]!); // alone on its day (most are): nothing to order
      continue;
    }
    const open = outstanding();
    const day = timeline.slice(i, j);
    const rank = new Map(day.map((t) => [t, dayRank(t.event, open)]));
    for (const t of day.sort((a, b) => rank.get(a)! - rank.get(b)! || a.index - b.index)) take(t);
    i = j;
  }
}

/** The modality of the first treatment, for a decision to treat recorded without a planned modality. */
function laterModality(timeline: readonly { event: PathwayEvent }[]): string | undefined {
  const t = timeline.find((e) => e.event.type === 'treatment_started')?.event;
  return t?.type === 'treatment_started' ? t.modality : undefined;
}

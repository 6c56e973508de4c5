// The patient-level forecast: every open pathway carries on from where it stands and new referrals
// arrive; steps that are not queues end as the calibration's tables say, given the days already
// waited; first appointments, tests and treatments wait for a slot of their resource (booked slots
// are kept; the rest are served in order of referral date, each once its notice has passed, or, at a
// resource whose bookings are not recorded, once the date it already holds comes). docs/forecast.md.
// Run K times; each run counts the backlog at each week-ending as it would stand recorded (closing
// events are recorded late as they were), and which open pathways pass 62 days or breach the FDS.
// Pure and deterministic: plain inputs, the simulator's seeded generator, no clock.
import { dayNumber, fromDayNumber, type IsoDate } from '../vocabulary/calendar.ts';
import { FDS_APPLIES } from '../cwt/clocks.ts';
import { ROUTES, TUMOUR_SITES, type TumourSite } from '../vocabulary/events.ts';
import { mix32, Random } from '../sim/random.ts';
import { resourceOfOutcome, stepKeys, type Calibration, type ResourceModel } from './calibrate.ts';
import { ExitSampler, normalQuantile, percentile, poisson, round, type ExitTable } from './distributions.ts';
import { BANDS, bandOf, type OpenPathway, type StateName } from './history.ts';

export interface CapacityLever {
  kind: 'capacity';
  resource: string;
  /** A relative change (0.2: +20%) or slots a week (15: +15/week). */
  percent?: number;
  perWeek?: number;
  /** First day (number) it applies. */
  from: number;
}
export interface DemandLever {
  kind: 'demand';
  site: TumourSite;
  percent: number;
  from: number;
}
export type Lever = CapacityLever | DemandLever;

export interface ForecastOptions {
  weeks: number;
  runs: number;
  seed: number;
  site?: TumourSite;
  provider?: string;
  levers?: Lever[];
  /** Extra days (numbers) to count the backlog on, beyond the week-endings (a target's date). */
  extraDays?: number[];
}

export interface Band {
  p10: number | null;
  p50: number | null;
  p90: number | null;
}
export interface WeekForecast {
  weekEnding: IsoDate;
  open: Band;
  over62: Band;
  over104: Band;
  fds: Band;
  d62: Band;
}

/** Every run's counts: the raw material for percentiles, targets and risks. */
export interface RunCounts {
  /** Days counted: the week-endings, then any extra days. */
  days: number[];
  /** [run][day] */
  open: Int32Array[];
  over62: Int32Array[];
  over104: Int32Array[];
  /** [run][week]: clocks stopped in the week, and of those met. */
  fdsStops: Int32Array[];
  fdsMet: Int32Array[];
  d62Stops: Int32Array[];
  d62Met: Int32Array[];
  /** [run][week]: the flows in and out: referrals received, first treatments given, and pathways closed otherwise (ruled out, removed). */
  referred: Int32Array[];
  treated: Int32Array[];
  closed: Int32Array[];
  /** For each open pathway (input order): runs in which it passes 62 days, and breaches its FDS, within the horizon. */
  passed62: Int32Array;
  fdsBreached: Int32Array;
}

/** The Sunday week-endings after the as-of day. */
export function weekEndings(asOfDay: number, weeks: number): number[] {
  const wd = (((asOfDay + 4) % 7) + 7) % 7;
  const first = asOfDay + (7 - wd);
  return Array.from({ length: weeks }, (_, i) => first + 7 * i);
}

/**
 * The open pathways as the runs take them: numbers in typed arrays on memory shared between
 * threads (each worker thread reads the one copy, where a clone of 350,000 objects each cost
 * hundreds of megabytes), names by number in a small table. `packOpen` makes it.
 */
export interface OpenColumns {
  count: number;
  /** Providers, contexts, resources and modalities, by number. */
  names: string[];
  /** OPEN_FIELDS numbers a pathway (the O_ offsets below). */
  fields: Int32Array;
  /** Pathway i's queue places for its state: PLACE_FIELDS numbers each, from placeStart[i] to placeStart[i + 1]. */
  placeStart: Int32Array;
  places: Int32Array;
  /** Every resource the pathways wait for (names by number), in the order they first name them. */
  waited: number[];
}

const O_ROUTE = 0;
const O_SITE = 1;
const O_PROVIDER = 2;
const O_CTX = 3;
const O_STATE = 4;
const O_AFTER = 5;
/** The modality decided before the patient was told (a name), or -1. */
const O_DECIDED = 6;
const O_REFERRED = 7;
const O_START = 8;
const O_BREACH62 = 9;
const O_BREACH104 = 10;
const O_FDS = 11;
const O_ENTERED = 12;
const OPEN_FIELDS = 13;
/** A place: its resource (a name), the day it was entered, booked and served (NONE: not yet). */
const PLACE_FIELDS = 4;
const NONE = -(2 ** 31);

/** The open pathways (history.ts, in input order) as OpenColumns. */
export function packOpen(open: readonly OpenPathway[]): OpenColumns {
  const names: string[] = [];
  const index = new Map<string, number>();
  const name = (s: string) => {
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = names.push(s) - 1));
    return i;
  };
  const waited = new Set<number>();
  const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));
  const fields = shared(open.length * OPEN_FIELDS);
  const placeStart = shared(open.length + 1);
  const places: number[] = [];
  open.forEach((o, i) => {
    const f = i * OPEN_FIELDS;
    fields[f + O_ROUTE] = ROUTE_INDEX.get(o.route)!;
    fields[f + O_SITE] = SITE_INDEX.get(o.site)!;
    fields[f + O_PROVIDER] = name(o.provider ?? '');
    fields[f + O_CTX] = name(o.ctx);
    fields[f + O_STATE] = S[o.state];
    fields[f + O_AFTER] = S[o.returnsTo];
    fields[f + O_DECIDED] = o.decided === null ? -1 : name(o.decided);
    fields[f + O_REFERRED] = o.referred;
    fields[f + O_START] = o.start;
    fields[f + O_BREACH62] = o.breach62;
    fields[f + O_BREACH104] = o.breach104;
    fields[f + O_FDS] = o.fdsRunning ? 1 : 0;
    fields[f + O_ENTERED] = o.entered;
    for (const w of o.waiting) waited.add(name(w.resource));
    // Only the places of the queue it is in (a test requested after the decision holds nothing up).
    const prefix =
      o.state === 'first' ? 'first:' : o.state === 'test' ? 'test:' : o.state === 'treat' ? 'treatment:' : null;
    if (prefix)
      for (const w of o.waiting)
        if (w.resource.startsWith(prefix)) places.push(name(w.resource), w.entered, w.booked ?? NONE, w.served ?? NONE);
    placeStart[i + 1] = places.length;
  });
  const placeArray = shared(places.length);
  placeArray.set(places);
  return { count: open.length, names, fields, placeStart, places: placeArray, waited: [...waited] };
}

const SITE_INDEX = new Map<string, number>(TUMOUR_SITES.map((s, i) => [s, i]));
const ROUTE_INDEX = new Map<string, number>(ROUTES.map((r, i) => [r, i]));

const S = { triage: 0, first: 1, rebook: 2, investigate: 3, test: 4, decide: 5, treat: 6, closed: 7 } as const;
const STATE_NAMES: StateName[] = ['triage', 'first', 'rebook', 'investigate', 'test', 'decide', 'treat'];

// What a step's outcome label does (parsed once).
const A_FIRST = 0;
const A_INVESTIGATE = 1; // stt, seen
const A_TEST = 2;
const A_DECIDE = 3;
const A_CLOSE = 4; // told: ruled out or interval scan, removed
const A_TREAT = 5;
const A_ONWARD = 6;
interface Action {
  kind: number;
  /** Resource index (test, treatment), site index (onward), context (investigate). */
  arg: number;
  ctx: number;
  removal: boolean;
}

// Agenda entry kinds.
const K_EXIT = 0;
const K_READY = 1;
const K_BOOKED = 2;
const K_REPORTED = 3;
const K_REMOVE = 4;

const FAR = 2 ** 30;
/** Step groups within a context: state, site, route, band. */
const GROUPS = 8 * TUMOUR_SITES.length * ROUTES.length * BANDS;
/** Relative drift allowed in a site's referrals over the horizon, beyond the estimate's sampling error. */
export const DEMAND_DRIFT = 0.05;
/** Relative drift allowed in a resource's capacity over the horizon, beyond the estimate's sampling error. */
export const CAPACITY_DRIFT = 0.03;

/**
 * Runs the forecast K times (or runs `from` to `to` - 1 of them: each run draws from its own
 * generator, seeded by the seed and its number, so runs made apart, in worker threads, and put
 * together in order are the same bytes). `open` are the pathways open at the as-of day
 * (history.ts); the calibration is as at the same day.
 */
export function runForecast(
  cal: Calibration,
  open: readonly OpenPathway[],
  opts: ForecastOptions,
  runs: { from: number; to: number } = { from: 0, to: opts.runs },
): RunCounts {
  return forecastRuns(cal, packOpen(open), opts)(runs);
}

/**
 * The runs of one forecast, made a block at a time: what the runs share (the tables made ready to
 * draw from, the steps looked up, the open pathways' names) is made once, however many blocks a
 * worker thread is given.
 */
export function forecastRuns(
  cal: Calibration,
  open: OpenColumns,
  opts: ForecastOptions,
): (runs: { from: number; to: number }) => RunCounts {
  const engine = new Engine(cal, open, opts);
  return ({ from, to }) => {
    const out = emptyCounts(engine.days, open.count);
    for (let run = from; run < to; run++) engine.run(run, out);
    return out;
  };
}

function emptyCounts(days: number[], open: number): RunCounts {
  return {
    days,
    open: [],
    over62: [],
    over104: [],
    fdsStops: [],
    fdsMet: [],
    d62Stops: [],
    d62Met: [],
    referred: [],
    treated: [],
    closed: [],
    passed62: new Int32Array(open),
    fdsBreached: new Int32Array(open),
  };
}

const RUN_SERIES = [
  'open',
  'over62',
  'over104',
  'fdsStops',
  'fdsMet',
  'd62Stops',
  'd62Met',
  'referred',
  'treated',
  'closed',
] as const;

/** A part's runs without each pathway's counts (those are added up as the parts come in). */
export type RunSeries = Omit<RunCounts, 'passed62' | 'fdsBreached'>;

/** Runs made in parts (consecutive runs each, in run order) as one RunCounts, with each pathway's counts summed over them. */
export function joinRunCounts(parts: readonly RunSeries[], passed62: Int32Array, fdsBreached: Int32Array): RunCounts {
  const out: RunCounts = { ...emptyCounts(parts[0]!.days, 0), passed62, fdsBreached };
  for (const part of parts) for (const key of RUN_SERIES) for (const run of part[key]) out[key].push(run);
  return out;
}

/** Percentiles of each week's counts and shares. */
export function trajectory(counts: RunCounts, weeks: number): WeekForecast[] {
  const band = (values: number[], places: number): Band => {
    const sorted = values.sort((a, b) => a - b);
    const q = (p: number) => {
      const v = percentile(sorted, p);
      return v === null ? null : round(v, places);
    };
    return { p10: q(0.1), p50: q(0.5), p90: q(0.9) };
  };
  const runs = counts.open.length;
  const out: WeekForecast[] = [];
  for (let w = 0; w < weeks; w++) {
    const col = (a: Int32Array[]) => Array.from({ length: runs }, (_, r) => a[r]![w]!);
    const share = (met: Int32Array[], stops: Int32Array[]) => {
      const v: number[] = [];
      for (let r = 0; r < runs; r++) if (stops[r]![w]! > 0) v.push(met[r]![w]! / stops[r]![w]!);
      return band(v, 4);
    };
    out.push({
      weekEnding: fromDayNumber(counts.days[w]!),
      open: band(col(counts.open), 0),
      over62: band(col(counts.over62), 0),
      over104: band(col(counts.over104), 0),
      fds: share(counts.fdsMet, counts.fdsStops),
      d62: share(counts.d62Met, counts.d62Stops),
    });
  }
  return out;
}

export interface WeekFlows {
  weekEnding: IsoDate;
  referred: Band;
  treated: Band;
  closed: Band;
}

/** Each week's flows in and out, as percentiles over the runs. */
export function flows(counts: RunCounts, weeks: number): WeekFlows[] {
  const runs = counts.referred.length;
  const band = (a: Int32Array[], w: number): Band => {
    const sorted = Array.from({ length: runs }, (_, r) => a[r]![w]!).sort((x, y) => x - y);
    const q = (p: number) => {
      const v = percentile(sorted, p);
      return v === null ? null : round(v, 0);
    };
    return { p10: q(0.1), p50: q(0.5), p90: q(0.9) };
  };
  return Array.from({ length: weeks }, (_, w) => ({
    weekEnding: fromDayNumber(counts.days[w]!),
    referred: band(counts.referred, w),
    treated: band(counts.treated, w),
    closed: band(counts.closed, w),
  }));
}

/**
 * Patients waiting for a slot: a binary heap ordered by referral day, then by patient number (first
 * come, first served), each entry with the patient's step number so a stale entry is known. Kept
 * in typed arrays that keep their room from run to run (a run makes no garbage here).
 */
class Queue {
  private referred: Int32Array = new Int32Array(256);
  private patient: Int32Array = new Int32Array(256);
  private seq: Int32Array = new Int32Array(256);
  size = 0;
  clear(): void {
    this.size = 0;
  }
  private before(i: number, j: number): boolean {
    const a = this.referred[i]!;
    const b = this.referred[j]!;
    return a < b || (a === b && this.patient[i]! < this.patient[j]!);
  }
  private swap(i: number, j: number): void {
    const r = this.referred[i]!;
    this.referred[i] = this.referred[j]!;
    this.referred[j] = r;
    const p = this.patient[i]!;
    this.patient[i] = this.patient[j]!;
    this.patient[j] = p;
    const s = this.seq[i]!;
    this.seq[i] = this.seq[j]!;
    this.seq[j] = s;
  }
  push(referred: number, p: number, seq: number): void {
    if (this.size === this.patient.length) {
      this.referred = grown(this.referred);
      this.patient = grown(this.patient);
      this.seq = grown(this.seq);
    }
    let i = this.size++;
    this.referred[i] = referred;
    this.patient[i] = p;
    this.seq[i] = seq;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  /** The step number of the patient last taken (pop returns the patient). */
  poppedSeq = 0;
  /** Takes the first in line. */
  pop(): number {
    const top = this.patient[0]!;
    this.poppedSeq = this.seq[0]!;
    const last = --this.size;
    this.swap(0, last);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < last && this.before(l, m)) m = l;
      if (r < last && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

/** The same numbers in twice the room. */
function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * What falls due on each day of the horizon: entries of four numbers (kind, patient, the patient's
 * step number then, argument), each day's in the order scheduled. Typed arrays that keep their room
 * from run to run.
 */
class Agenda {
  private readonly items: Int32Array[];
  private readonly count: Int32Array;

  constructor(readonly days: number) {
    this.items = Array.from({ length: days }, () => new Int32Array(64));
    this.count = new Int32Array(days);
  }

  clear(): void {
    this.count.fill(0);
  }

  add(d: number, kind: number, p: number, seq: number, arg: number): void {
    let items = this.items[d]!;
    const at = this.count[d]!;
    if (at === items.length) this.items[d] = items = grown(items);
    items[at] = kind;
    items[at + 1] = p;
    items[at + 2] = seq;
    items[at + 3] = arg;
    this.count[d] = at + 4;
  }

  /** Day d's entries, four numbers each (a new room once more are added: take it again after adding). */
  entries(d: number): Int32Array {
    return this.items[d]!;
  }

  size(d: number): number {
    return this.count[d]!;
  }

  /** Day d handled: its entries are dropped. */
  done(d: number): void {
    this.count[d] = 0;
  }
}

interface ResourceRun {
  model: ResourceModel | null;
  /** Slots each day of the horizon (index: day - first day), levers applied, in fractions. */
  perDay: Float64Array;
  /** The same in whole slots for the current run (its capacity drawn, the fractions carried day to day). */
  slots: Int32Array;
  /** Chance of still waiting (not removed) after k days: (1 - h)^k. */
  stay: Float64Array;
  /** The model's waits ready to draw from: the place held, the lead by band of the wait at entry, the report (null: none seen). */
  wait: ExitSampler | null;
  leads: ExitSampler[];
  report: ExitSampler | null;
  seenShare: number;
  ctx: number;
}

class Engine {
  readonly days: number[];
  private readonly asOfDay: number;
  private readonly firstDay: number;
  private readonly lastDay: number;
  private readonly weeks: number[];
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly resources: ResourceRun[] = [];
  private readonly resourceIndex = new Map<string, number>();
  /** Each group's step (state, site, route, band, context), by its number, and the numbers by key. */
  private readonly steps: (Step | null)[] = [];
  /** By context: the step number of each group (state, site, route, band) in it, -1 until looked up. */
  private readonly stepIndex: Int32Array[] = [];
  /** What each outcome of each step looked up does. */
  private readonly actions: Action[] = [];
  /** Each table made ready to draw from, once (the same table serves several groups). */
  private readonly samplers = new Map<ExitTable, ExitSampler>();
  private readonly arrivalRates: Float64Array[]; // [stream][day offset]
  /** Each tumour site's first clinic (resource index), each referral stream's route, site and provider (indexes), and two contexts. */
  private readonly firstClinic: number[];
  private readonly streams: { route: number; site: number; provider: number }[];
  private readonly none = this.intern('');
  private readonly seen = this.intern('seen');
  /** This run's factor on each site's referrals (drawParameters). */
  private readonly siteFactor = new Map<string, number>();
  private readonly open: OpenColumns;
  /** The open pathways' names as this engine's strings, and as its resources (-1: not one). */
  private readonly openStrings: Int32Array;
  private readonly openResources: Int32Array;
  /** By a modality's name: the treatment resource, for a decision made before the patient was told. */
  private readonly decidedResources: Int32Array;

  // Patients, one slot per pathway (struct of arrays, grown as needed).
  private n = 0;
  private cap = 0;
  private state!: Int8Array;
  private site!: Int16Array;
  private route!: Int8Array;
  private ctx!: Int32Array;
  private seq!: Int32Array;
  private entered!: Int32Array;
  private referred!: Int32Array;
  private start!: Int32Array;
  private breach62!: Int32Array;
  private breach104!: Int32Array;
  private fdsRunning!: Int8Array;
  private pending!: Int16Array;
  /** Waiting for tests: the state to go back to once they are reported. */
  private after!: Int8Array;
  /** Decided before being told: the treatment resource to queue for once told (-1: none). */
  private decided!: Int32Array;
  private segStart!: Int32Array;
  private visibleFrom!: Int32Array;
  private counted!: Int8Array;
  private key!: Int32Array;
  private draws!: Int32Array;
  private provider!: Int32Array;
  private fdsEnd!: Int32Array;
  private closed!: Int32Array;

  private readonly agenda: Agenda;
  private queues: Queue[] = [];
  private used!: Int32Array;
  private runSalt = 0;
  private counts!: {
    open: Int32Array;
    over62: Int32Array;
    over104: Int32Array;
    fdsStops: Int32Array;
    fdsMet: Int32Array;
    d62Stops: Int32Array;
    d62Met: Int32Array;
    referred: Int32Array;
    treated: Int32Array;
    closed: Int32Array;
  };

  constructor(
    private readonly cal: Calibration,
    open: OpenColumns,
    private readonly opts: ForecastOptions,
  ) {
    this.open = open;
    this.asOfDay = dayNumber(cal.asOf);
    this.firstDay = this.asOfDay + 1;
    this.weeks = weekEndings(this.asOfDay, opts.weeks);
    const extra = (opts.extraDays ?? []).filter((d) => d > this.asOfDay);
    this.days = [...this.weeks, ...extra];
    this.lastDay = Math.max(...this.days, this.firstDay);
    const length = this.lastDay - this.firstDay + 1;
    for (const name of Object.keys(cal.resources).sort()) this.addResource(name, cal.resources[name]!, length);
    // Every resource a step can lead to, known before the first run (a name never seen waiting has no limit).
    for (const table of Object.values(cal.steps))
      for (const label of table.labels) {
        const resource = resourceOfOutcome(label);
        if (resource) this.resource(resource);
      }
    this.openResources = new Int32Array(open.names.length).fill(-1);
    for (const n of open.waited) this.openResources[n] = this.resource(open.names[n]!);
    this.firstClinic = TUMOUR_SITES.map((site) => this.resource(`first:${site}`));
    this.streams = cal.arrivals.streams.map((s) => ({
      route: ROUTE_INDEX.get(s.route)!,
      site: SITE_INDEX.get(s.site)!,
      provider: this.intern(s.provider),
    }));
    this.arrivalRates = this.rates(length);
    this.openStrings = Int32Array.from(open.names, (name) => this.intern(name));
    // In pathway order: a treatment first named here is numbered as it comes.
    this.decidedResources = new Int32Array(open.names.length).fill(-1);
    for (let i = 0; i < open.count; i++) {
      const m = open.fields[i * OPEN_FIELDS + O_DECIDED]!;
      if (m >= 0 && this.decidedResources[m]! < 0)
        this.decidedResources[m] = this.resource(`treatment:${open.names[m]!}`);
    }
    // Room for the open pathways and the referrals a run expects (its draws move them by a few per
    // cent): growing by half again as they came left hundreds of thousands of places unused at 350,000 open.
    let expected = 0;
    for (const rates of this.arrivalRates) for (const r of rates) expected += r;
    this.grow(open.count + Math.ceil(1.1 * expected) + 64);
    this.used = new Int32Array(this.resources.length);
    this.agenda = new Agenda(length);
  }

  private intern(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  private addResource(name: string, model: ResourceModel | null, length: number): number {
    const holidays = new Set(this.cal.holidays);
    const perDay = new Float64Array(length);
    if (model) {
      for (let d = 0; d < length; d++) {
        const day = this.firstDay + d;
        let weekly = model.capacityPerWeek;
        let added = 0;
        for (const l of this.opts.levers ?? [])
          if (l.kind === 'capacity' && l.resource === name && day >= l.from) {
            if (l.percent !== undefined) weekly *= 1 + l.percent;
            if (l.perWeek !== undefined) added += l.perWeek;
          }
        const share = model.weekdayShare[weekday(day)]! * (isChristmas(day) ? this.cal.christmas.slots : 1);
        perDay[d] = holidays.has(day) ? 0 : Math.max(0, (weekly + added) * share);
      }
    } else perDay.fill(1 << 20); // a resource never seen waiting: no constraint
    const h = model?.removalPerDay ?? 0;
    const stay = new Float64Array(length + 2);
    stay[0] = 1;
    for (let k = 1; k < stay.length; k++) stay[k] = stay[k - 1]! * (1 - h);
    const seen = model?.outcomes.seen ?? 0;
    const dna = model?.outcomes.dna ?? 0;
    const index = this.resources.length;
    this.resources.push({
      model,
      perDay,
      slots: model ? new Int32Array(length) : Int32Array.from(perDay),
      stay,
      wait: model ? this.sampler(model.wait) : null,
      leads: model ? Array.from({ length: BANDS }, (_, b) => this.sampler(model.leadByBand[b] ?? model.lead)) : [],
      report: model?.report && model.report.exits > 0 ? this.sampler(model.report) : null,
      seenShare: seen + dna > 0 ? seen / (seen + dna) : 1,
      ctx: this.intern(name.slice(name.indexOf(':') + 1)),
    });
    this.resourceIndex.set(name, index);
    return index;
  }

  private sampler(table: ExitTable): ExitSampler {
    let s = this.samplers.get(table);
    if (!s) this.samplers.set(table, (s = new ExitSampler(table)));
    return s;
  }

  private resource(name: string): number {
    const i = this.resourceIndex.get(name);
    if (i !== undefined) return i;
    const index = this.addResource(name, null, this.lastDay - this.firstDay + 1);
    this.used = new Int32Array(this.resources.length);
    this.queues.push(new Queue());
    return index;
  }

  /** Expected referrals a day, per stream, with the weekday factor, bank holidays, trend and demand levers. */
  private rates(length: number): Float64Array[] {
    const a = this.cal.arrivals;
    const holidays = new Set(this.cal.holidays);
    return a.streams.map((s) => {
      const r = new Float64Array(length);
      for (let d = 0; d < length; d++) {
        const day = this.firstDay + d;
        r[d] = this.expected(s.perDay, s.trendPerWeek, s.site, day, holidays);
      }
      return r;
    });
  }

  private expected(perDay: number, trend: number, site: TumourSite, day: number, holidays: Set<number>): number {
    const a = this.cal.arrivals;
    let rate = perDay * (holidays.has(day) ? a.holiday : a.weekday[weekday(day)]!);
    if (isChristmas(day) && !holidays.has(day)) rate *= this.cal.christmas.referrals;
    rate *= Math.max(0, 1 + (trend * (day - a.anchor)) / 7);
    for (const l of this.opts.levers ?? [])
      if (l.kind === 'demand' && l.site === site && day >= l.from) rate *= 1 + l.percent;
    return rate;
  }

  private grow(need: number): void {
    if (need <= this.cap) return;
    const cap = Math.max(need, Math.ceil(this.cap * 1.5), 1024);
    const g = <T extends Int8Array | Int16Array | Int32Array>(old: T | undefined, make: (n: number) => T): T => {
      const a = make(cap);
      if (old) a.set(old.subarray(0, this.n) as never);
      return a;
    };
    this.state = g(this.state, (n) => new Int8Array(n));
    this.site = g(this.site, (n) => new Int16Array(n));
    this.route = g(this.route, (n) => new Int8Array(n));
    this.ctx = g(this.ctx, (n) => new Int32Array(n));
    this.seq = g(this.seq, (n) => new Int32Array(n));
    this.entered = g(this.entered, (n) => new Int32Array(n));
    this.referred = g(this.referred, (n) => new Int32Array(n));
    this.start = g(this.start, (n) => new Int32Array(n));
    this.breach62 = g(this.breach62, (n) => new Int32Array(n));
    this.breach104 = g(this.breach104, (n) => new Int32Array(n));
    this.fdsRunning = g(this.fdsRunning, (n) => new Int8Array(n));
    this.pending = g(this.pending, (n) => new Int16Array(n));
    this.after = g(this.after, (n) => new Int8Array(n));
    this.decided = g(this.decided, (n) => new Int32Array(n));
    this.segStart = g(this.segStart, (n) => new Int32Array(n));
    this.visibleFrom = g(this.visibleFrom, (n) => new Int32Array(n));
    this.counted = g(this.counted, (n) => new Int8Array(n));
    this.key = g(this.key, (n) => new Int32Array(n));
    this.draws = g(this.draws, (n) => new Int32Array(n));
    this.provider = g(this.provider, (n) => new Int32Array(n));
    this.fdsEnd = g(this.fdsEnd, (n) => new Int32Array(n));
    this.closed = g(this.closed, (n) => new Int32Array(n));
    this.cap = cap;
  }

  /** A uniform in [0, 1) from the patient's own stream: the same patient draws the same numbers whatever the capacity. */
  private u(p: number): number {
    const c = this.draws[p]!++;
    return mix32((this.key[p]! ^ this.runSalt) + Math.imul(c, 0x632be5ab)) / 4294967296;
  }

  run(run: number, out: RunCounts): void {
    const length = this.lastDay - this.firstDay + 1;
    const rng = new Random(this.opts.seed * 65536 + run);
    this.runSalt = mix32(rng.int(0x7fffffff));
    this.drawParameters(rng);
    this.n = 0;
    this.agenda.clear();
    for (const q of this.queues) q.clear();
    while (this.queues.length < this.resources.length) this.queues.push(new Queue());
    const nDays = this.days.length;
    const nWeeks = this.weeks.length;
    this.counts = {
      open: new Int32Array(nDays),
      over62: new Int32Array(nDays),
      over104: new Int32Array(nDays),
      fdsStops: new Int32Array(nWeeks),
      fdsMet: new Int32Array(nWeeks),
      d62Stops: new Int32Array(nWeeks),
      d62Met: new Int32Array(nWeeks),
      referred: new Int32Array(nWeeks),
      treated: new Int32Array(nWeeks),
      closed: new Int32Array(nWeeks),
    };

    for (let i = 0; i < this.open.count; i++) this.admitOpen(i);
    this.admitUnrecorded(rng);
    for (let d = 0; d < length; d++) {
      const day = this.firstDay + d;
      this.arrive(day, d, rng);
      this.used.fill(0);
      this.process(d, day);
      this.serve(d, day);
      this.process(d, day);
    }
    for (let p = 0; p < this.n; p++) if (this.state[p] !== S.closed) this.flush(p, FAR);
    out.open.push(this.counts.open);
    out.over62.push(this.counts.over62);
    out.over104.push(this.counts.over104);
    for (const key of ['referred', 'treated', 'closed'] as const) out[key].push(this.counts[key]);
    out.fdsStops.push(this.counts.fdsStops);
    out.fdsMet.push(this.counts.fdsMet);
    out.d62Stops.push(this.counts.d62Stops);
    out.d62Met.push(this.counts.d62Met);
    for (let i = 0; i < this.open.count; i++) {
      if (this.closed[i]! >= this.breach62[i]! && this.breach62[i]! <= this.lastDay) out.passed62[i]! += 1;
      const limit = this.start[i]! + 29;
      if (this.open.fields[i * OPEN_FIELDS + O_FDS] && this.fdsEnd[i]! >= limit && limit <= this.lastDay)
        out.fdsBreached[i]! += 1;
    }
  }

  private newPatient(key: number, route: number, site: number, referred: number, provider: number): number {
    this.grow(this.n + 1);
    const p = this.n++;
    this.key[p] = key;
    this.draws[p] = 0;
    this.route[p] = route;
    this.site[p] = site;
    this.referred[p] = referred;
    this.start[p] = referred;
    this.breach62[p] = referred + 63;
    this.breach104[p] = referred + 105;
    this.fdsRunning[p] = FDS_APPLIES[ROUTES[route]!] ? 1 : 0;
    this.fdsEnd[p] = FAR;
    this.closed[p] = FAR;
    this.pending[p] = 0;
    this.after[p] = S.investigate;
    this.decided[p] = -1;
    this.seq[p] = 0;
    this.ctx[p] = this.none;
    this.provider[p] = provider;
    this.segStart[p] = referred;
    this.counted[p] = this.matches(p) ? 1 : 0;
    return p;
  }

  private matches(p: number): boolean {
    if (this.opts.site !== undefined && TUMOUR_SITES[this.site[p]!] !== this.opts.site) return false;
    if (this.opts.provider !== undefined && this.strings[this.provider[p]!] !== this.opts.provider) return false;
    return true;
  }

  /** Open pathway i (OpenColumns) as it stands on the as-of day, its next steps scheduled. */
  private admitOpen(i: number): void {
    const f = this.open.fields;
    const o = i * OPEN_FIELDS;
    const p = this.newPatient(
      mix32(i ^ 0x5bd1e995),
      f[o + O_ROUTE]!,
      f[o + O_SITE]!,
      f[o + O_REFERRED]!,
      this.openStrings[f[o + O_PROVIDER]!]!,
    );
    this.start[p] = f[o + O_START]!;
    this.breach62[p] = f[o + O_BREACH62]!;
    this.breach104[p] = f[o + O_BREACH104]!;
    this.fdsRunning[p] = f[o + O_FDS]!;
    this.visibleFrom[p] = -FAR;
    this.segStart[p] = -FAR;
    this.ctx[p] = this.openStrings[f[o + O_CTX]!]!;
    const state = f[o + O_STATE]!;
    this.state[p] = state;
    this.after[p] = f[o + O_AFTER]!;
    const decided = f[o + O_DECIDED]!;
    this.decided[p] = decided < 0 ? -1 : this.decidedResources[decided]!;
    const entered = f[o + O_ENTERED]!;
    this.entered[p] = entered;
    if (state !== S.first && state !== S.test && state !== S.treat) {
      this.scheduleExit(p, this.asOfDay - entered);
      return;
    }
    const from = this.open.placeStart[i]!;
    const to = this.open.placeStart[i + 1]!;
    if (from === to) {
      this.enter(p, this.firstDay, S.investigate, this.ctx[p]!);
      return;
    }
    this.pending[p] = (to - from) / PLACE_FIELDS;
    const places = this.open.places;
    let waiting = false;
    for (let k = from; k < to; k += PLACE_FIELDS) {
      const r = this.openResources[places[k]!]!;
      const placeEntered = places[k + 1]!;
      const booked = places[k + 2]!;
      const served = places[k + 3]!;
      if (served !== NONE) this.schedule(this.reportDay(p, r, served, this.asOfDay - served), K_REPORTED, p, r);
      else if (booked !== NONE && booked > this.asOfDay) this.schedule(booked, K_BOOKED, p, r);
      else if ((this.resources[r]!.model?.bookedShare ?? 1) < 0.5)
        this.schedule(this.heldPlace(p, r, placeEntered), K_READY, p, r);
      else this.schedule(placeEntered + this.lead(p, r, placeEntered, this.asOfDay - placeEntered), K_READY, p, r);
      if (served === NONE) waiting = true;
    }
    if (waiting) this.scheduleRemoval(p, this.firstDay, this.openResources[places[from]!]!);
  }

  /** Referrals already received but not yet recorded on the as-of day (registered late): added as arrivals. */
  private admitUnrecorded(rng: Random): void {
    const within = this.cal.arrivals.recordedWithin;
    const holidays = new Set(this.cal.holidays);
    this.cal.arrivals.streams.forEach((s, k) => {
      for (let back = 0; back < within.length; back++) {
        const day = this.asOfDay - back;
        const u = rng.next();
        const missing = 1 - within[back]!;
        if (missing <= 0) continue;
        const count = poisson(this.expected(s.perDay, s.trendPerWeek, s.site, day, holidays) * missing, u);
        for (let c = 0; c < count; c++) {
          // Received `back` days ago and still not recorded: it is recorded after the as-of day.
          const p = this.referral(day, k, c);
          this.visibleFrom[p] = day + this.lagAfter(within, back, this.u(p));
          this.scheduleExit(p, back);
        }
      }
    });
  }

  /**
   * What this run takes the calibration's levels to be: each site's referrals and each resource's
   * capacity drawn about their estimates, with the estimate's sampling error and an allowance for
   * drift over the horizon (DEMAND_DRIFT, CAPACITY_DRIFT), so the band covers not knowing them
   * exactly. The same draws for every lever and candidate capacity (the run's own generator).
   */
  private drawParameters(rng: Random): void {
    const counted = new Map<string, number>();
    for (const s of this.cal.arrivals.streams) counted.set(s.site, (counted.get(s.site) ?? 0) + s.counted);
    for (const site of TUMOUR_SITES) {
      const z = normalQuantile(rng.next());
      const n = counted.get(site) ?? 0;
      this.siteFactor.set(site, n > 0 ? Math.max(0, 1 + z * Math.sqrt(1 / n + DEMAND_DRIFT ** 2)) : 1);
    }
    for (const r of this.resources) {
      const z = normalQuantile(rng.next());
      const se = r.model?.capacitySe ?? 0;
      const factor = r.model ? Math.max(0, 1 + z * Math.sqrt(se ** 2 + CAPACITY_DRIFT ** 2)) : 1;
      let carry = 0;
      for (let d = 0; d < r.perDay.length; d++) {
        // Whole slots, the fractions carried to the next day.
        const total = carry + r.perDay[d]! * factor;
        r.slots[d] = Math.floor(total);
        carry = total - r.slots[d]!;
      }
    }
  }

  private arrive(day: number, d: number, rng: Random): void {
    const within = this.cal.arrivals.recordedWithin;
    const streams = this.cal.arrivals.streams;
    const w = this.weekIndex(day);
    for (let k = 0; k < this.arrivalRates.length; k++) {
      const count = poisson(this.arrivalRates[k]![d]! * this.siteFactor.get(streams[k]!.site)!, rng.next());
      for (let c = 0; c < count; c++) {
        const p = this.referral(day, k, c);
        if (this.counted[p] && w >= 0) this.counts.referred[w]! += 1;
        this.visibleFrom[p] = day + this.lagAfter(within, -1, this.u(p));
        this.scheduleExit(p, -1);
      }
    }
  }

  /** The c-th referral of stream k on a day: its own random stream, whatever else changes. */
  private referral(day: number, k: number, c: number): number {
    const s = this.streams[k]!;
    const key = mix32(mix32(day * 4096 + k) ^ (c + 0x27d4eb2d));
    const p = this.newPatient(key, s.route, s.site, day, s.provider);
    this.state[p] = S.triage;
    this.entered[p] = day;
    return p;
  }

  /** A recording delay (days) drawn from a cumulative table, given it is more than `over` days. */
  private lagAfter(within: readonly number[], over: number, u: number): number {
    const from = over < 0 ? 0 : (within[over] ?? 1);
    const x = from + u * (1 - from);
    for (let d = over + 1; d < within.length; d++) if (within[d]! > x) return Math.max(d, 0);
    return Math.max(within.length, over + 1);
  }

  private schedule(day: number, kind: number, p: number, arg: number): void {
    const d = day - this.firstDay;
    if (d >= this.agenda.days) return; // beyond the horizon
    this.agenda.add(Math.max(d, 0), kind, p, this.seq[p]!, arg);
  }

  /**
   * Where a resource's bookings are not recorded (treatments, usually), a patient already waiting
   * for it on the as-of day has a date all the same (set at the decision): the day it comes due is
   * drawn from the recent waits given the days it has waited (the next day, if it has waited longer
   * than the waits followed day by day). From then it is served in its turn, so a change in
   * capacity still reaches it.
   */
  private heldPlace(p: number, r: number, entered: number): number {
    const res = this.resources[r]!;
    const u = this.u(p);
    const v = this.u(p);
    if (res.model!.wait.exits === 0) return this.firstDay;
    return Math.max(this.firstDay, entered + res.wait!.draw(this.asOfDay - entered, u, v, 'now'));
  }

  /** Days from the need arising (on `entered`) to being ready for a slot, given `waited` days already passed. */
  private lead(p: number, r: number, entered: number, waited: number): number {
    const res = this.resources[r]!;
    if (!res.model) return Math.max(waited + 1, 0);
    const u = this.u(p);
    const v = this.u(p);
    return res.leads[bandOf(entered - this.start[p]!)]!.draw(waited, u, v, 'now');
  }

  private reportDay(p: number, r: number, served: number, waited: number): number {
    const report = this.resources[r]!.report;
    const u = this.u(p);
    const v = this.u(p);
    if (!report) return Math.max(served, this.asOfDay + (waited >= 0 ? 1 : 0));
    return served + report.draw(waited, u, v);
  }

  private scheduleRemoval(p: number, from: number, r: number): void {
    const stay = this.resources[r]!.stay;
    const u = this.u(p);
    const horizon = this.lastDay - from + 1;
    if (horizon <= 0 || u >= 1 - stay[horizon]!) return; // not removed within the horizon
    // The first k with 1 - stay[k] > u.
    let lo = 1;
    let hi = horizon;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (1 - stay[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    this.schedule(from + lo, K_REMOVE, p, 0);
  }

  /** The patient's step now: what its wait in the state is drawn from. */
  private lookUpStep(p: number): Step | null {
    const band = bandOf(this.entered[p]! - this.start[p]!);
    // One number for the group within its context: no string is built per step.
    const key =
      ((this.state[p]! * TUMOUR_SITES.length + this.site[p]!) * ROUTES.length + this.route[p]!) * BANDS + band;
    const inContext = (this.stepIndex[this.ctx[p]!] ??= new Int32Array(GROUPS).fill(-1));
    let index = inContext[key]!;
    if (index < 0) {
      const state = STATE_NAMES[this.state[p]!]!;
      const tables = stepKeys(
        state,
        TUMOUR_SITES[this.site[p]!]!,
        this.strings[this.ctx[p]!]!,
        ROUTES[this.route[p]!]!,
        band,
      )
        .map((k) => this.cal.steps[k])
        .filter((t): t is ExitTable => t !== undefined && t.exits > 0);
      const table = tables[0];
      index = this.steps.length;
      this.steps.push(
        table
          ? {
              table: this.sampler(table),
              actions: table.labels.map((l) => this.action(l)),
              wider: tables.slice(1).map((t) => this.sampler(t)),
            }
          : null,
      );
      inContext[key] = index;
    }
    return this.steps[index]!;
  }

  /** What an outcome does, as a number in `actions` (the agenda's argument for an exit). */
  private action(label: string): number {
    this.actions.push(this.parseAction(label));
    return this.actions.length - 1;
  }

  private parseAction(label: string): Action {
    const colon = label.indexOf(':');
    const head = colon < 0 ? label : label.slice(0, colon);
    const tail = colon < 0 ? '' : label.slice(colon + 1);
    const none = { arg: 0, ctx: 0, removal: false };
    switch (head) {
      case 'first':
        return { ...none, kind: A_FIRST };
      case 'stt':
      case 'seen':
        return { ...none, kind: A_INVESTIGATE, ctx: this.intern(head) };
      case 'test':
        return { ...none, kind: A_TEST, arg: this.resource(resourceOfOutcome(label)!), ctx: this.intern(tail) };
      case 'told':
        return tail === 'cancer_confirmed' ? { ...none, kind: A_DECIDE } : { ...none, kind: A_CLOSE };
      case 'dtt':
        return { ...none, kind: A_TREAT, arg: this.resource(resourceOfOutcome(label)!) };
      case 'onward':
        return { ...none, kind: A_ONWARD, arg: SITE_INDEX.get(tail) ?? SITE_INDEX.get('other')! };
      default:
        return { ...none, kind: A_CLOSE, removal: true };
    }
  }

  /**
   * Draws how and when the patient leaves a step that is not a queue, given `waited` days in it.
   * Past the days its own group follows day by day (a small group has few long waiters), the wait
   * goes on as in the narrowest wider group that has watched enough patients wait that long; the
   * outcome stays the group's own (that of its late leavers).
   */
  private scheduleExit(p: number, waited: number): void {
    const step = this.lookUpStep(p);
    if (!step) return; // never seen to end: the patient stays
    let day = step.table.draw(waited, this.u(p), this.u(p));
    const label = step.table.label;
    const action = label < 0 ? -1 : step.actions[label]!;
    if (day > step.table.tailFrom) {
      const from = Math.max(waited, step.table.tailFrom);
      const wider = step.wider.find((t) => t.tailFrom > from);
      if (wider) day = wider.draw(from, this.u(p), this.u(p));
    }
    this.schedule(this.entered[p]! + day, K_EXIT, p, action);
  }

  private process(d: number, day: number): void {
    // Entries added for today while these are handled are handled too.
    for (let i = 0; i < this.agenda.size(d); i += 4) {
      const items = this.agenda.entries(d);
      const kind = items[i]!;
      const p = items[i + 1]!;
      if (items[i + 2] !== this.seq[p] || this.state[p] === S.closed) continue; // overtaken by a later change
      const arg = items[i + 3]!;
      if (kind === K_EXIT) this.exit(p, day, arg);
      else if (kind === K_READY) this.queues[arg]!.push(this.referred[p]!, p, this.seq[p]!);
      else if (kind === K_BOOKED) {
        this.used[arg]! += 1;
        this.served(p, day, arg);
      } else if (kind === K_REPORTED) this.reported(p, day, arg);
      else if (kind === K_REMOVE) this.close(p, day, true);
    }
    this.agenda.done(d);
  }

  private serve(d: number, day: number): void {
    for (let r = 0; r < this.resources.length; r++) {
      const q = this.queues[r]!;
      let free = this.resources[r]!.slots[d]! - this.used[r]!;
      while (free > 0 && q.size > 0) {
        const p = q.pop();
        if (q.poppedSeq !== this.seq[p] || !this.waitingFor(p)) continue; // left the queue since
        free--;
        this.served(p, day, r);
      }
    }
  }

  private waitingFor(p: number): boolean {
    const s = this.state[p];
    return s === S.first || s === S.test || s === S.treat;
  }

  private served(p: number, day: number, r: number): void {
    const res = this.resources[r]!;
    const s = this.state[p];
    if (s === S.first) {
      if (this.u(p) < res.seenShare) this.enter(p, day, S.investigate, this.seen);
      else this.enter(p, day, S.rebook, this.none);
    } else if (s === S.test) {
      this.schedule(this.reportDay(p, r, day, -1), K_REPORTED, p, r);
    } else if (s === S.treat) {
      if (this.counted[p]) {
        const w = this.weekIndex(day);
        if (w >= 0) {
          this.counts.d62Stops[w]! += 1;
          if (day < this.breach62[p]!) this.counts.d62Met[w]! += 1;
        }
      }
      this.close(p, day, false, true);
    }
  }

  private reported(p: number, day: number, r: number): void {
    if (this.state[p] !== S.test) return;
    this.pending[p] = this.pending[p]! - 1;
    if (this.pending[p]! <= 0) this.enter(p, day, this.after[p]!, this.resources[r]!.ctx);
  }

  /** The first week-ending on or after `day`, or -1 past the last. */
  private weekIndex(day: number): number {
    const w = Math.ceil((day - this.weeks[0]!) / 7);
    return w < 0 ? 0 : w < this.weeks.length ? w : -1;
  }

  /** Leaves a step that is not a queue as `action` (in `actions`; -1: removed) says. */
  private exit(p: number, day: number, action: number): void {
    const a = action < 0 ? null : this.actions[action]!;
    if (!a) {
      this.close(p, day, true);
      return;
    }
    switch (a.kind) {
      case A_FIRST: {
        if (this.state[p] === S.rebook) this.restartClock(p, day);
        const r = this.firstClinic[this.site[p]!]!;
        this.enterQueue(p, day, S.first, r);
        break;
      }
      case A_INVESTIGATE:
        this.enter(p, day, S.investigate, a.ctx);
        break;
      case A_TEST:
        this.after[p] = this.state[p] === S.decide ? S.decide : S.investigate;
        this.enterQueue(p, day, S.test, a.arg);
        break;
      case A_DECIDE:
        this.stopFds(p, day);
        if (this.decided[p]! >= 0)
          this.enterQueue(p, day, S.treat, this.decided[p]!); // decided before being told
        else this.enter(p, day, S.decide, this.none);
        break;
      case A_TREAT:
        this.stopFds(p, day);
        this.enterQueue(p, day, S.treat, a.arg);
        break;
      case A_ONWARD:
        this.flush(p, day);
        this.site[p] = a.arg;
        this.counted[p] = this.matches(p) ? 1 : 0;
        this.enter(p, day, S.investigate, this.ctx[p]!);
        break;
      default:
        if (!a.removal) this.stopFds(p, day);
        this.close(p, day, a.removal);
    }
  }

  private stopFds(p: number, day: number): void {
    if (!this.fdsRunning[p]) return;
    this.fdsRunning[p] = 0;
    this.fdsEnd[p] = day;
    if (!this.counted[p]) return;
    const w = this.weekIndex(day);
    if (w < 0) return;
    this.counts.fdsStops[w]! += 1;
    if (day - this.start[p]! <= 28) this.counts.fdsMet[w]! += 1;
  }

  /** A rebooking after a missed first appointment restarts the clocks (R5). */
  private restartClock(p: number, day: number): void {
    this.flush(p, day);
    this.start[p] = day;
    this.breach62[p] = day + 63;
    this.breach104[p] = day + 105;
  }

  private enter(p: number, day: number, state: number, ctx: number): void {
    this.seq[p] = this.seq[p]! + 1;
    this.state[p] = state;
    this.ctx[p] = ctx;
    this.entered[p] = day;
    this.scheduleExit(p, -1);
  }

  private enterQueue(p: number, day: number, state: number, r: number): void {
    this.seq[p] = this.seq[p]! + 1;
    this.state[p] = state;
    this.entered[p] = day;
    this.pending[p] = 1;
    this.schedule(day + this.lead(p, r, day, -1), K_READY, p, r);
    this.scheduleRemoval(p, day, r);
  }

  private close(p: number, day: number, removed: boolean, treated = false): void {
    this.seq[p] = this.seq[p]! + 1;
    this.state[p] = S.closed;
    this.closed[p] = day;
    const w = this.counted[p] ? this.weekIndex(day) : -1;
    if (w >= 0) this.counts[treated ? 'treated' : 'closed'][w]! += 1;
    if (this.fdsEnd[p] === FAR && removed) this.fdsEnd[p] = day < this.start[p]! + 29 ? -1 : day;
    const within = treated ? this.cal.recordedWithin.treated : this.cal.recordedWithin.closed;
    // Counted until its closing is recorded.
    this.flush(p, day + this.lagAfter(within, -1, this.u(p)));
  }

  /** Adds the stretch from the segment's start to `until` (exclusive) to the counts, and starts a new one. */
  private flush(p: number, until: number): void {
    if (this.counted[p]) {
      const from = Math.max(this.segStart[p]!, this.visibleFrom[p]!);
      const b62 = this.breach62[p]!;
      const b104 = this.breach104[p]!;
      const days = this.days;
      for (let i = 0; i < days.length; i++) {
        const day = days[i]!;
        if (day < from || day >= until) continue;
        this.counts.open[i]! += 1;
        if (day >= b62) this.counts.over62[i]! += 1;
        if (day >= b104) this.counts.over104[i]! += 1;
      }
    }
    this.segStart[p] = until;
  }
}

interface Step {
  /** The narrowest group's table, and what each of its outcomes does (in Engine.actions). */
  table: ExitSampler;
  actions: number[];
  /** The wider groups' tables, narrowest first. */
  wider: ExitSampler[];
}

/** 24 to 31 December. */
function isChristmas(day: number): boolean {
  const date = fromDayNumber(day);
  return date.slice(5, 7) === '12' && date.slice(8, 10) >= '24';
}

function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

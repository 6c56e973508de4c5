// The forecast as a steward asks for it: the weekly trajectory with its percentiles, the chance of
// meeting a target, the extra capacity that would meet it, and each open pathway's risk of
// breaching. Pure functions of a ForecastInput (read.ts) and plain options; the runs themselves go
// to a Runner: in this thread, or shared among worker threads (pool.ts), the same bytes either way.
import { dayNumber, type IsoDate } from '../vocabulary/calendar.ts';
import type { TumourSite } from '../vocabulary/events.ts';
import type { Target } from './levers.ts';
import {
  runForecast,
  trajectory,
  type ForecastOptions,
  type Lever,
  type RunCounts,
  type WeekForecast,
} from './model.ts';
import type { ForecastInput } from './read.ts';
import { resourcesOfSite } from './calibrate.ts';
import { round } from './distributions.ts';
import { chanceBelow, widenTrajectory, type ErrorScale } from './bands.ts';

/** Makes the runs a forecast asks for. */
export type Runner = (input: ForecastInput, options: ForecastOptions) => Promise<RunCounts>;

/** The runs in this thread, one after another. */
export const inThread: Runner = async (input, options) => runForecast(input.calibration, input.open, options);

export interface ForecastRequest {
  weeks: number;
  runs: number;
  seed: number;
  site?: TumourSite;
  provider?: string;
  levers?: Lever[];
  target?: Target;
  /** Meets the target at least this share of runs (default 0.8). */
  confidence?: number;
  /** The model's own error (bands.ts): the bands of the counts are widened by it. */
  errorScale?: ErrorScale;
}

export interface TargetResult {
  metric: Target['metric'];
  below: number;
  on: IsoDate;
  confidence: number;
  /** Share of runs meeting it; with the model's own error (bands.ts), each run's count taken with that error. */
  probability: number;
}

export interface ForecastOutput {
  asOf: IsoDate;
  weeks: number;
  runs: number;
  trajectory: WeekForecast[];
  target?: TargetResult;
  /** The error scale the bands were widened by (bands.ts), when they were. */
  bands?: ErrorScale;
}

export const DEFAULT_CONFIDENCE = 0.8;

/** Each pathway open on the as-of day: its chance of passing 62 days, and of breaching its FDS (null when its FDS clock has stopped), within the horizon. */
export interface BreachRisk {
  pathwayId: string;
  over62: number;
  fdsBreach: number | null;
}

/** The forecast and the breach risks of the same runs (and the runs themselves, for the flows). */
export async function forecastWithRisks(
  input: ForecastInput,
  req: ForecastRequest,
  runner: Runner = inThread,
): Promise<{ output: ForecastOutput; risks: BreachRisk[]; counts: RunCounts }> {
  const counts = await run(input, req, runner);
  const runs = trajectory(counts, req.weeks);
  const output: ForecastOutput = {
    asOf: input.calibration.asOf,
    weeks: req.weeks,
    runs: req.runs,
    trajectory: req.errorScale ? widenTrajectory(runs, req.errorScale) : runs,
  };
  if (req.errorScale) output.bands = req.errorScale;
  if (req.target) output.target = targetResult(input, counts, req);
  return { output, risks: risksOf(input, counts, req.runs), counts };
}

export async function forecast(
  input: ForecastInput,
  req: ForecastRequest,
  runner: Runner = inThread,
): Promise<ForecastOutput> {
  return (await forecastWithRisks(input, req, runner)).output;
}

function run(input: ForecastInput, req: ForecastRequest, runner: Runner): Promise<RunCounts> {
  return runner(input, {
    weeks: req.weeks,
    runs: req.runs,
    seed: req.seed,
    site: req.site,
    provider: req.provider,
    levers: req.levers,
    extraDays: req.target ? [dayNumber(req.target.on)] : [],
  });
}

function targetResult(input: ForecastInput, counts: RunCounts, req: ForecastRequest): TargetResult {
  const target = req.target!;
  const i = counts.days.indexOf(dayNumber(target.on));
  const atTarget = counts[target.metric].map((r) => r[i]!);
  const weeksAhead = (dayNumber(target.on) - dayNumber(input.calibration.asOf)) / 7;
  const error = req.errorScale?.perWeek[target.metric] ?? 0;
  return {
    metric: target.metric,
    below: target.below,
    on: target.on,
    confidence: req.confidence ?? DEFAULT_CONFIDENCE,
    probability: round(chanceBelow(atTarget, target.below, weeksAhead, error), 4),
  };
}

/** Each pathway open on the as-of day: the share of runs in which it passes 62 days, and breaches its FDS, within the horizon. */
export async function breachRisks(
  input: ForecastInput,
  req: ForecastRequest,
  runner: Runner = inThread,
): Promise<BreachRisk[]> {
  return risksOf(input, await run(input, req, runner), req.runs);
}

function risksOf(input: ForecastInput, counts: RunCounts, runs: number): BreachRisk[] {
  return input.open.map((o, i) => ({
    pathwayId: o.id,
    over62: round(counts.passed62[i]! / runs, 4),
    fdsBreach: o.fdsRunning ? round(counts.fdsBreached[i]! / runs, 4) : null,
  }));
}

export interface SolveResult {
  resource: string;
  /** Its capacity a normal week now. */
  capacityPerWeek: number;
  /** The fewest extra slots a week (from the day after the as-of day) meeting the target at the confidence asked; null if none up to `triedUpTo`. */
  extraPerWeek: number | null;
  probability: number;
  /** One slot a week fewer: the probability it gives (below the confidence), when extraPerWeek > 0. */
  oneFewer: { extraPerWeek: number; probability: number } | null;
  triedUpTo: number;
}

/**
 * The smallest extra weekly capacity on one resource meeting the target at the confidence asked.
 * Every candidate runs with the same seed (common random numbers: each patient draws the same
 * numbers whatever the capacity), so the share of runs meeting the target rises with the capacity
 * and the search is stable: doubling to find a capacity that meets it, then halving the gap to the
 * last that did not.
 */
export async function solveCapacity(
  input: ForecastInput,
  req: ForecastRequest & { target: Target },
  resource: string,
  runner: Runner = inThread,
): Promise<SolveResult> {
  const model = input.calibration.resources[resource]!;
  const confidence = req.confidence ?? DEFAULT_CONFIDENCE;
  const from = dayNumber(input.calibration.asOf) + 1;
  const probability = async (extra: number): Promise<number> => {
    const levers: Lever[] = [...(req.levers ?? [])];
    if (extra > 0) levers.push({ kind: 'capacity', resource, perWeek: extra, from });
    return targetResult(input, await run(input, { ...req, levers }, runner), req).probability;
  };
  const limit = Math.max(20, Math.ceil(model.capacityPerWeek * 2));
  const base = await probability(0);
  const result = (extra: number | null, p: number, fewer: SolveResult['oneFewer']): SolveResult => ({
    resource,
    capacityPerWeek: model.capacityPerWeek,
    extraPerWeek: extra,
    probability: p,
    oneFewer: fewer,
    triedUpTo: limit,
  });
  if (base >= confidence) return result(0, base, null);
  let lo = 0;
  let loP = base;
  let hi = 1;
  let hiP = await probability(hi);
  while (hiP < confidence) {
    if (hi >= limit) return result(null, hiP, null);
    lo = hi;
    loP = hiP;
    hi = Math.min(limit, hi * 2);
    hiP = await probability(hi);
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const p = await probability(mid);
    if (p >= confidence) [hi, hiP] = [mid, p];
    else [lo, loP] = [mid, p];
  }
  return result(hi, hiP, { extraPerWeek: lo, probability: loP });
}

/** The resources `--solve all` works on: each saturated one, busiest first. */
export function saturatedResources(input: ForecastInput, site?: TumourSite): string[] {
  const used = site === undefined ? null : resourcesOfSite(input.calibration, site);
  return Object.values(input.calibration.resources)
    .filter((r) => r.saturated && (used === null || used.has(r.name)))
    .sort(
      (a, b) => b.demandPerWeek / b.capacityPerWeek - a.demandPerWeek / a.capacityPerWeek || (a.name < b.name ? -1 : 1),
    )
    .map((r) => r.name);
}

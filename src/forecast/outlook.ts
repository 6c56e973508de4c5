// The steward's outlook (issue #23, item 6): the forecast with its target and what it would take,
// the resource table bottlenecks first, the weekly flows in and out of the backlog (the last weeks
// as recorded, then the forecast's), and each open pathway's breach risk, all from one read and one
// set of runs. What `GET /api/forecast` answers (computed in a worker thread: service.ts); the
// command line prints the forecast part.
import type { IsoDate } from '../vocabulary/calendar.ts';
import type { TumourSite } from '../vocabulary/events.ts';
import {
  forecastWithRisks,
  inThread,
  saturatedResources,
  solveCapacity,
  type BreachRisk,
  type ForecastOutput,
  type ForecastRequest,
  type Runner,
  type SolveResult,
} from './forecast.ts';
import type { WeekFlowCounts } from './calibrate.ts';
import { ForecastOptionError } from './levers.ts';
import { flows, type WeekFlows } from './model.ts';
import { resourceTable, type ResourceRow } from './queueing.ts';
import type { ForecastInput } from './read.ts';

export interface OutlookRequest extends ForecastRequest {
  /** A resource, or 'all' (each saturated one): the extra capacity meeting the target. */
  solve?: string;
}

const FLOW_KINDS = ['referred', 'treated', 'closed'] as const;

export interface WeekFlowsSeen extends WeekFlowCounts {
  weekEnding: IsoDate;
}

export interface Outlook extends ForecastOutput {
  solve?: SolveResult[];
  /** Every resource the calibration knows, bottlenecks first. */
  resources: ResourceRow[];
  /** Referrals in, first treatments and other closures out, each week: as recorded, then forecast. */
  flows: { recorded: WeekFlowsSeen[]; forecast: WeekFlows[] };
}

/** Levers and --solve must name resources the calibration knows (read as at the as-of day). */
export function checkLeverNames(req: OutlookRequest, input: ForecastInput): void {
  const known = input.calibration.resources;
  const unknown = (option: string, name: string) =>
    new ForecastOptionError(
      option,
      `no resource "${name}" was used by ${input.calibration.asOf} (openptl forecast --resources lists them)`,
    );
  for (const l of req.levers ?? [])
    if (l.kind === 'capacity' && !known[l.resource]) throw unknown('--capacity', l.resource);
  if (req.solve !== undefined && req.solve !== 'all' && !known[req.solve]) throw unknown('--solve', req.solve);
}

export async function stewardsOutlook(
  input: ForecastInput,
  req: OutlookRequest,
  runner: Runner = inThread,
): Promise<{ outlook: Outlook; risks: BreachRisk[] }> {
  checkLeverNames(req, input);
  const { output, risks, counts } = await forecastWithRisks(input, req, runner);
  const outlook: Outlook = {
    ...output,
    resources: resourceTable(input.calibration, req.site),
    flows: {
      recorded: recordedFlows(input, req.site, req.provider),
      forecast: withWeekSoFar(flows(counts, req.weeks), weekSoFar(input, req.site, req.provider)),
    },
  };
  if (req.solve !== undefined && req.target) {
    const names = req.solve === 'all' ? saturatedResources(input, req.site) : [req.solve];
    outlook.solve = [];
    for (const name of names)
      outlook.solve.push(await solveCapacity(input, { ...req, target: req.target }, name, runner));
  }
  return { outlook, risks };
}

/** The calibration's flow groups of one site or provider (as referred), or all. */
function flowGroups(input: ForecastInput, site?: TumourSite, provider?: string) {
  return input.calibration.flows.groups.filter(
    (g) => (site === undefined || g.site === site) && (provider === undefined || g.provider === provider),
  );
}

/** The recorded weekly flows of the calibration's window, for one site or provider (as referred) or all. */
function recordedFlows(input: ForecastInput, site?: TumourSite, provider?: string): WeekFlowsSeen[] {
  const chosen = flowGroups(input, site, provider);
  return input.calibration.flows.weekEndings.map((weekEnding, w) => {
    const week: WeekFlowsSeen = { weekEnding, referred: 0, treated: 0, closed: 0 };
    for (const g of chosen) for (const k of FLOW_KINDS) week[k] += g[k][w]!;
    return week;
  });
}

/** What was recorded in the as-of day's own week up to it, for one site or provider (as referred) or all. */
function weekSoFar(input: ForecastInput, site?: TumourSite, provider?: string): WeekFlowCounts {
  const total: WeekFlowCounts = { referred: 0, treated: 0, closed: 0 };
  for (const g of flowGroups(input, site, provider)) for (const k of FLOW_KINDS) total[k] += g.weekSoFar[k];
  return total;
}

/**
 * The first forecast week whole: the runs start the day after the as-of day, so unless that was a
 * Sunday, the days of its week up to it are the ones recorded, not a dip in the chart.
 */
function withWeekSoFar(weeks: WeekFlows[], soFar: WeekFlowCounts): WeekFlows[] {
  return weeks.map((w, i) => {
    if (i > 0) return w;
    const first = { ...w };
    for (const k of FLOW_KINDS) {
      const b = w[k];
      const add = (v: number | null) => (v === null ? null : v + soFar[k]);
      first[k] = { p10: add(b.p10), p50: add(b.p50), p90: add(b.p90) };
    }
    return first;
  });
}

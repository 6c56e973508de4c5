// The forecast's levers and target as a steward writes them: `--capacity test:mri_prostate=+20%@2027-01-04`,
// `--capacity first:urological=+15/week`, `--demand urological=+10%`, `--target over62<100@2027-03-31`.
// Parsed here (pure) into plain values; a bad one is refused naming the option and what is wrong.
import { dayNumber, isIsoDate, type IsoDate } from '../vocabulary/calendar.ts';
import { TREATMENT_MODALITIES, TUMOUR_SITES, type TumourSite } from '../vocabulary/events.ts';
import type { CapacityLever, DemandLever } from './model.ts';

/** A refusal of one option: the CLI prints it and exits non-zero; an API would answer 400. */
export class ForecastOptionError extends Error {
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`${option}: ${reason}`);
  }
}

export type TargetMetric = 'open' | 'over62' | 'over104';
export interface Target {
  metric: TargetMetric;
  /** The count must be below this (`<`), or at most it (`<=`, stored as below + 1). */
  below: number;
  on: IsoDate;
}

const CHANGE = /^([+-]?)(\d+(?:\.\d+)?)(%|\/week)(?:@(.+))?$/;

function change(option: string, text: string, asOf: IsoDate) {
  const m = CHANGE.exec(text);
  if (!m)
    throw new ForecastOptionError(
      option,
      `"${text}" is not a change: write +20% or -30% (or +15/week), then @YYYY-MM-DD for a later start`,
    );
  const value = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  const from = m[4] ?? null;
  if (from !== null) {
    if (!isIsoDate(from)) throw new ForecastOptionError(option, `"${from}" is not a real calendar date, YYYY-MM-DD`);
    if (from <= asOf)
      throw new ForecastOptionError(
        option,
        `${from} is not after the as-of day (${asOf}): a change starts on a later day`,
      );
  }
  return { value, unit: m[3] as '%' | '/week', from: dayNumber(from ?? asOf) + (from === null ? 1 : 0) };
}

/** A resource's name as the simulator and the calibration give it: first:<site>, test:<name>, treatment:<modality>. */
export function checkResourceName(option: string, name: string): void {
  const [kind, what] = name.split(':');
  const ok =
    what !== undefined &&
    ((kind === 'first' && (TUMOUR_SITES as readonly string[]).includes(what)) ||
      (kind === 'test' && /^[a-z0-9_]+$/.test(what)) ||
      (kind === 'treatment' && (TREATMENT_MODALITIES as readonly string[]).includes(what)));
  if (!ok)
    throw new ForecastOptionError(
      option,
      `"${name}" is not a resource: first:<tumour site>, test:<test name> or treatment:<modality> (openptl forecast --resources lists them)`,
    );
}

export function parseCapacity(text: string, asOf: IsoDate): CapacityLever {
  const eq = text.indexOf('=');
  if (eq < 0)
    throw new ForecastOptionError('--capacity', `"${text}" is not RESOURCE=CHANGE, such as test:mri_prostate=+20%`);
  const resource = text.slice(0, eq);
  checkResourceName('--capacity', resource);
  const c = change('--capacity', text.slice(eq + 1), asOf);
  if (c.unit === '%') {
    if (c.value <= -100) throw new ForecastOptionError('--capacity', `${c.value}% would leave no capacity at all`);
    return { kind: 'capacity', resource, percent: c.value / 100, from: c.from };
  }
  return { kind: 'capacity', resource, perWeek: c.value, from: c.from };
}

export function parseDemand(text: string, asOf: IsoDate): DemandLever {
  const eq = text.indexOf('=');
  if (eq < 0) throw new ForecastOptionError('--demand', `"${text}" is not SITE=CHANGE, such as urological=+10%`);
  const site = text.slice(0, eq);
  if (!(TUMOUR_SITES as readonly string[]).includes(site))
    throw new ForecastOptionError('--demand', `"${site}" is not a tumour site (one of ${TUMOUR_SITES.join(', ')})`);
  const c = change('--demand', text.slice(eq + 1), asOf);
  if (c.unit !== '%') throw new ForecastOptionError('--demand', 'a change in referrals is a percentage, such as +10%');
  if (c.value <= -100) throw new ForecastOptionError('--demand', `${c.value}% would leave no referrals at all`);
  return { kind: 'demand', site: site as TumourSite, percent: c.value / 100, from: c.from };
}

const TARGET = /^(open|over62|over104)(<=?)(\d+)@(.+)$/;

export function parseTarget(text: string, asOf: IsoDate): Target {
  const m = TARGET.exec(text);
  if (!m)
    throw new ForecastOptionError(
      '--target',
      `"${text}" is not METRIC<N@YYYY-MM-DD (METRIC: over62, over104 or open), such as over62<100@2027-03-31`,
    );
  const on = m[4]!;
  if (!isIsoDate(on)) throw new ForecastOptionError('--target', `"${on}" is not a real calendar date, YYYY-MM-DD`);
  if (on <= asOf) throw new ForecastOptionError('--target', `${on} is not after the as-of day (${asOf})`);
  const n = Number(m[3]);
  const below = m[2] === '<=' ? n + 1 : n;
  // A count is never below 0: such a target is a typing slip, not a goal any capacity could meet.
  if (below < 1)
    throw new ForecastOptionError('--target', 'fewer than 0 can never be met; for none at all, write fewer than 1');
  return { metric: m[1] as TargetMetric, below, on };
}

export function parseConfidence(text: string): number {
  const c = /^0?\.\d+$|^1(\.0+)?$|^0$/.test(text) ? Number(text) : NaN;
  if (!(c > 0 && c < 1))
    throw new ForecastOptionError('--confidence', `must be a share between 0 and 1, such as 0.8 (got ${text})`);
  return c;
}

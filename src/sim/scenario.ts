// Scenarios for the simulator (issue #22): changes to a resource's capacity or to a tumour site's
// referrals, each from a date to the end of the history. A file is read whole and refused with the
// entry and field at fault, so nothing is simulated from half a scenario. Format: docs/simulation.md.
import { isIsoDate, type IsoDate } from '../cwt/calendar.ts';
import { TUMOUR_SITES, type TumourSite } from '../domain/events.ts';

/** A change to a weekly capacity: by a share of what it was, by slots a week, or to a number of slots a week. */
export type CapacityChange =
  { by: 'percent'; value: number } | { by: 'perWeek'; value: number } | { by: 'set'; value: number };

export interface Scenario {
  capacity: { resource: string; from: IsoDate; change: CapacityChange; text: string }[];
  demand: { tumourSite: TumourSite; from: IsoDate; percent: number; text: string }[];
}

export const NO_SCENARIO: Scenario = { capacity: [], demand: [] };

export class ScenarioError extends RangeError {}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const PERCENT = new RegExp(`^([+-])${NUMBER}%$`);
const PER_WEEK = new RegExp(`^([+-])?${NUMBER}/week$`);

/**
 * The scenario in a parsed JSON file: `{"changes": [{"resource", "from", "capacity"} |
 * {"demand", "from", "change"}, ...]}`. `resources` are the names a capacity change may name.
 */
export function readScenario(value: unknown, resources: readonly string[]): Scenario {
  if (!isObject(value)) throw new ScenarioError('must be a JSON object: {"changes": [...]}');
  for (const key of Object.keys(value))
    if (key !== 'changes') throw new ScenarioError(`unknown field "${key}" (a scenario has only "changes")`);
  const changes = value.changes;
  if (!Array.isArray(changes)) throw new ScenarioError('changes: must be a list of changes');
  const scenario: Scenario = { capacity: [], demand: [] };
  changes.forEach((entry: unknown, i) => {
    const at = `changes[${i}]`;
    if (!isObject(entry)) throw new ScenarioError(`${at}: must be an object`);
    const isDemand = 'demand' in entry;
    const fields = isDemand ? ['demand', 'from', 'change'] : ['resource', 'from', 'capacity'];
    for (const key of Object.keys(entry)) {
      if (!fields.includes(key))
        throw new ScenarioError(
          `${at}: unknown field "${key}" (a change has resource, from and capacity; or demand, from and change)`,
        );
    }
    for (const key of fields) if (entry[key] === undefined) throw new ScenarioError(`${at}.${key}: is required`);
    const from = text(entry.from, `${at}.from`);
    if (!isIsoDate(from)) throw new ScenarioError(`${at}.from: must be a real calendar date, YYYY-MM-DD (got ${from})`);
    if (isDemand) {
      const site = text(entry.demand, `${at}.demand`);
      if (!(TUMOUR_SITES as readonly string[]).includes(site))
        throw new ScenarioError(`${at}.demand: must be a tumour site, one of ${TUMOUR_SITES.join(', ')} (got ${site})`);
      const change = text(entry.change, `${at}.change`);
      const m = PERCENT.exec(change);
      if (!m) throw new ScenarioError(`${at}.change: must be a percentage such as "+20%" or "-10%" (got ${change})`);
      const percent = signed(m[1]!, m[2]!);
      if (percent < -100)
        throw new ScenarioError(`${at}.change: cannot take away more than all referrals (got ${change})`);
      scenario.demand.push({ tumourSite: site as TumourSite, from, percent, text: change });
    } else {
      const resource = text(entry.resource, `${at}.resource`);
      if (!resources.includes(resource))
        throw new ScenarioError(
          `${at}.resource: no resource "${resource}" in the model (first:<tumour site>, test:<test>, treatment:<modality>: openptl simulate --describe lists them)`,
        );
      const capacity = text(entry.capacity, `${at}.capacity`);
      scenario.capacity.push({ resource, from, change: capacityChange(capacity, `${at}.capacity`), text: capacity });
    }
  });
  return scenario;
}

function capacityChange(change: string, at: string): CapacityChange {
  const percent = PERCENT.exec(change);
  if (percent) {
    const value = signed(percent[1]!, percent[2]!);
    if (value < -100) throw new ScenarioError(`${at}: cannot cut by more than 100% (got ${change})`);
    return { by: 'percent', value };
  }
  const perWeek = PER_WEEK.exec(change);
  if (perWeek) {
    return perWeek[1] === undefined
      ? { by: 'set', value: Number(perWeek[2]) }
      : { by: 'perWeek', value: signed(perWeek[1], perWeek[2]!) };
  }
  throw new ScenarioError(
    `${at}: must be "-30%" or "+30%" (a share), "+12/week" or "-12/week" (slots a week more or fewer), or "40/week" (got ${change})`,
  );
}

/** The weekly capacity after a change: never below zero. */
export function applyCapacityChange(perWeek: number, change: CapacityChange): number {
  const after =
    change.by === 'percent'
      ? perWeek * (1 + change.value / 100)
      : change.by === 'perWeek'
        ? perWeek + change.value
        : change.value;
  return after > 0 ? after : 0;
}

function signed(sign: string, digits: string): number {
  return sign === '-' ? -Number(digits) : Number(digits);
}

function text(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new ScenarioError(`${at}: must be a string (got ${JSON.stringify(value)})`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

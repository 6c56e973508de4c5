// `openptl pathways` (issue #26): the timed pathway definitions in force, as JSON; and a trust's
// changes to them (`set`, `remove`, `reset`), each kept with who made it and when (`history`),
// after which every open pathway's milestones are recomputed. Refusals are one line and exit 2.
import { systemClock, type WallClock } from '../wall-clock.ts';
import { instantOf } from '../vocabulary/calendar.ts';
import { changeTimedPathway, type TimedChange } from '../pathways/timed.ts';
import { CliError } from './errors.ts';
import { cliActor } from './audit-entry.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';

const USAGE = `openptl pathways [--db FILE]                 the definitions in force, as JSON
  pathways set PATHWAY MILESTONE --day N [--event TYPE] [--tests a,b]   change a milestone's day (or add one)
  pathways remove PATHWAY MILESTONE             take a milestone out
  pathways reset PATHWAY MILESTONE              back to the day OpenPTL ships
  pathways history                              every change: who and when (one JSON line each)`;

export function pathwaysCommand(args: string[], clock: WallClock = systemClock): void {
  const { values, positionals } = options(
    args,
    { day: { type: 'string' }, event: { type: 'string' }, tests: { type: 'string' }, db: { type: 'string' } },
    USAGE,
  );
  const [action, pathway, name, ...rest] = positionals;
  const store = openDatabase(values.db ?? DEFAULT_DB, clock);
  const { timed } = store;
  const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  switch (action) {
    case undefined:
      process.stdout.write(`${JSON.stringify(timed.definitions(), null, 2)}\n`);
      return;
    case 'history':
      for (const change of timed.changes()) print(change);
      return;
    case 'set':
    case 'remove':
    case 'reset': {
      if (!pathway || !name || rest.length) throw new CliError(`usage: ${USAGE}`);
      let change: TimedChange;
      if (action === 'set') {
        if (values.day === undefined || !/^\d+$/.test(values.day))
          throw new CliError(`--day: give the day it is due by, a whole number of days from the clock start`);
        change = {
          action,
          pathway,
          name,
          milestone: {
            day: Number(values.day),
            ...(values.event !== undefined ? { event: values.event } : {}),
            ...(values.tests !== undefined ? { tests: values.tests.split(',').map((t) => t.trim()) } : {}),
          },
        };
      } else {
        if (values.day !== undefined || values.event !== undefined || values.tests !== undefined)
          throw new CliError(`--day, --event and --tests are for set\nusage: ${USAGE}`);
        change = { action, pathway, name };
      }
      const recomputed = changeTimedPathway(store, change, cliActor(), instantOf(clock.now()));
      const definition = timed.definitions().find((d) => d.pathway === pathway)!;
      print({ [action]: { pathway, name }, milestones: definition.milestones, pathwaysRecomputed: recomputed });
      return;
    }
    default:
      throw new CliError(`unknown pathways action "${action}"\nusage: ${USAGE}`);
  }
}

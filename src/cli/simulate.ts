// `openptl simulate`: a synthetic, deterministic event history as newline-delimited JSON on
// stdout, one import line per event, ready for `openptl import`; or, with --describe, the model it
// is made from. Model, scenarios and calibration: docs/simulation.md.
import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isIsoDate } from '../vocabulary/calendar.ts';
import { describeModel } from '../sim/describe.ts';
import { RESOURCES } from '../sim/resources.ts';
import { readScenario, ScenarioError, type Scenario } from '../sim/scenario.ts';
import { EARLIEST_AS_OF, LIMITS, PRESETS, simulate, type PresetName, type SimulateOptions } from '../sim/simulate.ts';
import { systemClock, today, type WallClock } from '../wall-clock.ts';
import { asksForHelp, CliError } from './errors.ts';

export const SIMULATE_USAGE =
  'usage: openptl simulate (--preset trust|england|demo | --referrals-per-month N --months M) --seed S --as-of YYYY-MM-DD [--scenario FILE] [--describe] > FILE.ndjson';

/** Output is written in chunks of about this many characters. */
const CHUNK = 1 << 20;

export async function simulateCommand(
  args: string[],
  out: Writable = process.stdout,
  clock: WallClock = systemClock,
): Promise<void> {
  const command = parseSimulateArgs(args, clock);
  if (command === 'help') {
    out.write(`${SIMULATE_USAGE}\n${HELP}\n`);
    return;
  }
  if (command.describe) {
    await new Promise<void>((resolve) =>
      out.write(`${JSON.stringify(describeModel(command.options), null, 2)}\n`, () => resolve()),
    );
    return;
  }
  await writeNdjson(simulate(command.options), out);
}

const HELP = `  --preset NAME              demo (${PRESETS.demo.referralsPerMonth}/month), trust (${PRESETS.trust.referralsPerMonth}/month) or england (${PRESETS.england.referralsPerMonth}/month), ${PRESETS.trust.months} months
  --referrals-per-month N    referrals received a month (overrides the preset's)
  --months M                 months of referrals, ending on --as-of (overrides the preset's)
  --seed S                   a whole number: the same options give the same bytes
  --as-of YYYY-MM-DD         the last day of the history, today at the latest: nothing is dated after it, and nothing
                             is recorded after it or after now (required; no default, so a past day's history never
                             depends on the day it is run)
  --scenario FILE            changes to capacity and referrals, as JSON: {"changes": [{"resource": "test:mri_prostate",
                             "from": "2026-08-03", "capacity": "-30%"}, {"demand": "urological", "from": "2026-06-01",
                             "change": "+20%"}]} (docs/simulation.md)
  --describe                 print the model instead, as JSON: each resource's weekly capacity by date range, and
                             the referrals a week by suspected site (--seed is not needed)`;

/** What `openptl simulate` is asked for: a history, or a description of the model it would be made from. */
export interface SimulateCommand {
  options: SimulateOptions;
  describe: boolean;
}

/** The command's options, or 'help'. Throws a CliError naming the argument at fault. */
export function parseSimulateArgs(args: string[], clock: WallClock = systemClock): SimulateCommand | 'help' {
  if (asksForHelp(args)) return 'help'; // whatever else the arguments say
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        preset: { type: 'string' },
        'referrals-per-month': { type: 'string' },
        months: { type: 'string' },
        seed: { type: 'string' },
        'as-of': { type: 'string' },
        scenario: { type: 'string' },
        describe: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${SIMULATE_USAGE}`);
  }
  if (values.help) return 'help';
  const describe = values.describe === true;

  const presetName = values.preset as string | undefined;
  if (presetName !== undefined && !Object.hasOwn(PRESETS, presetName)) {
    throw new CliError(`--preset: must be one of ${Object.keys(PRESETS).join(', ')} (got ${presetName})`);
  }
  const preset = presetName === undefined ? undefined : PRESETS[presetName as PresetName];

  const whole = (name: string, min: number, max: number, fallback?: number): number => {
    const text = values[name] as string | undefined;
    if (text === undefined) {
      if (fallback !== undefined) return fallback;
      throw new CliError(
        `--${name} is required (or give --preset ${Object.keys(PRESETS).join('|')})\n${SIMULATE_USAGE}`,
      );
    }
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new CliError(`--${name}: must be a whole number from ${min} to ${max} (got ${text})`);
    }
    return n;
  };
  const referralsPerMonth = whole('referrals-per-month', 1, LIMITS.referralsPerMonth, preset?.referralsPerMonth);
  const months = whole('months', 1, LIMITS.months, preset?.months);

  const seedText = values.seed as string | undefined;
  if (seedText === undefined && !describe)
    throw new CliError(`--seed is required: a whole number (the same seed gives the same history)\n${SIMULATE_USAGE}`);
  const seed = seedText === undefined ? 0 : /^\d+$/.test(seedText) ? Number(seedText) : NaN;
  if (!Number.isSafeInteger(seed))
    throw new CliError(`--seed: must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER} (got ${seedText})`);

  const asOf = values['as-of'] as string | undefined;
  if (asOf === undefined) {
    throw new CliError(
      `--as-of is required: the last day of the history, YYYY-MM-DD (there is no default, so the output never depends on the day it is run)\n${SIMULATE_USAGE}`,
    );
  }
  if (!isIsoDate(asOf) || asOf < EARLIEST_AS_OF)
    throw new CliError(`--as-of: must be a real calendar date, YYYY-MM-DD, from ${EARLIEST_AS_OF} (got ${asOf})`);
  const now = clock.now();
  if (asOf > today(clock))
    throw new CliError(`--as-of: ${asOf} is after today (${today(clock)}): nothing can be recorded in the future`);

  const file = values.scenario as string | undefined;
  const scenario = file === undefined ? undefined : readScenarioFile(file);
  // The generator is pure: the time now comes from the injected clock, so `--as-of` today writes nothing recorded later.
  return {
    options: { referralsPerMonth, months, seed, asOf, recordedUntil: now.toISOString(), ...(scenario && { scenario }) },
    describe,
  };
}

function readScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `--scenario ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`--scenario ${file}: not JSON (${(err as Error).message})`);
  }
  try {
    return readScenario(value, RESOURCES);
  } catch (err) {
    if (err instanceof ScenarioError) throw new CliError(`--scenario ${file}: ${err.message}`);
    throw err;
  }
}

/**
 * Writes each value as one line of JSON, in chunks, waiting whenever the stream asks (backpressure).
 * A reader that goes away (EPIPE: `openptl simulate ... | head`) ends the output quietly; any other
 * write error is a CliError. Returns the number of lines written.
 */
export async function writeNdjson(values: Iterable<unknown>, out: Writable): Promise<number> {
  let failure: (Error & { code?: string }) | null = null;
  const onError = (err: Error) => {
    failure ??= err;
  };
  out.on('error', onError);
  let lines = 0;
  let chunk = '';
  for (const value of values) {
    chunk += `${JSON.stringify(value)}\n`;
    lines++;
    if (chunk.length >= CHUNK) {
      if (!out.write(chunk)) await drained(out);
      chunk = '';
      if (failure) break;
    }
  }
  if (!failure && chunk) await new Promise<void>((resolve) => out.write(chunk, () => resolve()));
  if (failure === null) {
    out.off('error', onError);
    return lines;
  }
  // The listener stays: a pipe that has failed may report again, and must not crash the process.
  const err: Error & { code?: string } = failure;
  if (err.code === 'EPIPE') return lines;
  throw new CliError(`cannot write the output: ${err.message}`, 1);
}

function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
    out.on('close', done);
  });
}

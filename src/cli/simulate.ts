// `openptl simulate`: a synthetic, deterministic event history as newline-delimited JSON on
// stdout, one import line per event, ready for `openptl import`. Model: docs/simulation.md.
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isIsoDate } from '../vocabulary/calendar.ts';
import { EARLIEST_AS_OF, LIMITS, PRESETS, simulate, type PresetName, type SimulateOptions } from '../sim/simulate.ts';
import { CliError } from './errors.ts';

export const SIMULATE_USAGE =
  'usage: openptl simulate (--preset trust|england|demo | --referrals-per-month N --months M) --seed S --as-of YYYY-MM-DD > FILE.ndjson';

/** Output is written in chunks of about this many characters. */
const CHUNK = 1 << 20;

export async function simulateCommand(args: string[], out: Writable = process.stdout): Promise<void> {
  const opts = parseSimulateArgs(args);
  if (opts === 'help') {
    out.write(`${SIMULATE_USAGE}\n${HELP}\n`);
    return;
  }
  await writeNdjson(simulate(opts), out);
}

const HELP = `  --preset NAME              demo (${PRESETS.demo.referralsPerMonth}/month), trust (${PRESETS.trust.referralsPerMonth}/month) or england (${PRESETS.england.referralsPerMonth}/month), ${PRESETS.trust.months} months
  --referrals-per-month N    referrals received a month (overrides the preset's)
  --months M                 months of referrals, ending on --as-of (overrides the preset's)
  --seed S                   a whole number: the same options give the same bytes
  --as-of YYYY-MM-DD         the last day of the history: nothing is dated or recorded after it (required; no default,
                             so the output never depends on the day it is run)`;

/** The options of `openptl simulate`, or 'help'. Throws a CliError naming the argument at fault. */
export function parseSimulateArgs(args: string[]): SimulateOptions | 'help' {
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
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${SIMULATE_USAGE}`);
  }
  if (values.help) return 'help';

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
  if (seedText === undefined)
    throw new CliError(`--seed is required: a whole number (the same seed gives the same history)\n${SIMULATE_USAGE}`);
  const seed = /^\d+$/.test(seedText) ? Number(seedText) : NaN;
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

  return { referralsPerMonth, months, seed, asOf };
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

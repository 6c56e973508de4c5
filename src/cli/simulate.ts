// `openptl simulate`: a synthetic event history as newline-delimited JSON on stdout.
import { CliError } from './errors.ts';
import { options } from './store-commands.ts';
import { isIsoDate } from '../cwt/calendar.ts';
import { PRESETS, simulate } from '../sim/simulate.ts';

export async function simulateCommand(args: string[]): Promise<void> {
  const usage = 'openptl simulate (--preset demo|trust|england | --referrals-per-month N --months M) --seed S --as-of YYYY-MM-DD > FILE.ndjson';
  const { values, positionals } = options(args, {
    preset: { type: 'string' }, 'referrals-per-month': { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' }, 'as-of': { type: 'string' },
  }, usage);
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const preset = values.preset === undefined ? undefined : PRESETS[values.preset as keyof typeof PRESETS];
  if (values.preset !== undefined && !preset) throw new CliError(`--preset: must be one of ${Object.keys(PRESETS).join(', ')}`);
  const whole = (name: string, value: string | undefined, fallback?: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (n === undefined || !Number.isInteger(n) || n < 0) throw new CliError(`--${name}: must be a whole number${value === undefined ? ' (required)' : ` (got ${value})`}\nusage: ${usage}`);
    return n;
  };
  const asOf = values['as-of'];
  // No hidden wall clock: the history ends on the date given.
  if (!asOf || !isIsoDate(asOf)) throw new CliError(`--as-of: a real calendar date YYYY-MM-DD is required\nusage: ${usage}`);
  const opts = {
    referralsPerMonth: whole('referrals-per-month', values['referrals-per-month'], preset?.referralsPerMonth),
    months: whole('months', values.months, preset?.months),
    seed: whole('seed', values.seed),
    asOf,
  };
  let chunk = '';
  for (const line of simulate(opts)) {
    chunk += `${JSON.stringify(line)}\n`;
    if (chunk.length > 1 << 20) {
      if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
      chunk = '';
    }
  }
  process.stdout.write(chunk);
}

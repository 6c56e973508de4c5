// `openptl simulate`: argument checking, NDJSON output equal to the generator's, backpressure,
// and a reader that goes away.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSimulateArgs, simulateCommand } from '../../src/cli/simulate.ts';
import { CliError } from '../../src/cli/errors.ts';
import { simulate } from '../../src/sim/simulate.ts';

/** A sink that keeps what it is given; optionally slow (calls back on a later turn) with a small buffer. */
class Sink extends Writable {
  text = '';
  writes = 0;
  maxBuffered = 0;
  constructor(
    private readonly slow = false,
    highWaterMark = 16 * 1024,
  ) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: string, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    this.writes++;
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    if (this.slow) setImmediate(() => done());
    else done();
  }
}

/** A sink whose reader has gone: the first write fails with this error code. */
class Broken extends Writable {
  writes = 0;
  constructor(private readonly code: string) {
    super({ decodeStrings: false });
  }
  override _write(_chunk: unknown, _enc: string, done: (err?: Error | null) => void): void {
    this.writes++;
    done(Object.assign(new Error(`write ${this.code}`), { code: this.code }));
  }
}

const refusal = (args: string[]) => {
  try {
    parseSimulateArgs(args);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as CliError).message;
  }
  throw new Error(`accepted ${args.join(' ')}`);
};

const base = ['--seed', '5', '--as-of', '2026-03-31'];

describe('openptl simulate: arguments', () => {
  it('takes a preset, explicit sizes, or a preset with an override', () => {
    expect(parseSimulateArgs(['--preset', 'demo', ...base])).toEqual({
      referralsPerMonth: 350,
      months: 12,
      seed: 5,
      asOf: '2026-03-31',
    });
    expect(parseSimulateArgs(['--referrals-per-month', '40', '--months', '3', ...base])).toEqual({
      referralsPerMonth: 40,
      months: 3,
      seed: 5,
      asOf: '2026-03-31',
    });
    expect(parseSimulateArgs(['--preset', 'england', '--months', '1', ...base])).toEqual({
      referralsPerMonth: 253000,
      months: 1,
      seed: 5,
      asOf: '2026-03-31',
    });
    expect(parseSimulateArgs(['--help'])).toBe('help');
  });

  it('requires --as-of: no hidden wall clock', () => {
    expect(refusal(['--preset', 'demo', '--seed', '1'])).toMatch(/^--as-of is required/);
    expect(refusal(['--preset', 'demo', '--seed', '1', '--as-of', '2026-02-30'])).toMatch(
      /^--as-of: must be a real calendar date/,
    );
    expect(refusal(['--preset', 'demo', '--seed', '1', '--as-of', 'today'])).toMatch(/got today/);
    expect(refusal(['--preset', 'demo', '--seed', '1', '--as-of', '0050-01-01'])).toMatch(
      /from 2000-01-01 \(got 0050-01-01\)/,
    );
  });

  it('names the argument at fault', () => {
    expect(refusal(['--preset', 'demo', '--as-of', '2026-01-01'])).toMatch(/^--seed is required/);
    expect(refusal(['--preset', 'demo', '--seed=-3', '--as-of', '2026-01-01'])).toMatch(
      /^--seed: must be a whole number/,
    );
    expect(refusal(['--preset', 'demo', '--seed', '1e3', '--as-of', '2026-01-01'])).toMatch(
      /^--seed: must be a whole number .*\(got 1e3\)/,
    );
    expect(refusal(['--preset', 'region', ...base])).toMatch(
      /^--preset: must be one of trust, england, demo \(got region\)/,
    );
    expect(refusal(['--months', '3', ...base])).toMatch(/^--referrals-per-month is required \(or give --preset/);
    expect(refusal(['--referrals-per-month', '10', ...base])).toMatch(/^--months is required/);
    expect(refusal(['--referrals-per-month', '0', '--months', '3', ...base])).toMatch(
      /^--referrals-per-month: must be a whole number from 1/,
    );
    expect(refusal(['--referrals-per-month', '10', '--months', '1.5', ...base])).toMatch(
      /^--months: must be a whole number from 1 to 120 \(got 1.5\)/,
    );
    expect(refusal(['--referrals-per-month', '10', '--months', '121', ...base])).toMatch(/^--months/);
    expect(refusal(['--preset', 'demo', '--colour', ...base])).toMatch(/Unknown option '--colour'/);
    expect(refusal(['--preset', 'demo', 'extra', ...base])).toMatch(/extra/);
  });
});

describe('openptl simulate: output', () => {
  const args = ['--referrals-per-month', '300', '--months', '2', '--seed', '5', '--as-of', '2026-03-31'];
  const expected = () =>
    [...simulate({ referralsPerMonth: 300, months: 2, seed: 5, asOf: '2026-03-31' })]
      .map((l) => `${JSON.stringify(l)}\n`)
      .join('');

  it("writes one JSON import line per event, exactly the generator's history", async () => {
    const sink = new Sink();
    await simulateCommand(args, sink);
    expect(sink.text.length).toBeGreaterThan(0);
    expect(sink.text).toBe(expected());
    for (const line of sink.text.trimEnd().split('\n').slice(0, 50))
      expect(JSON.parse(line)).toHaveProperty('pathwayId');
  });

  it('waits for a slow reader instead of buffering the whole history', async () => {
    const big = ['--referrals-per-month', '4000', '--months', '3', '--seed', '2', '--as-of', '2026-03-31'];
    const sink = new Sink(true, 1024);
    await simulateCommand(big, sink);
    expect(sink.text.length).toBeGreaterThan(8 << 20);
    expect(sink.writes).toBeGreaterThan(8);
    // At most one chunk (about 1 MiB) is ever waiting beyond the stream's own buffer.
    expect(sink.maxBuffered).toBeLessThan(2 << 20);
    expect(sink.text).toBe(
      [...simulate({ referralsPerMonth: 4000, months: 3, seed: 2, asOf: '2026-03-31' })]
        .map((l) => `${JSON.stringify(l)}\n`)
        .join(''),
    );
  });

  it('stops quietly when the reader goes away (EPIPE), and reports any other write error', async () => {
    const gone = new Broken('EPIPE');
    await expect(
      simulateCommand(['--preset', 'trust', '--seed', '1', '--as-of', '2026-03-31'], gone),
    ).resolves.toBeUndefined();
    expect(gone.writes).toBe(1);
    const failing = new Broken('EIO');
    await expect(simulateCommand(args, failing)).rejects.toThrow(CliError);
    await expect(simulateCommand(args, new Broken('EIO'))).rejects.toThrow(/cannot write the output: write EIO/);
  });

  it('prints its usage for --help', async () => {
    const sink = new Sink();
    await simulateCommand(['--help'], sink);
    expect(sink.text).toMatch(/^usage: openptl simulate/);
    expect(sink.text).toMatch(/--as-of YYYY-MM-DD/);
  });
});

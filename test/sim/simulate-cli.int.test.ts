// `openptl simulate`: argument checking, NDJSON output equal to the generator's, backpressure,
// and a reader that goes away.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSimulateArgs, simulateCommand } from '../../src/cli/simulate.ts';
import { CliError } from '../../src/cli/errors.ts';
import { simulate } from '../../src/sim/simulate.ts';
import type { ModelDescription } from '../../src/sim/describe.ts';
import { fixedClock } from '../../src/wall-clock.ts';

/** The command's "now": a December morning, after every as-of day these tests use. */
const NOW = '2026-12-06T10:30:00.000Z';
const clock = fixedClock(NOW);

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
    parseSimulateArgs(args, clock);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as CliError).message;
  }
  throw new Error(`accepted ${args.join(' ')}`);
};

const base = ['--seed', '5', '--as-of', '2026-03-31'];

describe('openptl simulate: arguments', () => {
  it('takes a preset, explicit sizes, or a preset with an override; nothing recorded after now', () => {
    const options = (o: object) => ({
      options: { ...o, seed: 5, asOf: '2026-03-31', recordedUntil: NOW },
      describe: false,
    });
    expect(parseSimulateArgs(['--preset', 'demo', ...base], clock)).toEqual(
      options({ referralsPerMonth: 350, months: 12 }),
    );
    expect(parseSimulateArgs(['--referrals-per-month', '40', '--months', '3', ...base], clock)).toEqual(
      options({ referralsPerMonth: 40, months: 3 }),
    );
    expect(parseSimulateArgs(['--preset', 'england', '--months', '1', ...base], clock)).toEqual(
      options({ referralsPerMonth: 253000, months: 1 }),
    );
    expect(parseSimulateArgs(['--help'], clock)).toBe('help');
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
    expect(refusal(['--preset', 'demo', '--seed', '1', '--as-of', '2026-12-07'])).toBe(
      '--as-of: 2026-12-07 is after today (2026-12-06): nothing can be recorded in the future',
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
    await simulateCommand(args, sink, clock);
    expect(sink.text.length).toBeGreaterThan(0);
    expect(sink.text).toBe(expected());
    for (const line of sink.text.trimEnd().split('\n').slice(0, 50))
      expect(JSON.parse(line)).toHaveProperty('pathwayId');
  });

  it('waits for a slow reader instead of buffering the whole history', async () => {
    const big = ['--referrals-per-month', '4000', '--months', '3', '--seed', '2', '--as-of', '2026-03-31'];
    const sink = new Sink(true, 1024);
    await simulateCommand(big, sink, clock);
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
      simulateCommand(['--preset', 'trust', '--seed', '1', '--as-of', '2026-03-31'], gone, clock),
    ).resolves.toBeUndefined();
    expect(gone.writes).toBe(1);
    const failing = new Broken('EIO');
    await expect(simulateCommand(args, failing, clock)).rejects.toThrow(CliError);
    await expect(simulateCommand(args, new Broken('EIO'), clock)).rejects.toThrow(/cannot write the output: write EIO/);
  });

  it('prints its usage for --help', async () => {
    const sink = new Sink();
    await simulateCommand(['--help'], sink, clock);
    expect(sink.text).toMatch(/^usage: openptl simulate/);
    expect(sink.text).toMatch(/--as-of YYYY-MM-DD/);
  });
});

describe('openptl simulate: the time now, scenarios and --describe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openptl-simulate-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const bin = join(import.meta.dirname, '../../bin/openptl.js');
  const small = ['--referrals-per-month', '300', '--months', '2', '--seed', '5', '--as-of', '2026-11-20'];

  it('writes nothing recorded after now: a history as of today imports (issue #28)', async () => {
    const sink = new Sink();
    const morning = '2026-12-06T11:15:00.000Z';
    await simulateCommand(
      ['--referrals-per-month', '2000', '--months', '1', '--seed', '3', '--as-of', '2026-12-06'],
      sink,
      fixedClock(morning),
    );
    const lines = sink.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { recordedAt: string });
    expect(lines.every((l) => l.recordedAt <= morning)).toBe(true);
    // The day's work up to now is there; the rest of the day is not.
    const today = lines.filter((l) => l.recordedAt.startsWith('2026-12-06'));
    expect(today.length).toBeGreaterThan(10);
    const wholeDay = [...simulate({ referralsPerMonth: 2000, months: 1, seed: 3, asOf: '2026-12-06' })];
    expect(wholeDay.filter((l) => l.recordedAt > morning).length).toBeGreaterThan(10);
  });

  it('refuses a bad scenario file naming the entry and field, exits non-zero and writes nothing', () => {
    const cases: [string, RegExp][] = [
      [
        '{"changes": [{"resource": "test:mri", "from": "2026-08-01", "capacity": "-30%"}]}',
        /changes\[0\]\.resource: no resource "test:mri"/,
      ],
      [
        '{"changes": [{"resource": "test:mri_prostate", "from": "2026-02-30", "capacity": "-30%"}]}',
        /changes\[0\]\.from: must be a real calendar date/,
      ],
      [
        '{"changes": [{"resource": "test:mri_prostate", "from": "2026-08-01", "capacity": "30"}]}',
        /changes\[0\]\.capacity: must be "-30%" or "\+30%"/,
      ],
      [
        '{"changes": [{"resource": "test:mri_prostate", "from": "2026-08-01", "capacity": "-130%"}]}',
        /changes\[0\]\.capacity: cannot cut by more than 100%/,
      ],
      [
        '{"changes": [{}, {"demand": "urology", "from": "2026-08-01", "change": "+5%"}]}',
        /changes\[0\]\.resource: is required/,
      ],
      [
        '{"changes": [{"demand": "urology", "from": "2026-08-01", "change": "+5%"}]}',
        /changes\[0\]\.demand: must be a tumour site/,
      ],
      [
        '{"changes": [{"demand": "urological", "from": "2026-08-01", "change": "5"}]}',
        /changes\[0\]\.change: must be a percentage/,
      ],
      [
        '{"changes": [{"demand": "urological", "from": "2026-08-01", "change": "+5%", "capacity": "+1%"}]}',
        /changes\[0\]: unknown field "capacity"/,
      ],
      ['{"change": []}', /unknown field "change"/],
      ['{"changes": [', /not JSON/],
    ];
    for (const [i, [text, reason]] of cases.entries()) {
      const path = file(`bad-${i}.json`, text);
      expect(refusal([...small, '--scenario', path])).toMatch(new RegExp(`^--scenario ${path}: `));
      expect(refusal([...small, '--scenario', path])).toMatch(reason);
    }
    expect(refusal([...small, '--scenario', join(dir, 'none.json')])).toMatch(/cannot read it \(ENOENT\)/);
    // As a command: one line on stderr, exit 2, nothing on stdout.
    const r = spawnSync(process.execPath, [bin, 'simulate', ...small, '--scenario', join(dir, 'bad-0.json')], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^openptl: --scenario .*bad-0\.json: changes\[0\]\.resource: no resource "test:mri"/);
  });

  it('runs a scenario: the same bytes each time, and a different history from the same seed without it', async () => {
    const path = file(
      'cut.json',
      '{"changes": [{"resource": "test:mri_prostate", "from": "2026-10-01", "capacity": "-50%"}]}',
    );
    const runs = await Promise.all(
      [[...small, '--scenario', path], [...small, '--scenario', path], small].map(async (args) => {
        const sink = new Sink();
        await simulateCommand(args, sink, clock);
        return sink.text;
      }),
    );
    expect(runs[0]).toBe(runs[1]);
    expect(runs[0]).not.toBe(runs[2]);
  });

  it('--describe prints the model as run: capacity by date range, referrals a week by site', async () => {
    const path = file(
      'describe.json',
      JSON.stringify({
        changes: [
          { resource: 'test:mri_prostate', from: '2026-08-03', capacity: '-30%' },
          { resource: 'first:urological', from: '2026-09-07', capacity: '+12/week' },
          { demand: 'urological', from: '2026-06-01', change: '+20%' },
        ],
      }),
    );
    const sink = new Sink();
    await simulateCommand(
      ['--preset', 'trust', '--as-of', '2026-11-29', '--scenario', path, '--describe'],
      sink,
      clock,
    );
    const model = JSON.parse(sink.text) as ModelDescription;
    // 5,500 a month for a year, and a fifth more urological referrals (about a tenth of all) for half of it.
    expect(model.history).toEqual({ from: '2025-11-30', to: '2026-11-29', referrals: expect.any(Number) });
    expect(model.history.referrals).toBeGreaterThan(66_500);
    expect(model.history.referrals).toBeLessThan(67_000);
    expect(model.order).toBe('referral date');
    const capacity = (name: string) => model.resources.find((r) => r.resource === name)!.capacity;
    const mri = capacity('test:mri_prostate');
    expect(mri).toEqual([
      { from: '2025-11-30', to: '2026-08-02', perWeek: mri[0]!.perWeek },
      { from: '2026-08-03', to: null, perWeek: Math.round(mri[0]!.perWeek * 70) / 100 },
    ]);
    expect(capacity('first:urological')[1]).toEqual({
      from: '2026-09-07',
      to: null,
      perWeek: capacity('first:urological')[0]!.perWeek + 12,
    });
    expect(capacity('test:mammogram')).toHaveLength(1);
    const urological = model.demand.find((d) => d.tumourSite === 'urological')!.referrals;
    expect(urological.map((r) => [r.from, r.to])).toEqual([
      ['2025-11-30', '2026-05-31'],
      ['2026-06-01', null],
    ]);
    expect(urological[1]!.perWeek / urological[0]!.perWeek).toBeCloseTo(1.2, 2);
    expect(model.calendar.bankHolidays).toContain('2026-08-31');
    expect(model.calendar.christmas.days).toContain('2025-12-24');
    // A week's referrals over every site: 5,500 a month.
    const week = model.demand.reduce(
      (s, d) => s + (d.tumourSite === 'urological' ? 0 : d.referrals[0]!.perWeek),
      urological[0]!.perWeek,
    );
    expect(week).toBeGreaterThan((5500 * 12) / 52.18);
    expect(week).toBeLessThan(((5500 * 12) / 52.18) * 1.05);
  });
});

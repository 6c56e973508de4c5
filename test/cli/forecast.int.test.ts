// `openptl forecast` run as a steward runs it, on a simulated history imported into a store: the
// JSON it prints, the same bytes for the same seed, and each bad option refused by name.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/simulate.ts';
import { tempDir } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'forecast', ...args], { encoding: 'utf8' });

describe('openptl forecast', () => {
  const dir = tempDir();
  const db = join(dir, 'ptl.db');
  const asOf = '2026-06-10';

  beforeAll(() => {
    const file = join(dir, 'history.ndjson');
    const lines = [...simulate({ referralsPerMonth: 250, months: 8, seed: 2, asOf: '2026-07-26' })];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = spawnSync(process.execPath, [bin, 'import', file, '--db', db], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  it('prints the weekly forecast as JSON, the same bytes for the same seed', () => {
    const a = run('--as-of', asOf, '--weeks', '4', '--runs', '30', '--seed', '3', '--db', db);
    expect(a.status).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(Object.keys(out)).toEqual(['asOf', 'weeks', 'runs', 'trajectory', 'bands']);
    // Widened by the model's own error in the backtest made twelve weeks before (docs/forecast.md).
    expect(out.bands).toMatchObject({ from: '2026-03-18', weeks: 12 });
    expect(out.trajectory).toHaveLength(4);
    expect(Object.keys(out.trajectory[0])).toEqual(['weekEnding', 'open', 'over62', 'over104', 'fds', 'd62']);
    expect(out.trajectory[0].weekEnding).toBe('2026-06-14');
    expect(run('--as-of', asOf, '--weeks', '4', '--runs', '30', '--seed', '3', '--db', db).stdout).toBe(a.stdout);
  });

  it('answers a target and a lever, and prints the resource table', () => {
    const resources = JSON.parse(run('--resources', '--as-of', asOf, '--db', db).stdout);
    expect(resources.asOf).toBe(asOf);
    expect(resources.resources.length).toBeGreaterThan(10);
    expect(resources.resources[0].plain).toMatch(/: \d+ a week needed, \d+ available$/);
    const name = resources.resources[0].resource;
    const r = run(
      '--as-of',
      asOf,
      '--weeks',
      '2',
      '--runs',
      '10',
      '--capacity',
      `${name}=+20%`,
      '--target',
      'over62<1000@2026-06-21',
      '--db',
      db,
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).target).toEqual({
      metric: 'over62',
      below: 1000,
      on: '2026-06-21',
      confidence: 0.8,
      probability: 1,
    });
  });

  it('backtests against what was recorded, with the two naive forecasts', () => {
    const r = run('--backtest', '--from', asOf, '--weeks', '4', '--runs', '20', '--db', db);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.summary)).toEqual(['mapeOver62', 'coverage80']);
    expect(Object.keys(out.naive)).toEqual(['stays', 'line']);
    expect(out.trajectory[0]).toMatchObject({ weekEnding: '2026-06-14', actual: expect.any(Number) });
  });

  it.each([
    [['--as-of', asOf], /^openptl: --weeks is required/],
    [['--as-of', asOf, '--weeks', '0'], /^openptl: --weeks: must be a whole number from 1 to 104 \(got 0\)/],
    [['--as-of', '2026-02-30', '--weeks', '4'], /^openptl: --as-of: must be a real calendar date/],
    [['--as-of', asOf, '--weeks', '4', '--runs', 'many'], /^openptl: --runs: must be a whole number/],
    [['--as-of', asOf, '--weeks', '4', '--site', 'kidney'], /^openptl: --site: "kidney" is not a tumour site/],
    [['--as-of', asOf, '--weeks', '4', '--provider', 'raj'], /^openptl: --provider: "raj" is not an ODS code/],
    [['--as-of', asOf, '--weeks', '4', '--capacity', 'mri=+20%'], /^openptl: --capacity: "mri" is not a resource/],
    [
      ['--as-of', asOf, '--weeks', '4', '--capacity', 'test:mri_brain=+20%@2026-01-01'],
      /^openptl: --capacity: 2026-01-01 is not after the as-of day/,
    ],
    [
      ['--as-of', asOf, '--weeks', '4', '--capacity', 'test:x_ray=+20%'],
      /^openptl: --capacity: no resource "test:x_ray" was used by 2026-06-10/,
    ],
    [
      ['--as-of', asOf, '--weeks', '4', '--demand', 'skin=+5/week'],
      /^openptl: --demand: a change in referrals is a percentage/,
    ],
    [
      ['--as-of', asOf, '--weeks', '4', '--target', 'over62<100'],
      /^openptl: --target: "over62<100" is not METRIC<N@YYYY-MM-DD/,
    ],
    [['--as-of', asOf, '--weeks', '4', '--solve', 'all'], /^openptl: --solve: needs --target/],
    [['--as-of', asOf, '--weeks', '4', '--confidence', '0.9'], /^openptl: --confidence: only with --target/],
    [['--as-of', asOf, '--weeks', '4', '--from', asOf], /^openptl: --from: only with --backtest/],
    [['--backtest', '--weeks', '4'], /^openptl: --from: a backtest needs the day/],
    [
      ['--backtest', '--from', asOf, '--weeks', '30'],
      /^openptl: --weeks: the backtest's last week-ending, 2027-01-03, is after the last day recorded \(2026-07-26\)/,
    ],
    [['--resources', '--weeks', '4'], /^openptl: --weeks: not used with --resources/],
    [['--as-of', asOf, '--weeks', '4', '--colour', 'red'], /^openptl: Unknown option '--colour'/],
  ])('refuses %j with a message naming the option, and a non-zero exit', (args, message) => {
    const r = run(...args, '--db', db);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});

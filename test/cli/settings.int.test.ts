// `openptl settings`: the trust's name, set once, on printed lists and the nightly report (#15).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('openptl settings', () => {
  const db = join(tempDir(), 'settings.db');

  it('sets the trust name and prints the settings; without options it only prints them', () => {
    expect(JSON.parse(run(['settings', '--db', db]).stdout)).toEqual({ trustName: null, forecastTarget: null });
    const set = run(['settings', '--trust-name', '  Mid and South Essex NHS Foundation Trust ', '--db', db]);
    expect([set.status, JSON.parse(set.stdout)]).toEqual([
      0,
      { trustName: 'Mid and South Essex NHS Foundation Trust', forecastTarget: null },
    ]);
    expect(JSON.parse(run(['settings', '--db', db]).stdout)).toEqual({
      trustName: 'Mid and South Essex NHS Foundation Trust',
      forecastTarget: null,
    });
  });

  it('refuses a name too short or an unknown option with exit 2, changing nothing', () => {
    for (const args of [
      ['--trust-name', 'x'],
      ['--trust', 'Somewhere'],
      ['--target', 'over62<100'],
      ['--target', 'over62<100@2020-01-01'],
    ]) {
      const r = run(['settings', ...args, '--db', db]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^openptl: /);
    }
    expect(JSON.parse(run(['settings', '--db', db]).stdout)).toEqual({
      trustName: 'Mid and South Essex NHS Foundation Trust',
      forecastTarget: null,
    });
  });

  it("sets the trust's backlog target (issue #23), and removes it with none", () => {
    const set = run(['settings', '--target', 'over62<100@2099-03-31', '--db', db]);
    expect([set.status, JSON.parse(set.stdout).forecastTarget]).toEqual([0, 'over62<100@2099-03-31']);
    expect(JSON.parse(run(['settings', '--target', 'none', '--db', db]).stdout).forecastTarget).toBeNull();
  });
});

// `openptl settings`: the trust's name, set once, on printed lists and the nightly report (#15);
// the patients a user may read in an hour before the Audit page flags it, and the days the PAS
// feed's messages for no open pathway are kept (issue #25).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('openptl settings', () => {
  const db = join(tempDir(), 'settings.db');

  it('sets the trust name and prints the settings; without options it only prints them', () => {
    const defaults = { forecastTarget: null, auditPatientsPerHour: 500, hl7KeepDays: 30 };
    expect(JSON.parse(run(['settings', '--db', db]).stdout)).toEqual({ trustName: null, ...defaults });
    const set = run(['settings', '--trust-name', '  Mid and South Essex NHS Foundation Trust ', '--db', db]);
    expect([set.status, JSON.parse(set.stdout)]).toEqual([
      0,
      { trustName: 'Mid and South Essex NHS Foundation Trust', ...defaults },
    ]);
    expect(JSON.parse(run(['settings', '--db', db]).stdout)).toEqual({
      trustName: 'Mid and South Essex NHS Foundation Trust',
      ...defaults,
    });
    const numbers = run(['settings', '--audit-patients-per-hour', '200', '--hl7-keep-days', '14', '--db', db]);
    expect(JSON.parse(numbers.stdout)).toMatchObject({ auditPatientsPerHour: 200, hl7KeepDays: 14 });
    run(['settings', '--audit-patients-per-hour', '500', '--hl7-keep-days', '30', '--db', db]);
  });

  it('refuses a name too short or an unknown option with exit 2, changing nothing', () => {
    for (const args of [
      ['--trust-name', 'x'],
      ['--trust', 'Somewhere'],
      ['--audit-patients-per-hour', '0'],
      ['--hl7-keep-days', 'thirty'],
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
      auditPatientsPerHour: 500,
      hl7KeepDays: 30,
    });
  });

  it("sets the trust's backlog target (issue #23), and removes it with none", () => {
    const set = run(['settings', '--target', 'over62<100@2099-03-31', '--db', db]);
    expect([set.status, JSON.parse(set.stdout).forecastTarget]).toEqual([0, 'over62<100@2099-03-31']);
    expect(JSON.parse(run(['settings', '--target', 'none', '--db', db]).stdout).forecastTarget).toBeNull();
  });
});

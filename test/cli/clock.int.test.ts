// `openptl clock` run as a user runs it: the real bin, stdin or a file, stdout, stderr, exit code.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import examples from '../fixtures/cwt-examples.json' with { type: 'json' };
import { tempDir } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });

const referral = {
  type: 'referral_received',
  on: '2026-01-05',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
};

describe('openptl clock', () => {
  it('answers the contract for a worked example on stdin and from a file', () => {
    const e = examples.find((x) => x.id === 'E9')!;
    const body = JSON.stringify({ asOf: e.asOf, events: e.events });
    const fromStdin = run(['clock'], body);
    expect(fromStdin.status).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toEqual({ stage: 'treated', ...e.expected });
    const file = join(tempDir(), 'e9.json');
    writeFileSync(file, body);
    expect(JSON.parse(run(['clock', file]).stdout)).toEqual(JSON.parse(fromStdin.stdout));
  });

  const refusals: [string, string, RegExp][] = [
    ['invalid JSON', '{"asOf":', /^openptl: invalid JSON/],
    [
      'a bad as-of date',
      JSON.stringify({ asOf: '2026-02-30', events: [referral] }),
      /^openptl: asOf: must be a real calendar date/,
    ],
    [
      'an unknown event type',
      JSON.stringify({ asOf: '2026-03-01', events: [referral, { type: 'seen', on: '2026-01-06' }] }),
      /^openptl: events\[1\]\.type: must be one of/,
    ],
    [
      'a bad date',
      JSON.stringify({ asOf: '2026-03-01', events: [referral, { type: 'first_seen', on: '2026-1-6' }] }),
      /^openptl: events\[1\]\.on: must be a real calendar date/,
    ],
    [
      'a bad NHS number',
      JSON.stringify({ asOf: '2026-03-01', events: [{ ...referral, nhsNumber: '9434765918' }] }),
      /^openptl: events\[0\]\.nhsNumber: is not a valid NHS number/,
    ],
    [
      'an unknown field',
      JSON.stringify({
        asOf: '2026-03-01',
        events: [referral, { type: 'first_seen', on: '2026-01-06', colour: 'red' }],
      }),
      /^openptl: events\[1\]\.colour: is not a field/,
    ],
    [
      'an event the machine does not allow',
      JSON.stringify({
        asOf: '2026-03-01',
        events: [referral, { type: 'treatment_started', on: '2026-01-06', modality: 'surgery' }],
      }),
      /^openptl: events\[1\]\.type: treatment_started is not allowed in stage awaiting_triage; allowed: .*decision_to_treat/,
    ],
    [
      'a missed first appointment dated off its booked day (R18)',
      JSON.stringify({
        asOf: '2026-03-01',
        events: [
          referral,
          { type: 'appointment_booked', on: '2026-01-06', appointmentOn: '2026-01-12', appointment: 'first' },
          { type: 'dna', on: '2026-01-13', appointment: 'first' },
        ],
      }),
      /^openptl: events\[2\]\.on: the missed appointment must be dated the day it was booked for \(12 Jan 2026\)$/m,
    ],
    [
      'an event after the as-of date',
      JSON.stringify({ asOf: '2026-01-05', events: [referral, { type: 'first_seen', on: '2026-01-06' }] }),
      /^openptl: events\[1\]\.on: 6 Jan 2026 is after the as-of date \(5 Jan 2026; today, when entered\)/,
    ],
  ];
  for (const [what, input, message] of refusals) {
    it(`exits 2 with one line on stderr and nothing on stdout for ${what}`, () => {
      const r = run(['clock'], input);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('9434765918');
    });
  }

  it('exits 2 for a file that cannot be read', () => {
    const r = run(['clock', '/nonexistent/file.json']);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('cannot read /nonexistent/file.json');
  });
});

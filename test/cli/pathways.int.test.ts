// `openptl pathways` (issue #26): the definitions as JSON, a trust's change to a milestone taking
// effect on the pathways open now (their row, the PTL, the pathway's page) and kept with who and
// when; refusals change nothing.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { ev, record } from '../support/national.ts';
import { pathwayNow, tempStore } from '../support/store.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('openptl pathways', () => {
  const { store, file, sql } = tempStore('2026-11-04T10:00:00Z');
  record(
    store,
    'P1',
    ev('referral_received', '2026-11-02', {
      route: 'urgent_suspected_cancer',
      tumourSite: 'urological',
      suspectedSite: 'prostate',
      nhsNumber: '9434765919',
    }),
    ev('triaged', '2026-11-03', { outcome: 'straight_to_test' }),
  );
  const row = () =>
    sql
      .prepare('SELECT milestone, milestone_due, next_action, next_action_due FROM pathways WHERE pathway_id = ?')
      .get('P1');
  const history = () =>
    run(['pathways', 'history', '--db', file])
      .stdout.trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  it('prints the definitions in force as JSON, prostate first', () => {
    const r = run(['pathways', '--db', file]);
    expect(r.status, r.stderr).toBe(0);
    const definitions = JSON.parse(r.stdout);
    expect(definitions[0]).toMatchObject({
      pathway: 'prostate',
      appliesTo: { tumourSite: 'urological', suspectedSite: 'prostate' },
    });
    for (const d of definitions)
      for (const m of d.milestones) {
        expect(typeof m.name).toBe('string');
        expect(Number.isInteger(m.day)).toBe(true);
        expect(typeof m.event).toBe('string');
        if (m.tests !== undefined) expect(m.event).toMatch(/^test_/);
      }
    expect(definitions[0].milestones[1]).toMatchObject({
      name: 'MRI of the prostate',
      day: 5,
      event: 'test_reported',
      tests: expect.arrayContaining(['mri_prostate']),
      confirmed: false,
    });
    expect(row()).toEqual({
      milestone: 'MRI of the prostate',
      milestone_due: '2026-11-07',
      next_action: 'MRI of the prostate',
      next_action_due: '2026-11-07',
    });
  });

  it("takes a trust's change to a milestone on every open pathway, and keeps who made it and when", () => {
    const r = run(['pathways', 'set', 'prostate', 'MRI of the prostate', '--day', '7', '--db', file]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pathwaysRecomputed).toBe(1);
    expect(out.milestones[1]).toMatchObject({
      name: 'MRI of the prostate',
      day: 7,
      event: 'test_reported',
      changed: { by: `cli:${userInfo().username}` },
    });
    expect(row()).toEqual({
      milestone: 'MRI of the prostate',
      milestone_due: '2026-11-09',
      next_action: 'MRI of the prostate',
      next_action_due: '2026-11-09',
    });
    // The server's store reads the change too (another connection wrote it).
    expect(pathwayNow(store, 'P1')!.nextMilestone).toMatchObject({ name: 'MRI of the prostate', dueOn: '2026-11-09' });
    const [change] = history();
    expect(change).toMatchObject({
      pathway: 'prostate',
      name: 'MRI of the prostate',
      action: 'set',
      before: { day: 5 },
      after: { day: 7 },
      changedBy: `cli:${userInfo().username}`,
    });
    expect(Date.parse(change.changedAt)).not.toBeNaN();
  });

  it('adds a milestone, takes one out, and resets one to the day OpenPTL ships', () => {
    const add = run([
      'pathways',
      'set',
      'prostate',
      'Results clinic',
      '--day',
      '21',
      '--event',
      'first_seen',
      '--db',
      file,
    ]);
    expect(add.status, add.stderr).toBe(0);
    const names = (r: ReturnType<typeof run>) => JSON.parse(r.stdout).milestones.map((m: { name: string }) => m.name);
    expect(names(add)).toEqual(['Triage', 'MRI of the prostate', 'Biopsy', 'Results clinic', 'Communicate diagnosis']);
    const removed = run(['pathways', 'remove', 'prostate', 'Biopsy', '--db', file]);
    expect(names(removed)).toEqual(['Triage', 'MRI of the prostate', 'Results clinic', 'Communicate diagnosis']);
    expect(run(['pathways', 'reset', 'prostate', 'Biopsy', '--db', file]).status).toBe(0);
    expect(run(['pathways', 'reset', 'prostate', 'Results clinic', '--db', file]).status).toBe(0);
    const reset = run(['pathways', 'reset', 'prostate', 'MRI of the prostate', '--db', file]);
    expect(JSON.parse(reset.stdout).milestones.map((m: { name: string; day: number }) => [m.name, m.day])).toEqual([
      ['Triage', 3],
      ['MRI of the prostate', 5],
      ['Biopsy', 12],
      ['Communicate diagnosis', 28],
    ]);
    expect(row()).toMatchObject({ milestone_due: '2026-11-07' });
    expect(history().map((c) => c.action)).toEqual(['set', 'set', 'remove', 'reset', 'reset', 'reset']);
  });

  it('refuses what it cannot do, naming the problem, and changes nothing', () => {
    const before = history().length;
    for (const [args, message] of [
      [['set', 'kidney', 'Triage', '--day', '3'], /kidney is not a timed pathway/],
      [['set', 'prostate', 'MRI of the prostate', '--day', 'soon'], /--day/],
      [['set', 'prostate', 'MRI of the prostate', '--day', '400'], /from 0 to 365/],
      [['set', 'prostate', 'New step', '--day', '9'], /needs the event/],
      [['set', 'prostate', 'New step', '--day', '9', '--event', 'dna'], /cannot meet a milestone/],
      [['set', 'prostate', 'Triage', '--day', '2', '--tests', 'mri'], /only a test's request or report/],
      [['remove', 'prostate', 'Histology'], /has no milestone "Histology"/],
      [['reset', 'prostate', 'Triage'], /has not changed/],
      [['frobnicate'], /unknown pathways action/],
    ] as const) {
      const r = run(['pathways', ...args, '--db', file]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(history()).toHaveLength(before);
    expect(row()).toMatchObject({ milestone_due: '2026-11-07' });
  });
});

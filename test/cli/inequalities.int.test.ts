// Issue #27 from the command line: `openptl lookup load|show imd` and `openptl inequalities`: the
// decile derived when read (a new lookup moves pathways without an event), the "as at" rule, a
// bad file refused whole, and the viewers' copy with --suppress.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, tempStore } from '../support/store.ts';
import { inequalitiesOf } from '../../src/queries/inequalities.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

const referral = (on: string, postcode: string, extra: object = {}) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
  postcode,
  ...extra,
});

/** Ten pathways in CM1 1AA and ten in SS9 9ZZ, referred 2026-09-01 (over 62 days by 2026-11-24), and one more recorded later. */
function setup() {
  const t = tempStore('2026-11-24T10:00:00Z');
  for (let i = 0; i < 10; i++) {
    t.commands.append(`A${i}`, 0, referral('2026-09-01', 'cm1 1aa'), { actor: 'test' });
    t.commands.append(`B${i}`, 0, referral('2026-11-01', 'SS9 9ZZ'), { actor: 'test' });
  }
  t.clock.set('2026-11-25T10:00:00Z'); // recorded the day after the as-of date
  t.commands.append('LATE', 0, referral('2026-11-20', 'CM1 1AA'), { actor: 'test' });
  const dir = tempDir();
  const csv = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  return { ...t, csv };
}

const groups = (out: string) =>
  Object.fromEntries(
    (JSON.parse(out) as { groups: { group: string; open: number | null; over62: number | null }[] }).groups.map((g) => [
      g.group,
      [g.open, g.over62],
    ]),
  );

describe('openptl lookup and openptl inequalities', () => {
  it('loads the lookup, shows it, splits by quintile as at the end of the as-of day; a new lookup moves pathways with no new event', () => {
    const t = setup();
    const db = t.file;
    expect(JSON.parse(run(['lookup', 'show', 'imd', '--db', db]).stdout)).toMatchObject({
      lookup: 'imd',
      postcodes: 0,
    });
    const first = t.csv(
      'imd.csv',
      '\uFEFFPostcode,LSOA,IMD_Decile\r\n"CM1 1AA",E01,2\r\nss99zz,E02,10\r\nEH1 1AA,S01,\r\n',
    );
    const load = run(['lookup', 'load', 'imd', first, '--db', db]);
    expect([load.status, JSON.parse(load.stdout)]).toEqual([
      0,
      { lookup: 'imd', postcodes: 2, skipped: 1, file: 'imd.csv' },
    ]);
    expect(JSON.parse(run(['lookup', 'show', 'imd', '--db', db]).stdout)).toMatchObject({
      postcodes: 2,
      file: 'imd.csv',
    });

    const split = run(['inequalities', '--by', 'deprivation', '--as-of', '2026-11-24', '--db', db]);
    expect(split.status, split.stderr).toBe(0);
    const parsed = JSON.parse(split.stdout);
    expect(parsed).toMatchObject({ by: 'deprivation', asOf: '2026-11-24', reference: '5' });
    // The pathway recorded on the 25th is not counted as at the 24th.
    expect(groups(split.stdout)).toMatchObject({ '1': [10, 10], '5': [10, 0], not_known: [0, 0] });
    expect(split.stdout).not.toContain('CM1');

    const events = t.sql.prepare('SELECT count(*) FROM events').pluck().get();
    const second = t.csv('imd2.csv', 'postcode,imd_decile\nCM1 1AA,6\n');
    expect(run(['lookup', 'load', 'imd', second, '--db', db]).status).toBe(0);
    const after = run(['inequalities', '--by', 'deprivation', '--as-of', '2026-11-24', '--db', db]);
    expect(groups(after.stdout)).toMatchObject({ '1': [0, 0], '3': [10, 10], '5': [0, 0], not_known: [10, 0] });
    expect(t.sql.prepare('SELECT count(*) FROM events').pluck().get()).toBe(events);
    // The day after, the late pathway counts.
    expect(inequalitiesOf(t.store, { by: 'deprivation', asOf: '2026-11-25' }).groups[2]!.open).toBe(11);
  });

  it('with --suppress, counts from 1 to 7 are hidden and cannot be worked back', () => {
    const t = setup();
    t.commands.append('C1', 0, referral('2026-11-02', 'CM2 2BB', { sex: '9' }), { actor: 'test' });
    const r = run(['inequalities', '--by', 'sex', '--as-of', '2026-11-26', '--suppress', '--db', t.file]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.suppressed).toBe(true);
    expect(groups(r.stdout)).toMatchObject({ '1': [0, 0], '2': [0, 0], '9': [null, 0], not_known: [null, 10] });
    expect(out.total.open).toBe(22);
  });

  it('refuses a bad file whole, naming the line and column, and keeps the lookup it had', () => {
    const t = setup();
    const good = t.csv('good.csv', 'postcode,imd_decile\nCM1 1AA,1\n');
    expect(run(['lookup', 'load', 'imd', good, '--db', t.file]).status).toBe(0);
    for (const [text, message] of [
      ['postcode,imd_decile\nCM1 1AA,3\nNOT A POSTCODE,4\n', /line 3: postcode: not a UK postcode/],
      [
        'postcode,imd_decile\nCM1 1AA,11\n',
        /line 2: imd_decile: must be a whole number from 1 \(most deprived\) to 10/,
      ],
      ['postcode,imd_decile\nCM1 1AA,3\ncm11aa,4\n', /line 3: postcode: given twice with different deciles/],
      ['pcd,decile\nCM1 1AA,3\n', /line 1: the header must name the columns postcode and imd_decile/],
    ] as const) {
      const r = run(['lookup', 'load', 'imd', t.csv('bad.csv', text), '--db', t.file]);
      expect(r.status, text).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(t.store.imd.decileOf('CM1 1AA')).toBe(1);
    expect(t.store.imd.source()).toMatchObject({ postcodes: 1, file: 'good.csv' });
    const usage = run(['inequalities', '--by', 'postcode', '--as-of', '2026-11-24', '--db', t.file]);
    expect([usage.status, usage.stderr]).toEqual([
      2,
      expect.stringMatching(/^openptl: --by: must be one of deprivation, age, sex, ethnicity/),
    ]);
  });
});

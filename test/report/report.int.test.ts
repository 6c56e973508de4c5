// The nightly breach report: a hand-built history checked by hand, totals that add up,
// byte-for-byte reproducibility, and refusals that write nothing.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, type Report } from '../../src/report/report.ts';
import { writeReport } from '../../src/report/write.ts';
import { jsonPieces, renderHtml } from '../../src/report/render.ts';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';
import fc from 'fast-check';
import { backlogByReplay, generatedLines, tempDir, tempStore, requestsOf } from '../support/store.ts';
import type { Store } from '../../src/store/store.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';
import { runThrough } from '../../src/slices.ts';
import { timedPathwaySlices } from '../../src/queries/timed-pathways.ts';
import { inequalitiesOf } from '../../src/queries/inequalities.ts';

const bin = join(import.meta.dirname, '../../bin/openptl.js');
const NHS = '9434765919';

/** Appends events each recorded at noon on its clinical date. */
function record(store: Store, pathwayId: string, ...events: Record<string, unknown>[]) {
  for (const event of events) {
    const r = new PathwayCommands(store).appendMany([
      { pathwayId, event, actor: 't', recordedAt: `${event.on as IsoDate}T12:00:00.000Z` },
    ]);
    if (r[0] !== 'written') throw new Error(`not written: ${String(r[0])}`);
  }
}
const referral = (on: string, tumourSite: string, provider: string) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite,
  nhsNumber: NHS,
  provider,
  patientName: `Patient ${tumourSite}`,
});

function handBuilt() {
  const { store, clock, file } = tempStore('2026-03-10T09:00:00Z');
  record(store, 'A', referral('2026-01-05', 'lung', 'RAJ'), { type: 'first_seen', on: '2026-01-05' });
  record(store, 'B', referral('2026-01-10', 'skin', 'RAJ'));
  record(store, 'C', referral('2026-01-16', 'breast', 'RQ8'));
  record(
    store,
    'D',
    referral('2025-11-01', 'lower_gi', 'RAJ'),
    { type: 'decision_to_treat', on: '2026-01-20' },
    { type: 'treatment_started', on: '2026-02-10', modality: 'surgery' },
  );
  record(store, 'E', referral('2026-02-02', 'urological', 'RAJ'), {
    type: 'diagnosis_communicated',
    on: '2026-02-20',
    outcome: 'cancer_ruled_out',
  });
  record(
    store,
    'F',
    referral('2025-10-01', 'head_and_neck', 'RAJ'),
    { type: 'transferred', on: '2025-11-20', toProvider: 'RGT' },
    { type: 'decision_to_treat', on: '2025-12-01' },
    { type: 'treatment_started', on: '2026-03-05', modality: 'surgery' },
  );
  return { store, clock, file };
}

describe('breach report worked example (counted by hand)', () => {
  const { store } = handBuilt();
  const report = buildReport(store, '2026-03-09');

  it('counts the backlog by tumour site and provider, with the change on the day and the week', () => {
    expect(report.backlog).toMatchObject({ open: 3, over62: 1, over104: 0 });
    expect(report.backlog.byTumourSite).toEqual({
      breast: { open: 1, over62: 0, over104: 0 },
      lung: { open: 1, over62: 1, over104: 0 },
      skin: { open: 1, over62: 0, over104: 0 },
    });
    expect(report.backlog.byProvider).toEqual({
      RAJ: { open: 2, over62: 1, over104: 0 },
      RQ8: { open: 1, over62: 0, over104: 0 },
    });
    // A reaches day 63 today; a week ago F was still waiting (treated on 5 March).
    expect(report.backlog.change).toEqual({
      dayBefore: { open: 0, over62: 1, over104: 0 },
      weekBefore: { open: -1, over62: 0, over104: -1 },
    });
  });

  it('lists new breaches and those due to breach within 7 and 14 days', () => {
    expect(report.newBreaches.map((p) => [p.pathwayId, p.daysWaiting, p.breachDate])).toEqual([
      ['A', 63, '2026-03-09'],
    ]);
    expect(report.breachingWithin7Days.map((p) => [p.pathwayId, p.breachDate])).toEqual([['B', '2026-03-14']]);
    expect(report.breachingWithin14Days.map((p) => p.pathwayId)).toEqual(['B', 'C']);
    expect(report.breachingWithin7Days[0]).toMatchObject({
      nextAction: 'triage',
      nextActionDue: '2026-01-13',
      stage: 'awaiting_triage',
    });
  });

  it('measures the standards on clocks stopped in the period', () => {
    const mtd = report.performance.monthToDate.standards;
    // F, referred at RAJ and treated at RGT, breached with both parts late: half the patient and half
    // the breach are RAJ's (the trust's own), half RGT's (issue #24: national processing's halves).
    expect([mtd.d62.all, mtd.d31.all, mtd.fds.all]).toEqual([
      { stopped: 0.5, met: 0, rate: 0 },
      { stopped: 1, met: 0, rate: 0 },
      undefined,
    ]);
    expect(report.performance.monthToDate.d62ByProvider).toEqual({
      RAJ: { stopped: 0.5, met: 0, rate: 0 },
      RGT: { stopped: 0.5, met: 0, rate: 0 },
    });
    const feb = report.performance.lastMonth.standards;
    expect(report.performance.lastMonth.period).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect([feb.fds.all, feb.d31.all, feb.d62.all]).toEqual([
      { stopped: 1, met: 1, rate: 1 },
      { stopped: 1, met: 1, rate: 1 },
      { stopped: 1, met: 0, rate: 0 },
    ]);
    expect(feb.d62.lower_gi).toEqual({ stopped: 1, met: 0, rate: 0 });
  });

  it('lists breached stops for review, allocating a transferred 62-day breach between providers', () => {
    expect(report.breachedStops.monthToDate.map((s) => [s.pathwayId, s.clock, s.days])).toEqual([
      ['F', 'd31', 94],
      ['F', 'd62', 155],
    ]);
    expect(report.breachedStops.monthToDate[1]!.allocation).toMatchObject({
      rule: 'scenario',
      scenario: 6,
      treating: 'RGT',
      accountable: 'RAJ',
      shares: [
        { provider: 'RAJ', breaches: 0.5, patients: 0.5 },
        { provider: 'RGT', breaches: 0.5, patients: 0.5 },
      ],
    });
    expect(report.breachedStops.lastMonth.map((s) => [s.pathwayId, s.clock, s.days, s.allocation?.rule])).toEqual([
      ['D', 'd62', 101, 'no_transfer'],
    ]);
  });

  it('says where the days go: the timed pathways of the milestones due in the 4 weeks before (issue #26)', () => {
    const t = report.timedPathways;
    expect([t.weeks, t.from, t.to]).toEqual([4, '2026-02-09', '2026-03-08']);
    // A (lung, seen on the day of referral) waits for treatment, due by day 49 (23 February), but
    // has not been told (due 2 February, before the period): late, not in the step's days, since
    // it has not reached it. C (breast) has not been told, due 13 February, nor seen (due 30
    // January): late, not reached either. E (urological, the default) was told on 20 February,
    // day 18 of 28. B's milestones fell due before the period; D and F closed untold, so theirs
    // are left out.
    expect(t.pathways.filter((p) => p.patients > 0).map((p) => [p.pathway, p.patients, p.slowestStep])).toEqual([
      ['lung', 1, null],
      ['breast', 1, null],
      ['default', 1, null],
    ]);
    const lung = t.pathways.find((p) => p.pathway === 'lung')!;
    expect(lung.steps.find((s) => s.name === 'First definitive treatment')).toMatchObject({
      due: 1,
      late: 1,
      measured: 0,
      metShare: 0,
      medianDays: null,
    });
    expect(t.pathways.find((p) => p.pathway === 'default')!.steps[2]).toMatchObject({
      name: 'Communicate diagnosis',
      due: 1,
      met: 1,
      medianDays: 18,
      daysBeyond: 0,
    });
    const html = renderHtml(report);
    expect(html).toContain('<h2>Where the days go: timed pathways, 9 Feb 2026 to 8 Mar 2026</h2>');
    expect(html).toMatch(
      /<tr><td>Breast \(one-stop triple assessment\)<\/td><td class="n">1<\/td><td>Communicate diagnosis 0(\.0)?%<\/td><td>No step beyond its days<\/td><\/tr>/,
    );
  });

  it('draws a 90-day trend ending on the report date', () => {
    expect(report.trend).toHaveLength(90);
    expect(report.trend.at(-1)).toEqual({ date: '2026-03-09', open: 3, over62: 1, over104: 0 });
  });
});

function totalsAddUp(report: Report) {
  const sum = (rows: Record<string, { open: number; over62: number; over104: number }>) =>
    Object.values(rows).reduce(
      (a, c) => ({ open: a.open + c.open, over62: a.over62 + c.over62, over104: a.over104 + c.over104 }),
      { open: 0, over62: 0, over104: 0 },
    );
  const { open, over62, over104 } = report.backlog;
  expect(sum(report.backlog.byTumourSite)).toEqual({ open, over62, over104 });
  expect(sum(report.backlog.byProvider)).toEqual({ open, over62, over104 });
  for (const perf of [report.performance.monthToDate, report.performance.lastMonth]) {
    for (const bySite of Object.values(perf.standards)) {
      const { all, ...sites } = bySite;
      const stopped = Object.values(sites).reduce((n, c) => n + c.stopped, 0);
      const met = Object.values(sites).reduce((n, c) => n + c.met, 0);
      expect(all ? [all.stopped, all.met] : [0, 0]).toEqual([stopped, met]);
    }
    // Every breached stop is a stopped clock that did not meet its target. A 62-day breach after a
    // transfer is shared between providers (#24): the trust counts only its own providers' share.
    const stops =
      perf === report.performance.monthToDate ? report.breachedStops.monthToDate : report.breachedStops.lastMonth;
    const missed = (name: 'fds' | 'd31' | 'd62') => {
      const all = perf.standards[name].all;
      return all ? all.stopped - all.met : 0;
    };
    const listed = (name: string) => stops.filter((s) => s.clock === name);
    expect(missed('fds')).toBe(listed('fds').length);
    expect(missed('d31')).toBe(listed('d31').length);
    expect(missed('d62')).toBeLessThanOrEqual(listed('d62').length);
    const untransferred = listed('d62').filter((s) => !s.allocation || s.allocation.rule === 'no_transfer');
    expect(missed('d62')).toBeGreaterThanOrEqual(untransferred.length);
  }
  expect(report.trend.at(-1)).toEqual({ date: report.asOf, open, over62, over104 });
}

const NOW = '2027-06-01T09:00:00.000Z';

describe('report totals', () => {
  it('equal the sum of their rows, for any generated history and date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 800 }), (seed, day) => {
        const { store, commands } = tempStore('2027-06-01T09:00:00Z');
        commands.appendMany(requestsOf(generatedLines(150, seed), 'import'));
        // A milestone due a year on: the timed pathways then read from further back than the split.
        if (seed % 2) store.timed.set('default', 'Seen a year on', { day: 365, event: 'first_seen' }, 't', NOW);
        const asOf = addDays('2024-02-01', day);
        const report = buildReport(store, asOf);
        totalsAddUp(report);
        // One pass serves all: the same figures as the timed pathways' and the split's own reads.
        const { weeks, from, to, pathways } = runThrough(timedPathwaySlices(store, asOf)).periods[4];
        expect(report.timedPathways).toEqual({ weeks, from, to, pathways });
        expect(report.inequalities).toEqual(inequalitiesOf(store, { by: 'deprivation', asOf, suppress: true }));
        // The JSON file is written piece by piece: the same bytes as JSON.stringify at once.
        expect([...jsonPieces(report)].join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
        store.close();
      }),
      { numRuns: 8, examples: [[16, 41]] }, // a 62-day breach shared after a transfer
    );
  });

  it('trend days equal the as-at backlog of each day', () => {
    const { store, commands } = tempStore('2027-06-01T09:00:00Z');
    commands.appendMany(requestsOf(generatedLines(300, 4), 'import'));
    const trend = store.backlog.trendNow('2025-03-01', '2025-05-29', '2027-06-01');
    for (const point of trend.filter((_, i) => i % 9 === 0)) {
      const c = backlogByReplay(store, point.date);
      expect(point).toEqual({ date: point.date, open: c.open, over62: c.over62, over104: c.over104 });
    }
  });
});

describe('reproducibility', () => {
  it('gives the same bytes twice, and a report for yesterday is unchanged by what is recorded today', () => {
    const { store } = handBuilt();
    const first = tempDir();
    const second = tempDir();
    writeReport(store, '2026-03-09', first);
    // Today (10 March) a tracker records a treatment back-dated to yesterday, and a new referral.
    const today = '2026-03-10T10:00:00.000Z';
    expect(
      new PathwayCommands(store).appendMany([
        { pathwayId: 'B', event: { type: 'decision_to_treat', on: '2026-03-09' }, actor: 't', recordedAt: today },
        { pathwayId: 'G', event: referral('2026-03-10', 'lung', 'RAJ'), actor: 't', recordedAt: today },
      ]),
    ).toEqual(['written', 'written']);
    writeReport(store, '2026-03-09', second);
    for (const name of readdirSync(first))
      expect(readFileSync(join(second, name), 'utf8'), name).toBe(readFileSync(join(first, name), 'utf8'));
    expect(readdirSync(first).sort()).toEqual([
      'report-2026-03-09.csv',
      'report-2026-03-09.html',
      'report-2026-03-09.json',
    ]);
  });
});

describe('a page per provider', () => {
  it('when the lists are too long for one page: the trust page links to each, and each lists only its own patients', () => {
    const { store } = handBuilt();
    const out = tempDir();
    writeReport(store, '2026-03-09', out, 2);
    expect(readdirSync(out).sort()).toEqual([
      'report-2026-03-09-RAJ.html',
      'report-2026-03-09-RGT.html',
      'report-2026-03-09-RQ8.html',
      'report-2026-03-09.csv',
      'report-2026-03-09.html',
      'report-2026-03-09.json',
    ]);
    const trust = readFileSync(join(out, 'report-2026-03-09.html'), 'utf8');
    expect(trust).toContain('href="report-2026-03-09-RQ8.html"');
    expect(trust).not.toContain('<td>C</td>'); // the patients are on the provider pages
    const rq8 = readFileSync(join(out, 'report-2026-03-09-RQ8.html'), 'utf8');
    expect(rq8).toContain('<td>C</td>');
    expect(rq8).not.toMatch(/<td>[ABDF]<\/td>/);
    const raj = readFileSync(join(out, 'report-2026-03-09-RAJ.html'), 'utf8');
    expect(raj).toMatch(/<td>A<\/td>/);
    expect(raj).toMatch(/Open pathways<b>2<\/b>/);
  });
});

describe('openptl report', () => {
  const { file } = handBuilt();
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'report', ...args], { encoding: 'utf8' });

  it('writes the three files', () => {
    const out = tempDir();
    const r = run('--as-of', '2026-03-09', '--out', out, '--db', file);
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'report-2026-03-09.csv',
      'report-2026-03-09.html',
      'report-2026-03-09.json',
    ]);
    const csv = readFileSync(join(out, 'report-2026-03-09.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'list,pathway_id,nhs_number,patient_name,tumour_site,provider,stage,clock,days,breach_date,stop,next_action,next_action_due,breach_allocated_to,treated_by,accountable_provider,allocation',
    );
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual([
      'new_breach A',
      'breaching_within_7_days B',
      'breaching_in_8_to_14_days C',
      'breached_stop_month_to_date F',
      'breached_stop_month_to_date F',
      'breached_stop_last_month D',
    ]);
    // The allocation's arithmetic: who treated, who was accountable, the two parts and the scenario.
    expect(csv.find((l) => l.startsWith('breached_stop_month_to_date,F') && l.includes(',d62,'))).toMatch(
      /,RAJ:0\.5 RGT:0\.5,RGT,RAJ,"received on day 50 \(after day 38\), treated 105 adjusted days later \(over 24\): scenario 6, breach to RAJ \(half\) and RGT \(half\)"$/,
    );
    const html = readFileSync(join(out, 'report-2026-03-09.html'), 'utf8');
    expect(html).toContain('<th>Accountable investigating provider</th>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="http/); // self-contained
  });

  it('refuses a bad or future date, an unwritable directory and a missing database, writing nothing', () => {
    const out = tempDir();
    const locked = join(tempDir(), 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const cases = [
      ['--as-of', '2026-02-30', '--out', out, '--db', file],
      ['--as-of', '2099-01-01', '--out', out, '--db', file],
      ['--as-of', '2026-03-09', '--out', join(out, 'missing'), '--db', join(out, 'none.db')],
      ['--as-of', '2026-03-09', '--out', out, '--db', join(out, 'none.db')],
    ];
    if (process.getuid?.() !== 0) cases.push(['--as-of', '2026-03-09', '--out', locked, '--db', file]); // root may write anywhere
    for (const args of cases) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^openptl: /);
    }
    expect(readdirSync(out).filter((f) => f !== 'missing')).toEqual([]);
  });

  it('makes the folder when it does not exist yet, as the example in docs/report.md does', () => {
    const out = join(tempDir(), 'reports', 'nightly');
    const r = run('--as-of', '2026-03-09', '--out', out, '--db', file);
    expect(r.stderr).toBe('');
    expect(readdirSync(out).sort()).toEqual([
      'report-2026-03-09.csv',
      'report-2026-03-09.html',
      'report-2026-03-09.json',
    ]);
  });
});

describe('the report as people read it (workspace #15)', () => {
  const { store } = handBuilt();
  store.settings.set('trustName', 'Mid and South Essex NHS Foundation Trust');
  const out = tempDir();
  writeReport(store, '2026-03-09', out);
  const html = readFileSync(join(out, 'report-2026-03-09.html'), 'utf8');
  const csv = readFileSync(join(out, 'report-2026-03-09.csv'), 'utf8');

  it("carries the trust's name, page numbers and the OFFICIAL-SENSITIVE marking on every printed page", () => {
    expect(html).toContain('<p class="trust">Mid and South Essex NHS Foundation Trust</p>');
    expect(html).toMatch(/@top-left \{ content: "Mid and South Essex NHS Foundation Trust"/);
    expect(html).toMatch(/@bottom-right \{ content: "Page " counter\(page\) " of " counter\(pages\)/);
    expect(html).toMatch(/@top-right \{ content: "OFFICIAL-SENSITIVE"/);
    expect(html.match(/<p class="marking">OFFICIAL-SENSITIVE<\/p>/g)).toHaveLength(2);
  });
  it('uses words and UK dates, not codes, and names the patients it lists', () => {
    expect(html).toContain('Cancer PTL breach report, 9 Mar 2026');
    expect(html).toContain('<td>Head and neck</td>');
    expect(html).toContain('<td>Awaiting triage</td>');
    expect(html).not.toMatch(/>(lower_gi|head_and_neck|awaiting_triage|under_investigation)</);
    expect(html).toMatch(/<td>A<\/td><td>Patient lung<\/td><td class="nw">943 476 5919<\/td>/);
    expect(csv).toContain('new_breach,A,9434765919,Patient lung,lung');
  });
  it('lists the 7-day patients once: not again among those breaching in 8 to 14 days', () => {
    const sections = html.split('<h2>');
    const within7 = sections.find((x) => x.startsWith('Will breach within 7 days'))!;
    const within14 = sections.find((x) => x.startsWith('Will breach in 8 to 14 days'))!;
    expect(within7).toContain('<td>B</td>');
    expect(within14).not.toContain('<td>B</td>');
    expect(within14).toContain('<td>C</td>');
    expect(csv.split('\n').filter((l) => l.split(',')[1] === 'B')).toHaveLength(1);
  });
  it('keeps a cell a spreadsheet would run as a formula as text', async () => {
    const { csvCell } = await import('../../src/csv.ts');
    expect([csvCell('=HYPERLINK("x")'), csvCell('+44'), csvCell('-1'), csvCell(-1), csvCell('a,b')]).toEqual([
      `"'=HYPERLINK(""x"")"`,
      "'+44",
      "'-1",
      '-1',
      '"a,b"',
    ]);
  });
});

describe('who waits longest in the report (issue #27)', () => {
  it('splits by deprivation quintile, suppressed (no count from 1 to 7), with no postcode, in the JSON and the page', () => {
    const { store } = tempStore('2026-03-10T09:00:00Z');
    for (let i = 0; i < 9; i++)
      record(store, `Q1-${i}`, { ...referral('2026-01-05', 'lung', 'RAJ'), postcode: 'CM1 1AA' });
    for (let i = 0; i < 3; i++)
      record(store, `Q5-${i}`, { ...referral('2026-01-05', 'lung', 'RAJ'), postcode: 'SS9 9ZZ' });
    store.imd.replace(
      new Map([
        ['CM1 1AA', 1],
        ['SS9 9ZZ', 10],
      ]),
      { file: 'imd.csv', loadedAt: '2026-03-01T00:00:00Z', loadedBy: 'test' },
    );
    const report = buildReport(store, '2026-03-09');
    expect(report.inequalities).toMatchObject({ by: 'deprivation', suppressed: true, reference: '5' });
    const open = Object.fromEntries(report.inequalities.groups.map((g) => [g.group, g.open]));
    expect(open).toEqual({ '1': null, '2': 0, '3': 0, '4': 0, '5': null, not_known: 0 }); // 3 hidden, 9 with it
    expect(report.inequalities.total.open).toBe(12);
    const json = [...jsonPieces(report)].join('');
    expect(json).not.toMatch(/CM1|SS9/);
    const page = renderHtml(report);
    expect(page).toContain('Who waits longest: by deprivation');
    expect(page).toMatch(/Quintile 1 \(most deprived, Core20\)<\/td><td class="n">\*<\/td>/);
  });
});

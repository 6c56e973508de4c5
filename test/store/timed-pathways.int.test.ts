// Timed pathways in the store (issue #26): the PTL's milestone filter agrees with each pathway's
// page on every day, the FIT shares and review list count right, and a database projected before
// timed pathways gets its milestones when it opens.
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';
import { openDb } from '../../src/store/db.ts';
import { openStore } from '../../src/pathways/open.ts';
import { PROJECTION_VERSION } from '../../src/store/pathway-row.ts';
import { fitSlices } from '../../src/queries/timed-pathways.ts';
import { pathwayView } from '../../src/queries/pathway-view.ts';
import { runThrough } from '../../src/slices.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { ev, nhsNumber, record } from '../support/national.ts';
import { requestsOf, rowsMatchReplay, tempStore } from '../support/store.ts';

describe("the PTL's milestone column and filter", () => {
  const { store, commands, sql } = tempStore('2026-11-30T10:00:00Z');
  commands.appendMany(requestsOf(simulate({ referralsPerMonth: 150, months: 3, seed: 5, asOf: '2026-11-27' })));

  it('keeps rows that equal a replay of their events', () => {
    expect(rowsMatchReplay(store, sql).mismatches).toEqual([]);
  });

  it.each(['2026-11-27', '2026-11-28', '2026-11-30'] as IsoDate[])(
    'lists as late or at risk on %s exactly the pathways whose next milestone is, as their page says',
    (asOf) => {
      const all = [...store.ptl.pages({}, asOf)].flat();
      const byStatus = (status: string) =>
        all
          .filter((e) => pathwayView(store, e.pathwayId, asOf)!.nextMilestone?.status === status)
          .map((e) => e.pathwayId)
          .sort();
      const filtered = (milestone: 'late' | 'at_risk') =>
        [...store.ptl.pages({ milestone }, asOf)]
          .flat()
          .map((e) => e.pathwayId)
          .sort();
      expect(filtered('late')).toEqual(byStatus('late'));
      expect(filtered('at_risk')).toEqual(byStatus('at_risk'));
      expect(byStatus('late').length).toBeGreaterThan(0);
      expect(byStatus('at_risk').length).toBeGreaterThan(0);
      // The column says the same as the page.
      for (const e of all.slice(0, 200))
        expect(e.milestone?.status ?? null, e.pathwayId).toBe(
          pathwayView(store, e.pathwayId, asOf)!.nextMilestone?.status ?? null,
        );
    },
  );

  it('sorts on the next milestone due, keyset-paginated', () => {
    const asOf: IsoDate = '2026-11-30';
    const pages = [...store.ptl.pages({ sort: 'milestoneDue' }, asOf)].flat();
    const dues = pages.map((e) => e.milestone?.dueOn ?? '~');
    expect(dues).toEqual([...dues].sort());
  });
});

describe('FIT for lower GI referrals', () => {
  const { store } = tempStore('2026-11-24T18:00:00Z');
  const lowerGi = (i: number, on: IsoDate, extra: Record<string, unknown> = {}, route = 'urgent_suspected_cancer') =>
    ev('referral_received', on, { route, tumourSite: 'lower_gi', nhsNumber: nhsNumber(i), ...extra });
  record(
    store,
    'L1',
    lowerGi(1, '2026-11-16', { fitResult: 25, fitTestedOn: '2026-11-10' }),
    ev('triaged', '2026-11-17', { outcome: 'straight_to_test' }),
  );
  record(store, 'L2', lowerGi(2, '2026-11-17', { fitResult: 4 }));
  record(store, 'L3', lowerGi(3, '2026-11-18', { fitNotDoneReason: 'Sample not returned' }));
  record(store, 'L4', lowerGi(4, '2026-11-19'), ev('triaged', '2026-11-20', { outcome: 'outpatient' }));
  record(store, 'L5', lowerGi(5, '2026-11-23', { fitResult: 10 }));
  // Not counted: bowel screening (its FIT has another threshold), another site, a week before.
  record(store, 'S1', lowerGi(6, '2026-11-18', { screeningProgramme: 'bowel' }, 'screening'));
  record(
    store,
    'U1',
    ev('referral_received', '2026-11-18', {
      route: 'urgent_suspected_cancer',
      tumourSite: 'breast',
      nhsNumber: nhsNumber(7),
    }),
  );
  record(store, 'L0', lowerGi(8, '2026-11-15', { fitResult: 50 }));

  it('gives the share with a result and with one of 10 or more, week by week, and the referrals to review', () => {
    const fit = runThrough(fitSlices(store, '2026-11-24', 2));
    expect(fit.threshold).toBe(10);
    expect(fit.weeks).toEqual([
      {
        from: '2026-11-16',
        to: '2026-11-22',
        referrals: 4,
        withResult: 2,
        atThreshold: 1,
        withResultShare: 0.5,
        atThresholdShare: 0.25,
      },
      {
        from: '2026-11-23',
        to: '2026-11-29',
        referrals: 1,
        withResult: 1,
        atThreshold: 1,
        withResultShare: 1,
        atThresholdShare: 1,
      },
    ]);
    // Awaiting triage, without a result or below 10: listed for review, never refused.
    expect(fit.review.map((p) => [p.pathwayId, p.reason, p.fitResult, p.fitNotDoneReason, p.daysWaiting])).toEqual([
      ['L2', 'below_threshold', 4, null, 7],
      ['L3', 'no_result', null, 'Sample not returned', 6],
    ]);
  });
});

describe('a database projected before timed pathways', () => {
  it('gets each open pathway its timed pathway and next milestone when it opens', () => {
    const { store, file, sql } = tempStore('2026-11-30T10:00:00Z');
    record(
      store,
      'P1',
      ev('referral_received', '2026-11-23', {
        route: 'urgent_suspected_cancer',
        tumourSite: 'lung',
        nhsNumber: nhsNumber(1),
      }),
    );
    const columns = 'timed_pathway, milestone, milestone_due, milestone_at_risk_from, screening_programme, state';
    const expected = sql.prepare(`SELECT ${columns} FROM pathways`).all();
    store.close();
    sql.exec(`UPDATE pathways SET timed_pathway = NULL, milestone = NULL, milestone_due = NULL, milestone_at_risk_from = NULL,
      state = json_remove(state, '$.timed'); UPDATE meta SET value = '4' WHERE key = 'projection_version'`);
    openStore(openDb(file), store.clock);
    expect(sql.prepare(`SELECT ${columns} FROM pathways`).all()).toEqual(expected);
    expect(expected).toMatchObject([
      { timed_pathway: 'lung', milestone: 'CT of the chest', milestone_due: '2026-11-26' },
    ]);
    expect(sql.prepare("SELECT value FROM meta WHERE key = 'projection_version'").pluck().get()).toBe(
      String(PROJECTION_VERSION),
    );
  });
});

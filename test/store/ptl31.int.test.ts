// The 31-day PTL of treatments after the first (issue #14): the store keeps each pathway awaiting a
// later treatment on it, earliest breach first, keyset-paginated; rows written event by event equal
// a rebuild's; generated histories with later treatments give rows equal to a replay.
import { describe, expect, it } from 'vitest';
import { rowsMatchReplay, generatedLines, tempStore, requestsOf } from '../support/store.ts';
import { ev, nhsNumber, record } from '../support/national.ts';
import { rebuild } from '../../src/pathways/project.ts';
import type { IsoDate } from '../../src/vocabulary/calendar.ts';

describe('the 31-day PTL of treatments after the first', () => {
  it('lists pathways awaiting a later treatment, earliest breach first, a page at a time, and drops them when treated or the plan ends', () => {
    const { store, sql } = tempStore('2026-06-01T09:00:00Z');
    const treated = (id: string, i: number, site: string, provider: string, decided: IsoDate) =>
      record(
        store,
        id,
        ev('referral_received', '2026-01-05', {
          route: 'urgent_suspected_cancer',
          tumourSite: site,
          nhsNumber: nhsNumber(i),
          provider,
        }),
        ev('decision_to_treat', '2026-02-01'),
        ev('treatment_started', '2026-02-20', { modality: 'surgery' }),
        ev('decision_to_treat', decided, { id: `d-${id}` }),
      );
    treated('A', 1, 'breast', 'RAJ', '2026-05-10');
    treated('B', 2, 'lung', 'RQ8', '2026-04-20');
    treated('C', 3, 'breast', 'RAJ', '2026-05-01');
    treated('D', 4, 'breast', 'RAJ', '2026-03-01');
    record(store, 'D', ev('treatment_started', '2026-03-20', { modality: 'chemotherapy' })); // given: off the list
    treated('E', 5, 'breast', 'RAJ', '2026-03-05');
    record(store, 'E', ev('removed', '2026-03-25', { reason: 'patient_died' })); // the plan ended
    const page1 = store.ptl31.page({ limit: 2 }, '2026-06-01');
    expect(page1.entries.map((e) => [e.pathwayId, e.breachDate, e.daysWaiting, e.breached])).toEqual([
      ['B', '2026-05-22', 42, true],
      ['C', '2026-06-02', 31, false],
    ]);
    const page2 = store.ptl31.page({ limit: 2, cursor: page1.nextCursor! }, '2026-06-01');
    expect(page2).toMatchObject({
      entries: [{ pathwayId: 'A', treatmentNumber: 2, decisionToTreat: '2026-05-10' }],
      nextCursor: null,
    });
    expect(store.ptl31.page({ tumourSite: 'lung' }, '2026-06-01').entries.map((e) => e.pathwayId)).toEqual(['B']);
    expect(store.ptl31.page({ provider: 'RAJ' }, '2026-06-01').entries.map((e) => e.pathwayId)).toEqual(['C', 'A']);
    expect(store.ptl31.count()).toBe(3);
    expect(() => store.ptl31.page({ cursor: 'nonsense' }, '2026-06-01')).toThrow(/cursor/);
    // The 62-day PTL has none of them: their pathways closed at the first treatment.
    expect(store.ptl.page({}, '2026-06-01').entries).toEqual([]);
    const before = sql.prepare('SELECT * FROM pathways ORDER BY pathway_id').all();
    rebuild(store);
    expect(sql.prepare('SELECT * FROM pathways ORDER BY pathway_id').all()).toEqual(before);
  });

  it('keeps rows equal to a replay for generated histories with treatments after the first', () => {
    const { store, commands, sql } = tempStore();
    const lines = generatedLines(300, 31);
    commands.appendMany(requestsOf(lines, 'test'));
    const later = sql
      .prepare(
        "SELECT count(*) FROM pathways WHERE stage IN ('awaiting_subsequent_treatment', 'treatment_plan_complete') OR next_d31_start IS NOT NULL",
      )
      .pluck()
      .get() as number;
    expect(later).toBeGreaterThan(0);
    const { checked, mismatches } = rowsMatchReplay(store, sql);
    expect(checked).toBeGreaterThan(250);
    expect(mismatches).toEqual([]);
  });
});

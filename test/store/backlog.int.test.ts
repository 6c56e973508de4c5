// Past days' backlog from kept snapshots: each must equal a replay of what had been recorded by
// the end of that day, whichever way it was made (sealed from the index at the day's end, or
// by the one-pass history), and importing history into the past must not leave a stale one.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/vocabulary/calendar.ts';
import { historyPass } from '../../src/store/backlog-history.ts';
import { backlogByReplay, generatedLines, tempStore, requestsOf } from '../support/store.ts';
import type { Store } from '../../src/store/store.ts';
import { PathwayCommands } from '../../src/pathways/commands.ts';

const actor = { actor: 'test' };
const referral = (on: string) => ({
  type: 'referral_received',
  on,
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
});

function importAll(store: Store, lines: ReturnType<typeof generatedLines>) {
  return new PathwayCommands(store).appendMany(requestsOf(lines, 'import'));
}

describe('backlog of a past day', () => {
  it('from the one-pass history equals a replay as at the end of each day', () => {
    const { store } = tempStore('2027-06-01T09:00:00Z');
    importAll(store, generatedLines(250, 21));
    const days = historyPass(store.log, '2024-02-01', '2026-03-01');
    expect(days).toHaveLength(760);
    for (const counts of days.filter((_, i) => i % 23 === 0))
      expect(counts).toEqual(backlogByReplay(store, counts.asOf));
    expect(days.some((c) => c.over62 > 0 && c.fdsOverdue > 0)).toBe(true);
  });

  it('is answered from a snapshot made once, and equals the replay', async () => {
    const { store, sql } = tempStore('2027-06-01T09:00:00Z');
    importAll(store, generatedLines(120, 5));
    const day = '2025-01-15';
    const counts = await store.backlog.asOfAsync(day, '2027-06-01');
    expect(counts).toEqual(backlogByReplay(store, day));
    const kept = sql.prepare('SELECT count(*) FROM backlog_snapshots').pluck().get() as number;
    expect(kept).toBeGreaterThan(400);
    expect(store.backlog.asOf(day, '2027-06-01')).toEqual(counts); // now without computing
  });

  it('seals each ended day from the live index before the next day is written, exactly as it stood', () => {
    const { store, commands, clock, sql } = tempStore('2027-05-02T09:00:00Z');
    commands.append('P1', 0, referral('2027-05-01'), actor);
    commands.append('P2', 0, referral('2027-03-01'), actor);
    const endOfDay = store.backlog.current('2027-05-02');
    clock.set('2027-05-03T08:00:00Z');
    commands.append('P2', 1, { type: 'removed', on: '2027-05-03', reason: 'moved_away' }, actor);
    const sealed = sql
      .prepare('SELECT counts FROM backlog_snapshots WHERE day = ?')
      .pluck()
      .get('2027-05-02') as string;
    expect(JSON.parse(sealed)).toEqual(endOfDay);
    expect(JSON.parse(sealed)).toEqual(backlogByReplay(store, '2027-05-02'));
    expect(store.backlog.asOfNow('2027-05-02', '2027-05-03').open).toBe(2);
    expect(store.backlog.current('2027-05-03').open).toBe(1);
  });

  it('drops the snapshots that an import of history makes stale, and makes them again', () => {
    const { store, commands, clock } = tempStore('2027-05-10T09:00:00Z');
    commands.append('P1', 0, referral('2027-05-01'), actor);
    clock.set('2027-05-20T09:00:00Z');
    const before = store.backlog.asOfNow('2027-05-12', '2027-05-20');
    expect(before.open).toBe(1);
    // A late import of another pathway recorded on 11 May changes 11 May onwards.
    commands.appendMany([
      { pathwayId: 'OLD', recordedAt: '2027-05-11T10:00:00.000Z', event: referral('2027-05-02'), actor: 'import' },
    ]);
    const after = store.backlog.asOfNow('2027-05-12', '2027-05-20');
    expect(after.open).toBe(2);
    expect(after).toEqual(backlogByReplay(store, '2027-05-12'));
    expect(store.backlog.asOfNow('2027-05-10', '2027-05-20').open).toBe(1);
  });

  it('counts nothing before the first record, and the trend ends with today live', async () => {
    const { store, commands } = tempStore('2027-05-10T09:00:00Z');
    commands.append('P1', 0, referral('2027-05-01'), actor);
    expect(store.backlog.asOf('2020-01-01', '2027-05-10')?.open).toBe(0);
    const trend = await store.backlog.trend(addDays('2027-05-10', -4), '2027-05-10');
    expect(trend.map((p) => p.open)).toEqual([0, 0, 0, 0, 1]);
  });
});

// Daily snapshots of the backlog for charts: past days are computed once from the event history
// (as at the end of each day) and kept; today is always counted live.
import { addDays, type IsoDate } from '../cwt/calendar.ts';
import type { Store } from './store.ts';
import { backlogTrend, type TrendPoint } from './trend.ts';

export function dailyBacklog(store: Store, from: IsoDate, today: IsoDate): TrendPoint[] {
  const yesterday = addDays(today, -1);
  const select = store.db.prepare('SELECT day AS date, open, over62, over104 FROM backlog_daily WHERE day >= ? AND day <= ? ORDER BY day');
  let past = select.all(from, yesterday) as TrendPoint[];
  const expected = from <= yesterday ? Math.round((Date.parse(yesterday) - Date.parse(from)) / 86_400_000) + 1 : 0;
  if (past.length < expected) {
    const insert = store.db.prepare('INSERT OR IGNORE INTO backlog_daily (day, open, over62, over104) VALUES (@date, @open, @over62, @over104)');
    const points = backlogTrend(store, from, yesterday);
    store.db.transaction(() => points.forEach((p) => insert.run(p)))();
    past = select.all(from, yesterday) as TrendPoint[];
  }
  const now = store.backlog(today);
  return [...past, { date: today, open: now.open, over62: now.over62, over104: now.over104 }];
}

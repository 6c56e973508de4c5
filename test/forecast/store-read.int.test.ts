// The forecast's read of a store (issue #23, items 1 and 7): only the pathways that matter are read
// (open at the end of the as-of day, or with anything dated in the calibration's windows, the last
// Christmas among them), in chunks shared among worker threads, each cut at the end of that day by
// the store's "as at" reader. It must give exactly what the pure read of every pathway gives, with
// any number of threads, and nothing recorded later may change it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endOfLondonDay, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { activeChunks, earliestReferralLeftOut } from '../../src/queries/as-at.ts';
import { readWindows } from '../../src/forecast/calibrate.ts';
import { ForecastPool } from '../../src/forecast/pool.ts';
import { readForForecast } from '../../src/forecast/from-store.ts';
import { nestedFrom } from '../../src/forecast/bands.ts';
import { readAsAt } from '../../src/forecast/read.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requestsOf, tempStore } from '../support/store.ts';
import { history } from './support.ts';

// Seventeen months, so an as-of day in November has last Christmas to compare (and a history old enough).
const sim = { referralsPerMonth: 160, months: 17, seed: 4, asOf: '2026-11-22' as IsoDate };

describe('the forecast read through the store', () => {
  const { store, commands, file } = tempStore('2026-11-23T09:00:00Z');
  const pools: ForecastPool[] = [];

  beforeAll(() => {
    commands.appendMany(requestsOf(simulate(sim)));
  });
  afterAll(async () => {
    for (const p of pools) await p.close();
  });

  const readDays = async (workers: number, days: IsoDate[]) => {
    const pool = new ForecastPool(workers, store);
    pools.push(pool);
    return pool.read(file, days);
  };
  const read = async (workers: number, asOf: IsoDate) => (await readDays(workers, [asOf]))[0];

  it('equals the pure read of every pathway, with no worker thread or two', async () => {
    for (const asOf of ['2026-11-01', '2026-03-15', '2026-01-03'] as IsoDate[]) {
      const all = readAsAt(history(sim), asOf).input;
      expect(all.calibration.christmas.slots === 1 && asOf === '2026-11-01').toBe(false); // last Christmas is compared
      for (const workers of [0, 2]) expect(await read(workers, asOf), `${asOf}, ${workers} workers`).toEqual(all);
    }
  });

  it('reads several days in one pass as it reads each alone', async () => {
    // The forecast's day and its nested day (bands.ts): each cut by its own end of day, each pathway
    // given to the days that need it.
    const days: IsoDate[] = ['2026-11-01', '2026-08-09'];
    const alone = days.map((d) => readAsAt(history(sim), d).input);
    expect(alone[0]).not.toEqual(alone[1]);
    for (const workers of [0, 2]) expect(await readDays(workers, days), `${workers} workers`).toEqual(alone);
  });

  it('reads the nested cut in the same pass where the history looks old enough, else only when asked', async () => {
    const asked: IsoDate[][] = [];
    const read = (days: IsoDate[]) => {
      asked.push(days);
      return days.map((d) => readAsAt(history(sim), d).input);
    };
    const asOf: IsoDate = '2026-11-01';
    const { input, readNested } = await readForForecast(store, asOf, read);
    expect(asked).toEqual([[asOf, nestedFrom(asOf)]]);
    expect(await readNested(nestedFrom(asOf))).toEqual(readAsAt(history(sim), nestedFrom(asOf)).input);
    expect(asked).toHaveLength(1); // already read
    expect(input).toEqual(readAsAt(history(sim), asOf).input);
    asked.length = 0;
    await readForForecast(store, asOf, read, false);
    // The history began in the summer of 2025: as at 7 September 2025 its nested day (15 June) is too early.
    const young = await readForForecast(store, '2025-09-07', read);
    expect(asked).toEqual([[asOf], ['2025-09-07']]);
    await young.readNested(nestedFrom('2025-09-07'));
    expect(asked.at(-1)).toEqual([nestedFrom('2025-09-07')]);
  });

  it('marks each pathway read with the days that need it', () => {
    const cuts = (['2026-11-01', '2026-05-03'] as IsoDate[]).map((d) => ({
      asAt: endOfLondonDay(d),
      filter: readWindows(d),
    }));
    const both = [...activeChunks(store, cuts, 100)];
    const alone = cuts.map((cut) => [...activeChunks(store, [cut], 100)].flatMap((x) => x.ids));
    cuts.forEach((_, c) =>
      expect(both.flatMap((x) => x.ids.filter((_, i) => x.cuts[i]! & (1 << c)))).toEqual(alone[c]),
    );
    expect(both.flatMap((c) => c.ids)).toEqual([...new Set(alone.flat())].sort());
    expect(alone[0]!.length).toBeLessThan(alone[1]!.length); // November needs fewer: the mask tells them apart
  });

  it('leaves unread the pathways closed before anything the calibration looks at, but not their start', () => {
    const asAt = endOfLondonDay('2026-11-01');
    const windows = readWindows('2026-11-01');
    const read = new Set([...activeChunks(store, [{ asAt, filter: windows }])].flatMap((c) => c.ids));
    expect(read.size).toBeLessThan(history(sim).length * 0.8);
    expect(read.size).toBeGreaterThan(0);
    // The history's first referral is among those left out: it still dates the history's start.
    const referred = (r: { events: readonly { event: { type: string; on: string } }[] }) =>
      r.events.find((e) => e.event.type === 'referral_received')!.event.on;
    const first = history(sim).map(referred).sort()[0];
    const leftOut = history(sim).filter((r) => !read.has(r.pathwayId));
    expect(leftOut.map(referred).sort()[0]).toBe(first);
    expect(earliestReferralLeftOut(store, asAt, windows)).toBe(first);
  });

  it('is the same whatever is recorded after the end of the as-of day', async () => {
    const asOf: IsoDate = '2026-11-01';
    const before = await read(0, asOf);
    // A later correction of an old, closed pathway, and a new referral back-dated into the window.
    const closed = history(sim).find((r) => r.events.at(-1)!.event.on < '2026-01-01')!;
    commands.append(
      closed.pathwayId,
      closed.events.length,
      { type: 'note', on: '2026-11-10', text: 'seen in clinic notes' },
      { actor: 'test' },
    );
    const referral = {
      type: 'referral_received',
      on: '2026-10-20',
      route: 'urgent_suspected_cancer',
      tumourSite: 'lung',
      nhsNumber: '9990000018',
    };
    commands.append('LATE1', undefined, referral, { actor: 'test' });
    expect(await read(2, asOf)).toEqual(before);
  });
});

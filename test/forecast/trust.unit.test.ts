// The bar at the trust preset itself (5,500 referrals a month for twelve months, simulated
// in memory): the backtest from twelve weeks before the end, its bands widened by the model's own
// error in the nested backtest twelve weeks before that (docs/forecast.md, "The bands").
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../src/vocabulary/calendar.ts';
import { backtest } from '../../src/forecast/backtest.ts';
import { PRESETS } from '../../src/sim/simulate.ts';
import { history } from './support.ts';

const end: IsoDate = '2026-11-29';
const MINUTE = 60_000;

describe('the backtest at the trust preset, from twelve weeks before the end', () => {
  it(
    'reaches a MAPE of at most 0.15 and 80% coverage of at least 0.7',
    async () => {
      const records = history({ ...PRESETS.trust, seed: 1, asOf: end }, false);
      const out = await backtest(records, addDays(end, -91), { weeks: 12, runs: 100, seed: 1 });
      expect(out.trajectory).toHaveLength(12);
      expect(out.trajectory.at(-1)!.weekEnding).toBe('2026-11-22');
      expect(out.bands).toMatchObject({ from: '2026-06-07', weeks: 12 });
      expect(out.summary.mapeOver62).toBeLessThanOrEqual(0.15);
      expect(out.summary.coverage80).toBeGreaterThanOrEqual(0.7);
    },
    8 * MINUTE,
  );
});

// Demo data for a new, empty database: a year of a mid-sized trust's referrals from the simulator,
// ending today, with NHS numbers only from the 999 range (never issued to patients).
import { type WallClock, today } from '../wall-clock.ts';
import { instantOf } from '../vocabulary/calendar.ts';
import { PRESETS, simulate } from '../sim/simulate.ts';
import { AppError } from '../errors.ts';
import type { AppendRequest, PathwayCommands } from '../pathways/commands.ts';

export function loadDemoData(
  commands: PathwayCommands,
  clock: WallClock,
  seed = 2026,
): { pathways: number; events: number } {
  const now = instantOf(clock.now());
  let batch: AppendRequest[] = [];
  const pathways = new Set<string>();
  let events = 0;
  const flush = () => {
    for (const outcome of commands.appendMany(batch)) {
      if (outcome instanceof AppError) throw new Error(`demo data was refused: ${outcome.message}`);
      events++;
    }
    batch = [];
  };
  // Nothing recorded after now: a pathway whose next entry would be later stops there, still open.
  const history = simulate({ ...PRESETS.demo, seed, asOf: today(clock), recordedUntil: now });
  for (const { pathwayId, recordedAt, ...event } of history) {
    batch.push({ pathwayId, recordedAt: instantOf(new Date(recordedAt)), event, actor: 'demo' });
    pathways.add(pathwayId);
    if (batch.length >= 2000) flush();
  }
  if (batch.length) flush();
  return { pathways: pathways.size, events };
}

// A trust's change to its timed pathway definitions (issue #26): the change is kept with who made
// it and when (src/store/timed-pathways.ts), and every open pathway's row is recomputed from its
// state under the definitions now in force, in the same unit of work: like a change of the clock
// rules, it recomputes and rewrites no event. Closed pathways have no next milestone to change.
import type { Instant } from '../vocabulary/calendar.ts';
import { stateFromRow, toRow } from '../store/pathway-row.ts';
import type { MilestoneChange } from '../store/timed-pathways.ts';
import type { Store } from '../store/store.ts';

export type TimedChangeStore = Pick<Store, 'unitOfWork' | 'rows' | 'timed'>;

export type TimedChange =
  | { action: 'set'; pathway: string; name: string; milestone: MilestoneChange }
  | { action: 'remove' | 'reset'; pathway: string; name: string };

/** Makes the change and recomputes the open rows; returns how many rows changed. */
export function changeTimedPathway(store: TimedChangeStore, change: TimedChange, by: string, at: Instant): number {
  const { unitOfWork, timed } = store;
  return unitOfWork(() => {
    if (change.action === 'set') timed.set(change.pathway, change.name, change.milestone, by, at);
    else timed[change.action](change.pathway, change.name, by, at);
    return recomputeMilestones(store);
  });
}

/** Every open row again from its state under the definitions in force; the rows that changed. */
export function recomputeMilestones({ rows, timed }: Pick<Store, 'rows' | 'timed'>): number {
  const definitions = timed.definitions();
  let changed = 0;
  for (const old of rows.open()) {
    const row = toRow(old.pathway_id, old.version, stateFromRow(old), old.updated_at, definitions, old.needs_review);
    if (rows.write(old, row)) changed++;
  }
  return changed;
}

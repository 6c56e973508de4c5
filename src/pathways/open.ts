// Opening the store: the database's modules, then the projection brought up to the current clock
// rules and row shape. A database last folded under older rules (RULES_VERSION) or projected into an
// older shape of row (PROJECTION_VERSION) is recomputed from its events, never rewritten; one folded
// under newer rules or a newer shape than this build knows was written by a newer build, and is
// refused (issue #25: one build, one database).
import { AppError } from '../errors.ts';
import type { WallClock } from '../wall-clock.ts';
import { RULES_VERSION } from '../cwt/clocks.ts';
import { DatabaseRefused, type Db } from '../store/db.ts';
import { PROJECTION_VERSION } from '../store/pathway-row.ts';
import { Store } from '../store/store.ts';
import { rebuild } from './project.ts';

export function openStore(db: Db, clock: WallClock): Store {
  const store = new Store(db, clock);
  try {
    upgrade(store);
  } catch (err) {
    db.close();
    throw err;
  }
  return store;
}

function upgrade(store: Store): void {
  const { rules, projection } = store.projectionVersions();
  if (rules > RULES_VERSION || projection > PROJECTION_VERSION)
    throw new DatabaseRefused(
      `the database was written by a newer build of OpenPTL: its pathways are folded under clock rules version ${rules} and row shape ${projection}; this build knows rules up to ${RULES_VERSION} and shape up to ${PROJECTION_VERSION}. Run the newer build, or restore the backup taken before it; nothing was changed`,
    );
  if (rules >= RULES_VERSION && projection >= PROJECTION_VERSION) return;
  if (store.readonly)
    throw new AppError(
      'storage_read_only',
      'the database is read-only and was folded under older clock rules: open it once where it can be written',
    );
  const { log } = store;
  if (log.count() > 0) rebuild(store);
  else store.projectionIsCurrent();
}

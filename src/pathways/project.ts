// Project: what an appended event changes in the read models beside the event log and the
// pathway's row (which toRow makes from the state): the search terms and the latest comment.
// And the rebuild, which drops every projection and replays all events through the same functions.
import type { PathwayEvent } from '../vocabulary/events.ts';
import { reviewOf } from '../domain/kept-history.ts';
import { pathwayForReview, type PatientDetails } from '../domain/pathway.ts';
import { toRow } from '../store/pathway-row.ts';
import { providerOf } from '../store/pathway-providers.ts';
import type { Store } from '../store/store.ts';

export type WorkspaceModels = Pick<Store, 'search' | 'comments' | 'log' | 'providers'>;

/**
 * Workspace (#15): the search terms of a new patient, or of one whose details were corrected
 * (#17, or such a correction voided); the latest comment when a note is recorded or anything voided;
 * the provider a referral or a transfer brings the pathway to (#25: who a scoped user sees).
 */
export function projectWorkspace(
  { search, comments, log, providers }: WorkspaceModels,
  pathwayId: string,
  event: PathwayEvent,
  before: PatientDetails | undefined,
  after: PatientDetails,
): void {
  if (!before) search.add(pathwayId, after.nhsNumber, after.patientName);
  else if (before.nhsNumber !== after.nhsNumber || before.patientName !== after.patientName)
    search.replace(pathwayId, before, after);
  if (event.type === 'note' || event.type === 'event_voided') comments.refresh(pathwayId, log.ofPathway(pathwayId));
  const provider = providerOf(event);
  if (provider) providers.add(pathwayId, provider);
}

export type RebuildStore = Pick<
  Store,
  'unitOfWork' | 'rows' | 'search' | 'comments' | 'log' | 'backlog' | 'projectionIsCurrent' | 'timed' | 'providers'
>;

/** Drops the projection and replays every pathway's events: the rows must come out identical. */
export function rebuild(
  store: RebuildStore,
  onStep?: (done: number, total: number) => void,
): { pathways: number; events: number } {
  const { rows, search, comments, log, backlog, timed, providers } = store;
  let pathways = 0;
  let eventCount = 0;
  const total = onStep ? log.count() : 0; // events: the progress a terminal shows
  store.unitOfWork(
    () => {
      rows.clear();
      search.clear();
      comments.clear();
      providers.clear();
      const definitions = timed.definitions();
      for (const { pathwayId, events } of log.byPathway()) {
        const last = events[events.length - 1]!;
        const kept = events.map((e) => e.event);
        const { state, problems } = pathwayForReview(kept);
        rows.insert(toRow(pathwayId, last.version, state, last.recordedAt, definitions, reviewOf(kept, problems)));
        search.add(pathwayId, state.details.nhsNumber, state.details.patientName);
        if (kept.some((e) => e.type === 'note')) comments.refresh(pathwayId, log.ofPathway(pathwayId));
        for (const event of kept) {
          const provider = providerOf(event);
          if (provider) providers.add(pathwayId, provider);
        }
        pathways++;
        eventCount += events.length;
        onStep?.(eventCount, total);
      }
      backlog.reset();
      store.projectionIsCurrent();
    },
    { history: true },
  );
  return { pathways, events: eventCount };
}

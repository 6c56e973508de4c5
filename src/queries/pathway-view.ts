// A pathway's page: its row, its events and clocks as of a day, with the workspace's read models
// (the latest comment, who looks after it, the MDT meetings it is listed for) and the events
// unusual now. The GET /api/pathways/:id answer.
import type { IsoDate } from '../vocabulary/calendar.ts';
import { nextBooking } from '../cwt/tracking.ts';
import { allowedNextOf, clocksOf, milestonesOfState } from '../domain/pathway.ts';
import { milestoneView, nextMilestone } from '../cwt/milestones.ts';
import { unusualEvents } from '../domain/unusual-events.ts';
import { stateFromRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';

export type PathwayViewModels = Pick<Store, 'rows' | 'log' | 'comments' | 'assignments' | 'mdt' | 'timed'>;

/** A pathway with its events and its clocks as of `asOf`; null when there is no such pathway. */
export function pathwayView(
  { rows, log, comments, assignments, mdt, timed }: PathwayViewModels,
  pathwayId: string,
  asOf: IsoDate,
) {
  const row = rows.get(pathwayId);
  if (!row) return null;
  const state = stateFromRow(row);
  const allowedEvents = allowedNextOf(state);
  // Issue #26: the timed pathway's milestones as of the day, and the first not met.
  const { definition, planned } = milestonesOfState(state, timed.definitions(), row.status === 'open');
  const start = state.fold.facts.start;
  const next = nextMilestone(planned);
  return {
    pathwayId,
    version: row.version,
    stage: row.stage,
    status: row.status,
    patient: {
      nhsNumber: row.nhs_number,
      name: row.patient_name,
      dateOfBirth: row.date_of_birth,
      localPatientId: row.local_patient_id,
    },
    tumourSite: row.tumour_site,
    route: row.route,
    provider: row.provider,
    nextAction: row.next_action
      ? { action: row.next_action, due: row.next_action_due, kind: row.next_action_kind }
      : null,
    needsReview: row.needs_review,
    clocks: clocksOf(state, asOf),
    allowedEvents,
    events: log.ofPathway(pathwayId),
    // workspace (#15)
    asOf,
    booked: row.status === 'open' ? nextBooking(state.tracking) : null,
    awaitingMdtSince: row.awaiting_mdt_since,
    comment: comments.get(pathwayId),
    assignee: assignments.of(pathwayId),
    mdtMeetings: mdt.meetingsOf(pathwayId),
    timedPathway: definition ? { pathway: definition.pathway, label: definition.label } : null,
    milestones: planned.map((m) => milestoneView(m, start, asOf)),
    nextMilestone: next ? milestoneView(next, start, asOf) : null,
    timedItems: state.timed.referral,
    unusual: unusualEvents({ seen: state.fold.seen, referralOn: state.details.referralOn }).filter((u) =>
      allowedEvents.includes(u.type),
    ),
  };
}

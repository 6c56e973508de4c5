// The MDT coordinator's reads: a meeting with each listed patient (where they are, and what the MDT
// decided if it is recorded), the outcome recorded for one patient at a meeting, and the patients
// waiting for MDT. Each joins the MDT read model with the rows, the comments and the events.
import type { IsoDate } from '../vocabulary/calendar.ts';
import { effectiveTimeline } from '../vocabulary/effective-timeline.ts';
import { allowedNextOf, clocksOf } from '../domain/pathway.ts';
import { unusualEvents } from '../domain/unusual-events.ts';
import { stateFromRow, type PathwayRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';
import type { Scope } from '../auth/roles.ts';

export interface MdtOutcome {
  decision: string | null;
  comment: string | null;
  eventId: string;
  // issue #28: what the MDT recorded, in words
  stage: string | null;
  histology: string | null;
  leadClinician: string | null;
  attendees: string | null;
  referredToSite: string | null;
}

/** The `mdt_discussed` event that counts for this meeting on a pathway (voided ones left out), or null. */
export function mdtOutcome({ log }: Pick<Store, 'log'>, meetingId: number, pathwayId: string): MdtOutcome | null {
  const stored = log.ofPathway(pathwayId);
  let found: MdtOutcome | null = null;
  for (const { index, event } of effectiveTimeline(stored.map((e) => e.event))) {
    if (event.type === 'mdt_discussed' && event.meetingId === meetingId)
      found = {
        decision: event.decision ?? null,
        comment: event.outcome ?? null,
        eventId: stored[index]!.eventId,
        stage: event.stage ?? null,
        histology: event.histology ?? null,
        leadClinician: event.leadClinician ?? null,
        attendees: event.attendees ?? null,
        referredToSite: event.referredToSite ?? null,
      };
  }
  return found;
}

/** A meeting with each listed patient: who, where they are, and what the MDT decided if it is recorded. */
export function mdtMeeting(store: Pick<Store, 'mdt' | 'comments' | 'rows' | 'log'>, meetingId: number, asOf: IsoDate) {
  const { mdt, comments, rows } = store;
  const meeting = mdt.meeting(meetingId);
  const ids = mdt.pathwaysOf(meetingId);
  const latest = comments.forPathways(ids);
  const patients = ids
    .map((id) => rows.get(id))
    .filter((row): row is PathwayRow => row !== undefined)
    .map((row) => {
      const state = stateFromRow(row);
      const clocks = clocksOf(state, asOf);
      const allowed = allowedNextOf(state);
      return {
        pathwayId: row.pathway_id,
        patientName: row.patient_name,
        nhsNumber: row.nhs_number,
        dateOfBirth: row.date_of_birth,
        tumourSite: row.tumour_site,
        provider: row.provider,
        stage: row.stage,
        status: row.status,
        version: row.version,
        daysWaiting: clocks.d62.state === 'running' ? clocks.d62.days : null,
        breachDate: clocks.d62.state === 'running' ? clocks.d62.breachDate : null,
        testsReportedSince: state.tracking.testsReportedSince,
        comment: latest.get(row.pathway_id) ?? null,
        outcome: mdtOutcome(store, meetingId, row.pathway_id),
        allowedEvents: allowed,
        unusual: unusualEvents({ seen: state.fold.seen, referralOn: state.details.referralOn }).filter((u) =>
          allowed.includes(u.type),
        ),
      };
    });
  return { meeting, asOf, patients };
}

/** Patients waiting for MDT (tests reported since their last discussion), with the meetings each is listed for since. */
export function awaitingMdt(
  { ptl, mdt }: Pick<Store, 'ptl' | 'mdt'>,
  tumourSite: string | undefined,
  asOf: IsoDate,
  scope: Scope = null,
) {
  const entries = ptl.awaitingMdt(tumourSite, asOf, scope);
  const listed = mdt.listedFrom(
    entries.map((e) => e.pathwayId),
    '0000-01-01',
  );
  return {
    asOf,
    entries: entries.map((e) => ({
      ...e,
      listedFor: (listed.get(e.pathwayId) ?? []).filter((m) => m.meetsOn >= e.testsReportedSince),
    })),
  };
}

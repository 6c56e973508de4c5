// The PTL as CSV (workspace #15): exactly the filtered list, in the PTL's order, with the
// columns the dashboard shows, in words (labels.ts), for a spreadsheet or a meeting pack.
import { displayDate, type IsoDate } from '../vocabulary/calendar.ts';
import { stageLabel, valueLabel } from '../vocabulary/labels.ts';
import type { PtlEntry } from '../store/ptl.ts';
import { csvCell } from '../csv.ts';

const HEADER = [
  'Patient name',
  'NHS number',
  'Date of birth',
  'Tumour site',
  'Stage',
  'Provider',
  'Days waiting',
  'Breach date',
  'FDS days',
  'FDS due',
  'Next action',
  'Due',
  'Next milestone', // issue #26
  'Milestone due',
  'Milestone status',
  'Booked',
  'Latest comment',
  'Comment date',
  'Tracker',
  'Needs review',
  'Breach risk',
  'Pathway id',
];

const date = (d: IsoDate | null | undefined) => (d ? displayDate(d) : '');

export const PTL_CSV_HEADER = `${HEADER.join(',')}\r\n`;

/** One pathway's line of the CSV. */
export function ptlCsvLine(e: PtlEntry): string {
  const booked = e.booked
    ? `${date(e.booked.on)} ${e.booked.test ?? (e.booked.kind === 'first_appointment' ? 'first appointment' : 'appointment')}`
    : '';
  return `${[
    e.patientName,
    e.nhsNumber,
    date(e.dateOfBirth),
    valueLabel(e.tumourSite),
    stageLabel(e.stage),
    e.provider,
    e.daysWaiting,
    date(e.breachDate),
    e.fdsDays,
    date(e.fdsDue),
    e.nextAction,
    date(e.nextActionDue),
    e.milestone?.name,
    date(e.milestone?.dueOn),
    e.milestone ? valueLabel(e.milestone.status) : '',
    booked,
    e.comment?.text,
    date(e.comment?.on),
    e.assignee,
    e.needsReview ? 'yes' : '',
    e.breachRisk ? `${Math.round(e.breachRisk.over62 * 100)}%` : '', // issue #23
    e.pathwayId,
  ]
    .map(csvCell)
    .join(',')}\r\n`;
}

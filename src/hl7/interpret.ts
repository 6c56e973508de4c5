// What a message from the hospital's PAS means for a patient's open pathways. A message carries no
// waiting-times meaning by itself (which appointment is the first cancer appointment, who
// cancelled), so anything a clock reads is only proposed, for a tracker to confirm: bookings,
// attendances, missed appointments, patient cancellations and deaths. A change of who the patient
// is (issue #25) is proposed too, with the pathway's details beside it in the inbox: any change of
// NHS number, a merge (A40) unless the record merged away and the surviving one are the same NHS
// number, and any update of a pathway the message found by hospital number only. What is left, a
// correction of the name, date of birth or hospital number of a pathway the message found by its
// NHS number, moves no clock and names the same patient: it is applied at once, as an event that
// says where it came from. Pure: the pathways, today and the clinic rules are passed in.
import { displayDate, type IsoDate } from '../vocabulary/calendar.ts';
import { describeIssue, pathwayEvent, type EventOf, type PathwayEvent } from '../vocabulary/events.ts';
import type { PathwayState } from '../domain/pathway.ts';
import { dateOfBirthProblem } from '../domain/guard-rails.ts';
import type { InboundMessage } from './message.ts';

/** An open pathway of the patient a message names, as it stands now. */
export interface OpenPathway {
  pathwayId: string;
  version: number;
  state: PathwayState;
}

export interface Planned {
  pathwayId: string;
  expectedVersion: number;
  event: PathwayEvent;
}

export interface Plan {
  /** Written at once: corrections of the details of a patient found by NHS number (nothing a clock reads, nor who the patient is). */
  apply: Planned[];
  /** For a tracker to accept or reject; `autoAccept` when the clinic's rule takes the booking. */
  propose: (Planned & { clinic: string | null; autoAccept: boolean })[];
  /** What the message led to, in words (no patient details): the ACK's text and the kept message's. */
  notes: string[];
}

export interface InterpretOptions {
  /** Today in England: nothing is dated after it. */
  today: IsoDate;
  /** Whether a clinic's bookings are accepted without a tracker. */
  autoAcceptsBookings: (clinic: string) => boolean;
}

/**
 * The cancellation reasons (SCH-6.1) that say the patient cancelled: the NHS Data Dictionary's
 * ATTENDED OR DID NOT ATTEND code 2 ("cancelled by, or on behalf of, the patient"), or a word.
 * Anything else (4, the hospital cancelled; no reason) proposes nothing: it moves no clock (R6).
 */
export const PATIENT_CANCELLED_REASONS = ['2', 'P', 'PAT', 'PATIENT'];

/**
 * What to do with a message. `pathways` are the open pathways of the patient it names (PID-3);
 * `merged` those of the record an A40 merged away (MRG-1).
 */
export function interpret(
  msg: InboundMessage,
  pathways: OpenPathway[],
  merged: OpenPathway[],
  opts: InterpretOptions,
): Plan {
  const plan: Plan = { apply: [], propose: [], notes: [...msg.notes] };
  const subject = msg.trigger === 'A40' ? merged : pathways;
  if (subject.length === 0) {
    plan.notes.push(
      msg.trigger === 'A40'
        ? 'no open pathway for the record merged away: kept'
        : 'no open pathway for this patient: kept',
    );
    return plan;
  }
  const apply = (p: OpenPathway, event: object) => add(plan, plan.apply, p, event);
  const propose = (p: OpenPathway, event: object, clinic: string | null = null, autoAccept = false) =>
    add(plan, plan.propose, p, event, { clinic, autoAccept });
  for (const p of subject) {
    const { fold, details } = p.state;
    const correctedOn = clamp(msg.eventOn ?? msg.header.sentOn, details.referralOn, opts.today);
    switch (msg.trigger) {
      case 'A08':
      case 'A28':
      case 'A31':
      case 'A40': {
        const merge = msg.trigger === 'A40';
        const changes = detailChanges(msg.patient, p.state, opts.today, plan.notes);
        if (!changes) {
          plan.notes.push(
            merge
              ? `${p.pathwayId}: already carries the surviving record's details`
              : `${p.pathwayId}: the patient's details already agree`,
          );
          break;
        }
        const event = {
          type: 'patient_details_updated',
          on: correctedOn,
          reason: merge ? 'merge' : 'correction',
          ...changes,
        };
        const why = identityQuestion(msg, p.state, changes);
        if (why) {
          plan.notes.push(`${p.pathwayId}: ${why}: proposed for a tracker to check`);
          propose(p, event);
        } else apply(p, event);
        break;
      }
      case 'A04': {
        if (fold.seen) {
          plan.notes.push(`${p.pathwayId}: an attendance after the patient was first seen: nothing to propose`);
          break;
        }
        const on = msg.visit?.on ?? msg.eventOn ?? msg.header.sentOn;
        propose(
          p,
          { type: 'first_seen', on, ...(msg.visit?.clinic ? { clinic: msg.visit.clinic } : {}) },
          msg.visit?.clinic ?? null,
        );
        break;
      }
      case 'A03':
        if (!msg.patient.deathOn) plan.notes.push(`${p.pathwayId}: a discharge: nothing to propose`);
        break;
      case 'S12':
      case 'S13':
      case 'S14': {
        const { on: appointmentOn, clinic } = msg.appointment!;
        const appointment = fold.seen ? 'subsequent' : 'first';
        if (appointment === 'first' && fold.firstAppointmentOn === appointmentOn) {
          plan.notes.push(
            `${p.pathwayId}: the first appointment on ${displayDate(appointmentOn!)} is already recorded`,
          );
          break;
        }
        // A booking after a missed first appointment restarts the clocks (R5): a tracker confirms it, whatever the clinic's rule.
        const autoAccept =
          clinic !== null && subject.length === 1 && !fold.awaitingRebooking && opts.autoAcceptsBookings(clinic);
        const on = msg.eventOn ?? msg.header.sentOn;
        propose(
          p,
          { type: 'appointment_booked', on: on < appointmentOn! ? on : appointmentOn, appointmentOn, appointment },
          clinic,
          autoAccept,
        );
        break;
      }
      case 'S15': {
        const { on: appointmentOn, clinic, reason } = msg.appointment!;
        if (!reason || !PATIENT_CANCELLED_REASONS.includes(reason)) {
          plan.notes.push(
            `${p.pathwayId}: cancelled ${reason ? `for reason ${reason}` : 'with no reason given'}, not by the patient: nothing to propose`,
          );
          break;
        }
        const first = !fold.seen && fold.firstAppointmentOn === appointmentOn;
        propose(
          p,
          {
            type: 'patient_cancelled',
            on: msg.eventOn ?? msg.header.sentOn,
            ...(first ? { appointment: 'first' } : fold.seen ? { appointment: 'subsequent' } : {}),
            note: `the patient cancelled the appointment on ${displayDate(appointmentOn!)}`,
          },
          clinic,
        );
        break;
      }
      case 'S26': {
        const { on, clinic } = msg.appointment!;
        const first = !fold.seen && (fold.firstAppointmentOn === null || fold.firstAppointmentOn === on);
        propose(p, { type: 'dna', on, appointment: first ? 'first' : 'subsequent' }, clinic);
        break;
      }
    }
    if (msg.code === 'ADT' && msg.patient.deathOn) {
      propose(p, {
        type: 'removed',
        on: msg.patient.deathOn,
        reason: 'patient_died',
        note: 'date of death from the hospital record (PID-29)',
      });
    }
  }
  return plan;
}

/**
 * Why a change of details may be a change of who the patient is, which a tracker must confirm
 * (issue #25); null when it is a correction of a patient the message found by NHS number.
 */
function identityQuestion(
  msg: InboundMessage,
  state: PathwayState,
  changes: Partial<EventOf<'patient_details_updated'>>,
): string | null {
  const current = state.details.nhsNumber;
  if (changes.nhsNumber) return `the NHS number would change from ${current} to ${changes.nhsNumber}`;
  if (msg.trigger === 'A40' && msg.prior?.nhsNumber !== current)
    return 'a merge of a record found by its hospital number, not its NHS number';
  if (msg.patient.nhsNumber !== current) return 'the message found this pathway by hospital number, not NHS number';
  return null;
}

/**
 * The details a message gives that differ from the pathway's; null when none do. Names compare
 * without regard to case or spacing; a date of birth before 1900 or after today is not taken (noted).
 */
function detailChanges(
  patient: InboundMessage['patient'],
  state: PathwayState,
  today: IsoDate,
  notes: string[],
): Partial<EventOf<'patient_details_updated'>> | null {
  const d = state.details;
  const changes: Partial<EventOf<'patient_details_updated'>> = {};
  if (patient.nhsNumber && patient.nhsNumber !== d.nhsNumber) changes.nhsNumber = patient.nhsNumber;
  if (patient.localPatientId && patient.localPatientId !== d.localPatientId)
    changes.localPatientId = patient.localPatientId;
  const plain = (s: string | null) => (s ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
  if (patient.name && plain(patient.name) !== plain(d.patientName)) changes.patientName = patient.name.slice(0, 200);
  if (patient.dateOfBirth && patient.dateOfBirth !== d.dateOfBirth) {
    const problem = dateOfBirthProblem(patient.dateOfBirth, today);
    if (problem) notes.push(`PID-7: ${problem}: not taken`);
    else changes.dateOfBirth = patient.dateOfBirth;
  }
  if (patient.sex && patient.sex !== d.sex) changes.sex = patient.sex; // issue #27
  if (patient.ethnicCategory && patient.ethnicCategory !== d.ethnicCategory)
    changes.ethnicCategory = patient.ethnicCategory;
  if (patient.postcode && patient.postcode !== d.postcode) changes.postcode = patient.postcode;
  return Object.keys(changes).length > 0 ? changes : null;
}

/** A planned event, checked against the vocabulary: one that cannot stand is noted, not planned. */
function add<T extends Planned>(
  plan: Plan,
  list: T[],
  p: OpenPathway,
  event: object,
  extra?: Omit<T, keyof Planned>,
): void {
  const parsed = pathwayEvent.safeParse(event);
  const type = (event as { type: string }).type;
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error);
    plan.notes.push(`${p.pathwayId}: no ${type}: ${field} ${message}`);
    return;
  }
  list.push({ pathwayId: p.pathwayId, expectedVersion: p.version, event: parsed.data, ...extra } as T);
}

/** A correction's date: when the message says, kept within the pathway's dates (not before its referral, not after today). */
function clamp(on: IsoDate, from: IsoDate, to: IsoDate): IsoDate {
  return on < from ? from : on > to ? to : on;
}

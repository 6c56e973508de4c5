// One message in, its acknowledgement out. The message, what it led to (events applied at once,
// proposals for the inbox, bookings a clinic's rule accepted) and its outcome are written in ONE
// transaction, synced to disk, so AA is only answered once all of it is durably stored, and a message refused or
// failed writes nothing but its own record (or nothing at all). A resent message (same sending
// application and control id, MSH-3 and MSH-10) is answered as the first time and adds nothing.
import { AppError } from '../errors.ts';
import type { PathwayEvent } from '../domain/events.ts';
import { type WallClock, today } from '../wall-clock.ts';
import type { EventSource } from '../store/event-log.ts';
import type { MessageOutcome, NewMessage } from '../store/inbox.ts';
import { stateFromRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';
import { ack, type AckCode } from './ack.ts';
import { interpret, type OpenPathway } from './interpret.ts';
import { Hl7Refusal, parseMessage, readHeader, type Header, type InboundMessage, type PatientIds } from './message.ts';

/** More open pathways than this for one patient means shared or test identifiers, not a patient: refused (and bounded work). */
export const MAX_OPEN_PATHWAYS = 10;

/** What became of a message: the ACK to send, and a summary without patient details (for the log). */
export interface Receipt {
  ack: string;
  code: AckCode;
  controlId: string | null;
  messageType: string | null;
  outcome: MessageOutcome | 'resent' | 'not_kept';
}

export class Hl7Feed {
  constructor(private readonly store: Store, private readonly clock: WallClock) {}

  /** Never throws: every failure is an AE or AR answer. */
  receive(raw: string): Receipt {
    const at = this.clock.now();
    let header: Header;
    try {
      header = readHeader(raw);
    } catch (err) {
      const refusal = err instanceof Hl7Refusal ? err : new Hl7Refusal('AR', 'the message could not be read');
      // A header that names its control id is kept with the refusal; one that does not is only answered.
      if (refusal.header) return this.keepRefused(raw, refusal.header, refusal, at);
      return { ack: ack(refusal.ack, refusal.message, undefined, at), code: refusal.ack, controlId: null, messageType: null, outcome: 'not_kept' };
    }
    const summary = { controlId: header.controlId, messageType: header.messageType };
    try {
      const earlier = this.store.inbox.earlier(header.sendingApplication, header.controlId);
      if (earlier) {
        if (sameText(earlier.raw, raw)) return { ...summary, ack: ack(earlier.ackCode, earlier.detail, header, at), code: earlier.ackCode, outcome: 'resent' };
        const text = `MSH-10: control id ${header.controlId} from ${header.sendingApplication || 'this sender'} was already used for a different message (received ${earlier.receivedAt}); nothing was done`;
        return { ...summary, ack: ack('AR', text, header, at), code: 'AR', outcome: 'not_kept' };
      }
      try {
        const outcome = this.take(parseMessage(raw), at);
        return { ...summary, ack: ack('AA', outcome.detail, header, at), code: 'AA', outcome: outcome.outcome };
      } catch (err) {
        if (err instanceof Hl7Refusal) return this.keepRefused(raw, header, err, at);
        throw err;
      }
    } catch (err) {
      // The database could not take it (busy, full, gone): nothing was written; the sender may send it again.
      const reason = err instanceof Error ? err.message : 'unknown error';
      return { ...summary, ack: ack('AE', `not stored (${reason}): nothing was done; send the message again`, header, at), code: 'AE', outcome: 'not_kept' };
    }
  }

  /** A message over the size limit, refused unread (named by its control id when its beginning shows one). */
  tooLarge(head: string, limit: number): Receipt {
    let header: Header | undefined;
    try {
      header = readHeader(head);
    } catch (err) {
      header = err instanceof Hl7Refusal ? err.header : undefined;
    }
    const text = `the message is larger than ${limit} bytes: refused unread`;
    return { ack: ack('AR', text, header, this.clock.now()), code: 'AR', controlId: header?.controlId ?? null, messageType: header?.messageType ?? null, outcome: 'not_kept' };
  }

  /** A message with a readable header that is refused: kept, with the reason, so a resend is answered alike. */
  private keepRefused(raw: string, header: Header, refusal: Hl7Refusal, at: Date): Receipt {
    const summary = { controlId: header.controlId, messageType: header.messageType };
    try {
      const earlier = this.store.inbox.earlier(header.sendingApplication, header.controlId);
      if (!earlier) {
        this.store.unitOfWork(() => this.store.inbox.keep(record(raw, header, null, at, 'error', refusal.message, refusal.ack)), { durable: true });
      }
    } catch {
      // Not kept (the database could not take it): the answer is the same refusal.
    }
    return { ...summary, ack: ack(refusal.ack, refusal.message, header, at), code: refusal.ack, outcome: 'error' };
  }

  /** The message's effects and its record, in one transaction. */
  private take(msg: InboundMessage, at: Date): { outcome: MessageOutcome; detail: string } {
    const inbox = this.store.inbox;
    const pathways = this.openPathways(msg.patient, msg, 'PID-3');
    const merged = msg.prior ? this.openPathways(msg.prior, msg, 'MRG-1') : [];
    const plan = interpret(msg, pathways, merged, {
      today: today(this.clock),
      autoAcceptsBookings: (clinic) => inbox.autoAcceptsBookings(clinic),
    });
    const source: EventSource = { feed: 'hl7', sendingApplication: msg.header.sendingApplication, sendingFacility: msg.header.sendingFacility, messageControlId: msg.header.controlId };
    const createdAt = at.toISOString();
    return this.store.unitOfWork((append) => {
      const notes = plan.notes;
      let applied = 0;
      for (const a of plan.apply) {
        try {
          append({ ...a, actor: `hl7:${source.sendingApplication || 'feed'}`, source });
          applied++;
          notes.push(`${a.pathwayId}: ${describeApplied(a.event)}`);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          notes.push(`${a.pathwayId}: ${a.event.type} not applied: ${err.message}`);
        }
      }
      // Bookings a clinic's rule accepts are appended first, so the message's record can say so.
      const proposals = plan.propose.filter((p) => {
        if (!inbox.isOpen(p.pathwayId, p.event)) return true;
        notes.push(`${p.pathwayId}: ${p.event.type} already proposed and waiting`);
        return false;
      }).map((p) => {
        if (!p.autoAccept) return { ...p, accepted: undefined, refusal: undefined };
        const by = `rule:clinic ${p.clinic}`;
        try {
          const result = append({ pathwayId: p.pathwayId, expectedVersion: p.expectedVersion, event: p.event, actor: by, source });
          notes.push(`${p.pathwayId}: ${p.event.type} accepted by the rule for clinic ${p.clinic}`);
          return { ...p, accepted: { by, eventId: result.eventId }, refusal: undefined };
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          notes.push(`${p.pathwayId}: ${p.event.type} proposed (the rule for clinic ${p.clinic} could not accept it: ${err.message})`);
          return { ...p, accepted: undefined, refusal: err.message };
        }
      });
      for (const p of proposals) if (!p.accepted && !p.refusal) notes.push(`${p.pathwayId}: ${p.event.type} proposed`);
      const open = proposals.filter((p) => !p.accepted).length;
      const outcome: MessageOutcome = open > 0 ? 'proposed' : applied > 0 || proposals.length > 0 ? 'applied' : 'kept';
      const detail = notes.join('; ');
      const messageId = inbox.keep(record(msg.raw, msg.header, msg.patient, at, outcome, detail, 'AA'));
      for (const p of proposals) {
        inbox.propose({ messageId, pathwayId: p.pathwayId, event: p.event, clinic: p.clinic, createdAt, accepted: p.accepted, refusal: p.refusal });
      }
      return { outcome, detail };
    }, { durable: true }); // AA is a promise the sender relies on: it will not send the message again
  }

  /** The open pathways of the patient `ids` names; more than a patient could have is refused (AE), not taken. */
  private openPathways(ids: PatientIds, msg: InboundMessage, field: string): OpenPathway[] {
    const rows = this.store.rows.openForPatient(ids, MAX_OPEN_PATHWAYS + 1);
    if (rows.length > MAX_OPEN_PATHWAYS) {
      throw new Hl7Refusal('AE', `${field}: the patient matches more than ${MAX_OPEN_PATHWAYS} open pathways, more than one patient has; nothing was done: check the patient's records`, msg.header);
    }
    return rows.map((row) => ({ pathwayId: row.pathway_id, version: row.version, state: stateFromRow(row) }));
  }
}

const DETAIL_WORDS: Record<string, string> = { nhsNumber: 'NHS number', patientName: 'name', dateOfBirth: 'date of birth', localPatientId: 'hospital number' };

function describeApplied(event: PathwayEvent): string {
  if (event.type !== 'patient_details_updated') return `${event.type} applied`;
  const fields = Object.keys(DETAIL_WORDS).filter((k) => k in event).map((k) => DETAIL_WORDS[k]);
  return `the patient's ${fields.join(', ')} ${event.reason === 'merge' ? 'taken from the surviving record (merge)' : 'corrected'}`;
}

function record(raw: string, header: Header, patient: PatientIds | null, at: Date, outcome: MessageOutcome, detail: string, ackCode: AckCode): NewMessage {
  return {
    receivedAt: at.toISOString(), sendingApplication: header.sendingApplication, sendingFacility: header.sendingFacility, controlId: header.controlId,
    messageType: header.messageType, nhsNumber: patient?.nhsNumber ?? null, localPatientId: patient?.localPatientId ?? null,
    outcome, detail, ackCode, raw,
  };
}

/** A resend is the same message whatever its line endings or trailing blanks. */
function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\r\n|\n/g, '\r').replace(/\s+$/, '');
  return norm(a) === norm(b);
}

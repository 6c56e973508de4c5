// Messages in, acknowledgements out. A message, what it led to (events applied at once, proposals
// for the inbox, bookings a clinic's rule accepted) and its outcome are written in ONE transaction,
// synced to disk, so AA is only answered once all of it is durably stored; messages that arrive
// together are taken in one such transaction (a group commit: one sync for all of them). A message
// refused writes nothing but its own record, and if the database fails nothing at all is written.
// A resent message (same sending application and control id, MSH-3 and MSH-10) is answered as the
// first time and adds nothing.
import { AppError } from '../errors.ts';
import type { PathwayEvent } from '../vocabulary/events.ts';
import { type WallClock, today } from '../wall-clock.ts';
import type { EventSource } from '../store/event-log.ts';
import type { MessageOutcome, NewMessage } from '../store/inbox.ts';
import { stateFromRow } from '../store/pathway-row.ts';
import type { Store } from '../store/store.ts';
import type { PathwayCommands } from '../pathways/commands.ts';
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

/** A message as first read: its header, or why it is refused before anything else (`header` too when that much could be read). */
interface Read {
  raw: string;
  header?: Header;
  refusal?: Hl7Refusal;
}

/** The store's modules the feed uses: the unit of work, the inbox and the pathway rows. */
export type FeedModels = Pick<Store, 'unitOfWork' | 'inbox' | 'rows'>;

export class Hl7Feed {
  private readonly store: FeedModels;

  constructor(
    store: FeedModels,
    private readonly commands: PathwayCommands,
    private readonly clock: WallClock,
  ) {
    this.store = store;
  }

  /** One message; never throws: every failure is an AE or AR answer. */
  receive(raw: string): Receipt {
    return this.receiveAll([raw])[0]!;
  }

  /** Messages that arrived together, in order, taken in one transaction synced to disk; one answer each, in the same order. */
  receiveAll(raws: readonly string[]): Receipt[] {
    const at = this.clock.now();
    const read = raws.map((raw): Read => {
      try {
        return { raw, header: readHeader(raw) };
      } catch (err) {
        const refusal = err instanceof Hl7Refusal ? err : new Hl7Refusal('AR', 'the message could not be read');
        return { raw, header: refusal.header, refusal };
      }
    });
    try {
      // AA is a promise the sender relies on (it will not send the message again): synced to disk first.
      const { unitOfWork } = this.store;
      return unitOfWork(() => read.map((r) => this.take(r, at)), { durable: true });
    } catch (err) {
      // The database could not take them (busy, full, gone): nothing was written; the sender may send them again.
      const reason = err instanceof Error ? err.message : 'unknown error';
      return read.map((r) =>
        r.header && !r.refusal
          ? answer('AE', `not stored (${reason}): nothing was done; send the message again`, r.header, at, 'not_kept')
          : answer(r.refusal!.ack, r.refusal!.message, r.header, at, 'not_kept'),
      );
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
    return answer(
      'AR',
      `the message is larger than ${limit} bytes: refused unread`,
      header,
      this.clock.now(),
      'not_kept',
    );
  }

  /** One message, inside the batch's transaction. */
  private take({ raw, header, refusal }: Read, at: Date): Receipt {
    const { inbox } = this.store;
    if (!header) return answer(refusal!.ack, refusal!.message, undefined, at, 'not_kept'); // no control id to keep it by
    const earlier = inbox.earlier(header.sendingApplication, header.controlId);
    if (earlier) {
      if (inbox.sameMessage(earlier, raw)) return answer(earlier.ackCode, earlier.detail, header, at, 'resent');
      const text = `MSH-10: control id ${header.controlId} from ${header.sendingApplication || 'this sender'} was already used for a different message (received ${earlier.receivedAt}); nothing was done`;
      return answer('AR', text, header, at, 'not_kept');
    }
    try {
      if (refusal) throw refusal;
      const { outcome, detail } = this.apply(parseMessage(raw), at);
      return answer('AA', detail, header, at, outcome);
    } catch (err) {
      if (!(err instanceof Hl7Refusal)) throw err;
      // Refused: kept with the reason, so that a resend is answered alike.
      inbox.keep(record(raw, header, null, at, 'error', err.message, err.ack));
      return answer(err.ack, err.message, header, at, 'error');
    }
  }

  /** What the message leads to, written, and its record; throws Hl7Refusal before writing anything. */
  private apply(msg: InboundMessage, at: Date): { outcome: MessageOutcome; detail: string } {
    const { inbox } = this.store;
    const { commands } = this;
    const pathways = this.openPathways(msg.patient, msg, 'PID-3');
    const merged = msg.prior ? this.openPathways(msg.prior, msg, 'MRG-1') : [];
    const plan = interpret(msg, pathways, merged, {
      today: today(this.clock),
      autoAcceptsBookings: (clinic) => inbox.autoAcceptsBookings(clinic),
    });
    const source: EventSource = {
      feed: 'hl7',
      sendingApplication: msg.header.sendingApplication,
      sendingFacility: msg.header.sendingFacility,
      messageControlId: msg.header.controlId,
    };
    const notes = plan.notes;
    let applied = 0;
    for (const a of plan.apply) {
      try {
        commands.append(a.pathwayId, a.expectedVersion, a.event, {
          actor: `hl7:${source.sendingApplication || 'feed'}`,
          source,
        });
        applied++;
        notes.push(`${a.pathwayId}: ${describeApplied(a.event)}`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        notes.push(`${a.pathwayId}: ${a.event.type} not applied: ${err.message}`);
      }
    }
    // Bookings a clinic's rule accepts are appended first, so the message's record can say so.
    const proposals = plan.propose
      .filter((p) => {
        if (!inbox.isOpen(p.pathwayId, p.event)) return true;
        notes.push(`${p.pathwayId}: ${p.event.type} already proposed and waiting`);
        return false;
      })
      .map((p) => {
        if (!p.autoAccept) return { ...p, accepted: undefined, refusal: undefined };
        const by = `rule:clinic ${p.clinic}`;
        try {
          const result = commands.append(p.pathwayId, p.expectedVersion, p.event, { actor: by, source });
          notes.push(`${p.pathwayId}: ${p.event.type} accepted by the rule for clinic ${p.clinic}`);
          return { ...p, accepted: { by, eventId: result.eventId }, refusal: undefined };
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          notes.push(
            `${p.pathwayId}: ${p.event.type} proposed (the rule for clinic ${p.clinic} could not accept it: ${err.message})`,
          );
          return { ...p, accepted: undefined, refusal: err.message };
        }
      });
    for (const p of proposals) if (!p.accepted && !p.refusal) notes.push(`${p.pathwayId}: ${p.event.type} proposed`);
    const open = proposals.filter((p) => !p.accepted).length;
    const outcome: MessageOutcome = open > 0 ? 'proposed' : applied > 0 || proposals.length > 0 ? 'applied' : 'kept';
    const detail = notes.join('; ');
    const messageId = inbox.keep(record(msg.raw, msg.header, msg.patient, at, outcome, detail, 'AA'));
    for (const p of proposals) {
      inbox.propose({
        messageId,
        pathwayId: p.pathwayId,
        event: p.event,
        clinic: p.clinic,
        createdAt: at.toISOString(),
        accepted: p.accepted,
        refusal: p.refusal,
      });
    }
    return { outcome, detail };
  }

  /** The open pathways of the patient `ids` names; more than a patient could have is refused (AE), not taken. */
  private openPathways(ids: PatientIds, msg: InboundMessage, field: string): OpenPathway[] {
    const { rows: pathwayRows } = this.store;
    const rows = pathwayRows.openForPatient(ids, MAX_OPEN_PATHWAYS + 1);
    if (rows.length > MAX_OPEN_PATHWAYS) {
      throw new Hl7Refusal(
        'AE',
        `${field}: the patient matches more than ${MAX_OPEN_PATHWAYS} open pathways, more than one patient has; nothing was done: check the patient's records`,
        msg.header,
      );
    }
    return rows.map((row) => ({ pathwayId: row.pathway_id, version: row.version, state: stateFromRow(row) }));
  }
}

function answer(
  code: AckCode,
  text: string,
  header: Header | undefined,
  at: Date,
  outcome: Receipt['outcome'],
): Receipt {
  return {
    ack: ack(code, text, header, at),
    code,
    controlId: header?.controlId ?? null,
    messageType: header?.messageType ?? null,
    outcome,
  };
}

const DETAIL_WORDS: Record<string, string> = {
  nhsNumber: 'NHS number',
  patientName: 'name',
  dateOfBirth: 'date of birth',
  localPatientId: 'hospital number',
  sex: 'sex', // issue #27
  ethnicCategory: 'ethnic category',
  postcode: 'postcode',
};

function describeApplied(event: PathwayEvent): string {
  if (event.type !== 'patient_details_updated') return `${event.type} applied`;
  const fields = Object.keys(DETAIL_WORDS)
    .filter((k) => k in event)
    .map((k) => DETAIL_WORDS[k]);
  return `the patient's ${fields.join(', ')} ${event.reason === 'merge' ? 'taken from the surviving record (merge)' : 'corrected'}`;
}

function record(
  raw: string,
  header: Header,
  patient: PatientIds | null,
  at: Date,
  outcome: MessageOutcome,
  detail: string,
  ackCode: AckCode,
): NewMessage {
  return {
    receivedAt: at.toISOString(),
    sendingApplication: header.sendingApplication,
    sendingFacility: header.sendingFacility,
    controlId: header.controlId,
    messageType: header.messageType,
    nhsNumber: patient?.nhsNumber ?? null,
    localPatientId: patient?.localPatientId ?? null,
    outcome,
    detail,
    ackCode,
    raw,
  };
}

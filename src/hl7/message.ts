// An HL7 v2 message from the hospital's PAS, read into the few facts OpenPTL uses. node-hl7-client
// parses it (segments, fields, repetitions, components, escapes); this module checks the header
// itself first, so that even a message the library cannot read is answered naming its control id.
// Pure: no I/O, no clock.
import { Message } from 'node-hl7-client';
import { isIsoDate, type IsoDate } from '../vocabulary/calendar.ts';
import { localPatientId as localPatientIdSchema } from '../vocabulary/events.ts';
import { normaliseNhsNumber } from '../vocabulary/nhs-number.ts';
import { ETHNIC_CATEGORIES, normalisePostcode, type EthnicCategory, type SexCode } from '../vocabulary/equality.ts';

/** The message types taken, by message code (MSH-9.1) and trigger event (MSH-9.2). */
export const TAKEN = {
  ADT: ['A03', 'A04', 'A08', 'A28', 'A31', 'A40'],
  SIU: ['S12', 'S13', 'S14', 'S15', 'S26'],
} as const;
export type MessageCode = keyof typeof TAKEN;
export type Trigger = (typeof TAKEN)[MessageCode][number];

export const TAKEN_TYPES = Object.entries(TAKEN).flatMap(([code, triggers]) => triggers.map((t) => `${code}^${t}`));

/** MSH, read by hand so that any message with a header can be answered by its control id. */
export interface Header {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-10: with MSH-3, what makes a message the same message when it is sent again. */
  controlId: string;
  /** MSH-9 as code^trigger, e.g. SIU^S12. */
  messageType: string;
  version: string;
  /** MSH-7's date, as the sender wrote it (local time in England); '' when it cannot be read (the message is refused). */
  sentOn: IsoDate | '';
}

/** A header taken: its date read. */
export type TakenHeader = Header & { sentOn: IsoDate };

export interface PatientIds {
  /** PID-3 (or MRG-1) of identifier type NH, when its check digit holds. */
  nhsNumber: string | null;
  /** The hospital's own number: PID-3 (or MRG-1) of type PI or MR. */
  localPatientId: string | null;
}

export interface InboundMessage {
  raw: string;
  header: TakenHeader;
  code: MessageCode;
  trigger: Trigger;
  /** EVN-6 (event occurred), else EVN-2 (recorded). */
  eventOn: IsoDate | null;
  patient: PatientIds & {
    name: string | null;
    dateOfBirth: IsoDate | null;
    deathOn: IsoDate | null;
    /** Issue #27: PID-8 as a person stated gender code, PID-22 (ethnic category), PID-11.5 (postcode). */
    sex?: SexCode | null;
    ethnicCategory?: EthnicCategory | null;
    postcode?: string | null;
  };
  /** MRG-1, the record merged away (A40). */
  prior: PatientIds | null;
  /** SIU: the appointment's start (SCH-11.4, else AIS-4, AIL-6 or AIG-8), clinic (AIL-3, AIG-3, else PV1-3) and reason (SCH-6). */
  appointment: { on: IsoDate | null; clinic: string | null; reason: string | null } | null;
  /** ADT: the clinic (PV1-3) and the attendance's date (PV1-44, else the event's). */
  visit: { clinic: string | null; on: IsoDate | null } | null;
  /** Fields present but unusable, in words (they are left out, and said so in the answer). */
  notes: string[];
}

/**
 * A message OpenPTL will not take: AR (rejected: cannot or will not be processed, do not resend
 * as it is) or AE (an error in its content). `header` when the MSH could be read.
 */
export class Hl7Refusal extends Error {
  constructor(
    readonly ack: 'AR' | 'AE',
    message: string,
    readonly header?: Header,
  ) {
    super(message);
  }
}

const MAX_CONTROL_ID = 64;
const ENCODING_CHARACTERS = ['^~\\&', '^~\\&#']; // the second with v2.7's truncation character

/** The message's text: UTF-8, or ISO 8859-1 (which English PAS systems also send) when the bytes are not UTF-8. */
export function decodeMessage(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Segments as the parser wants them: CR between them (files and some senders use LF or CRLF). */
function segmentsOf(raw: string): string[] {
  return raw.split(/\r\n|\r|\n/).filter((s) => s.trim() !== '');
}

/** The header, checked; throws Hl7Refusal (AR) naming the field at fault. */
export function readHeader(raw: string): TakenHeader {
  const msh = segmentsOf(raw)[0] ?? '';
  if (!msh.startsWith('MSH')) throw new Hl7Refusal('AR', 'the message must begin with an MSH segment');
  if (msh[3] !== '|')
    throw new Hl7Refusal('AR', `MSH-1: the field separator must be | (got ${JSON.stringify(msh[3] ?? '')})`);
  const f = msh.split('|'); // f[n] is MSH-(n+1): MSH-1 is the separator itself
  const field = (n: number) => (f[n - 1] ?? '').trim();
  const first = (n: number) => field(n).split('^')[0]!.trim();
  if (!ENCODING_CHARACTERS.includes(field(2)))
    throw new Hl7Refusal('AR', `MSH-2: the encoding characters must be ^~\\& (got ${JSON.stringify(field(2))})`);
  const [code = '', trigger = ''] = field(9)
    .split('^')
    .map((s) => s.trim());
  const header: Header = {
    sendingApplication: first(3),
    sendingFacility: first(4),
    receivingApplication: first(5),
    receivingFacility: first(6),
    controlId: field(10),
    messageType: `${code}^${trigger}`,
    version: first(12),
    sentOn: hl7Date(field(7)) ?? '',
  };
  if (!header.controlId) throw new Hl7Refusal('AR', 'MSH-10: the message control id is missing');
  if (header.controlId.length > MAX_CONTROL_ID || /[^\x21-\x7e]/.test(header.controlId)) {
    throw new Hl7Refusal('AR', `MSH-10: the message control id must be at most ${MAX_CONTROL_ID} printable characters`);
  }
  const refuse = (message: string) => new Hl7Refusal('AR', message, header);
  if (!/^2\.\d/.test(header.version))
    throw refuse(`MSH-12: OpenPTL takes HL7 version 2 (got ${JSON.stringify(header.version)})`);
  const processing = first(11);
  if (processing !== '' && processing !== 'P')
    throw refuse(`MSH-11: processing id ${processing}: OpenPTL takes production messages (P) only`);
  if (!TAKEN_TYPES.includes(header.messageType))
    throw refuse(`MSH-9: message type ${header.messageType} is not taken; OpenPTL takes ${TAKEN_TYPES.join(', ')}`);
  if (header.sentOn === '')
    throw refuse(`MSH-7: the message date/time must be YYYYMMDD[HHMM[SS]] (got ${JSON.stringify(field(7))})`);
  return { ...header, sentOn: header.sentOn };
}

/** An HL7 date or date/time (YYYYMMDD...) as an ISO date, or null. */
/** HL7 administrative sex (table 0001) as a person stated gender code: U (unknown) is X; others have none. */
const SEX_OF_HL7: Record<string, SexCode> = { M: '1', F: '2', U: 'X', '1': '1', '2': '2', '9': '9', X: 'X' };

/**
 * Issue #27: the equality details a PID carries: PID-8 (sex), PID-22 (ethnic group, the NHS ethnic
 * category code; HES's X for not known is 99) and PID-11.5 (postcode). Absent fields are left out;
 * present but unusable ones are left out and noted (the value itself is not echoed: it is the patient's).
 */
function equalityOf(
  text: (path: string) => string,
  notes: string[],
): { sex?: SexCode; ethnicCategory?: EthnicCategory; postcode?: string } {
  const out: { sex?: SexCode; ethnicCategory?: EthnicCategory; postcode?: string } = {};
  const sex = text('PID.8.1').toUpperCase();
  if (sex !== '') {
    if (SEX_OF_HL7[sex]) out.sex = SEX_OF_HL7[sex];
    else notes.push('PID-8: the sex is not M, F, U or a person stated gender code, left out');
  }
  const ethnic = text('PID.22.1').toUpperCase();
  if (ethnic !== '') {
    const code = ethnic === 'X' || ethnic === '9' ? '99' : ethnic.length === 2 && ethnic !== '99' ? ethnic[0]! : ethnic;
    if (code in ETHNIC_CATEGORIES) out.ethnicCategory = code as EthnicCategory;
    else notes.push('PID-22: not an NHS ethnic category code, left out');
  }
  const postcode = text('PID.11.5');
  if (postcode !== '') {
    const normalised = normalisePostcode(postcode);
    if (normalised) out.postcode = normalised;
    else notes.push('PID-11.5: not a UK postcode, left out');
  }
  return out;
}

export function hl7Date(value: string): IsoDate | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  return isIsoDate(date) ? date : null;
}

/** Reads a whole message; throws Hl7Refusal (AR for its structure, AE for its content). */
export function parseMessage(raw: string): InboundMessage {
  const header = readHeader(raw);
  const [code, trigger] = header.messageType.split('^') as [MessageCode, Trigger];
  let m: Message;
  try {
    m = new Message({ text: segmentsOf(raw).join('\r') });
  } catch (err) {
    throw new Hl7Refusal('AR', `the message could not be read: ${(err as Error).message}`, header);
  }
  const notes: string[] = [];
  const text = (path: string) => m.get(path).toString().trim();
  const date = (path: string) => {
    const value = text(path);
    const d = hl7Date(value);
    if (value !== '' && d === null)
      notes.push(`${path.replace(/\.(\d+)/, '-$1')}: ${JSON.stringify(value)} is not a date, left out`);
    return d;
  };
  const idsOf = (path: string): PatientIds => {
    const ids: PatientIds = { nhsNumber: null, localPatientId: null };
    m.get(path).forEach((rep) => {
      const id = rep.get(0).toString().trim();
      const type = rep.get(4).toString().trim().toUpperCase();
      if (id === '') return;
      if (type === 'NH' && ids.nhsNumber === null) {
        ids.nhsNumber = normaliseNhsNumber(id);
        if (ids.nhsNumber === null)
          notes.push(`${path.replace('.', '-')}: the NHS number fails its check digit, left out`);
      } else if ((type === 'PI' || type === 'MR') && ids.localPatientId === null) {
        const local = localPatientIdSchema.safeParse(id);
        if (local.success) ids.localPatientId = local.data;
        else
          notes.push(
            `${path.replace('.', '-')}: the hospital number ${local.error.issues[0]?.message ?? 'is not valid'}, left out`,
          );
      }
    });
    return ids;
  };

  if (!m.exists('PID')) throw new Hl7Refusal('AR', `PID: the ${header.messageType} message has no PID segment`, header);
  const ids = idsOf('PID.3');
  if (!ids.nhsNumber && !ids.localPatientId) {
    throw new Hl7Refusal(
      'AE',
      'PID-3: no usable patient identifier (an NHS number of type NH, or a hospital number of type PI or MR)',
      header,
    );
  }
  const family = text('PID.5.1');
  const given = text('PID.5.2');
  const message: InboundMessage = {
    raw,
    header,
    code,
    trigger,
    eventOn: m.exists('EVN') ? (date('EVN.6.1') ?? date('EVN.2.1')) : null,
    patient: {
      ...ids,
      name: [given, family].filter(Boolean).join(' ') || null,
      dateOfBirth: date('PID.7.1'),
      deathOn: date('PID.29.1'),
      ...equalityOf(text, notes),
    },
    prior: null,
    appointment: null,
    visit: null,
    notes,
  };
  if (trigger === 'A40') {
    if (!m.exists('MRG'))
      throw new Hl7Refusal('AR', 'MRG: an A40 merge must have an MRG segment naming the record merged away', header);
    message.prior = idsOf('MRG.1');
    if (!message.prior.nhsNumber && !message.prior.localPatientId)
      throw new Hl7Refusal('AE', 'MRG-1: no usable identifier of the record merged away (type NH, PI or MR)', header);
  }
  if (code === 'SIU') {
    if (!m.exists('SCH'))
      throw new Hl7Refusal('AR', `SCH: the ${header.messageType} message has no SCH segment`, header);
    const on = date('SCH.11.4') ?? date('AIS.4.1') ?? date('AIL.6.1') ?? date('AIG.8.1');
    if (on === null)
      throw new Hl7Refusal('AE', 'SCH-11.4: the appointment has no start date (nor AIS-4, AIL-6 or AIG-8)', header);
    const clinic = text('AIL.3.1') || text('AIG.3.1') || text('PV1.3.1') || null;
    message.appointment = { on, clinic, reason: text('SCH.6.1').toUpperCase() || null };
  }
  if (code === 'ADT' && m.exists('PV1')) {
    message.visit = { clinic: text('PV1.3.1') || null, on: date('PV1.44.1') };
  }
  return message;
}

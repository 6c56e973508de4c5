// The inbound feed's tables (issue #17): every message received from the hospital's PAS, kept
// verbatim with what became of it (append-only, like events, but for the purge below); the
// trackers' inbox of events those messages suggest; and the clinics whose bookings are accepted
// without a tracker. SQL only: what a message means is src/hl7/interpret.ts, and accepting a
// proposal goes through the store's write path. A message that matched no open pathway is kept
// verbatim for the trust's number of days, then purged to its header and the hash of its text
// (issue #25; db/migrations/052): a resend is still known by the hash.
import { createHash } from 'node:crypto';
import type { Db } from './db.ts';
import { statementCache } from './db.ts';
import { IN_SCOPE, scopeParam } from './pathway-providers.ts';
import type { Scope } from '../auth/roles.ts';

export type MessageOutcome = 'applied' | 'proposed' | 'kept' | 'error';
export type AckCode = 'AA' | 'AE' | 'AR';
export type ProposalStatus = 'proposed' | 'accepted' | 'rejected';

/** A message as kept: the raw text exactly as received, and what was done with it. */
export interface KeptMessage {
  messageId: number;
  receivedAt: string;
  sendingApplication: string;
  sendingFacility: string;
  controlId: string;
  messageType: string;
  nhsNumber: string | null;
  localPatientId: string | null;
  outcome: MessageOutcome;
  detail: string;
  ackCode: AckCode;
  /** The text as received; once purged, its header (MSH segment) only. */
  raw: string;
  /** When its text was removed after the retention period (issue #25); null while kept whole. */
  purgedAt: string | null;
}

export type NewMessage = Omit<KeptMessage, 'messageId' | 'purgedAt'>;

/** The text a message is compared by: a resend is the same message whatever its line endings or trailing blanks. */
const normalised = (raw: string) => raw.replace(/\r\n|\n/g, '\r').replace(/\s+$/, '');
const textHash = (raw: string) => createHash('sha256').update(normalised(raw)).digest('hex');
/** A message's header: its first segment (MSH), which names no patient. */
const headerOf = (raw: string) => /^[^\r\n]*/.exec(raw)![0];

export interface Proposal {
  proposalId: number;
  messageId: number;
  pathwayId: string;
  /** The event the message suggests (JSON of the vocabulary). */
  event: Record<string, unknown> & { type: string; on: string };
  clinic: string | null;
  status: ProposalStatus;
  /** Why the last try to accept it was refused; it stays proposed. */
  refusal: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Why a tracker rejected it. */
  reason: string | null;
  /** The event it became, once accepted. */
  eventId: string | null;
  createdAt: string;
}

/** An open proposal as the inbox lists it: with its message and its pathway as they now stand. */
export interface InboxEntry extends Proposal {
  message: { messageType: string; controlId: string; sendingApplication: string; receivedAt: string };
  pathway: {
    version: number;
    stage: string;
    status: string;
    tumourSite: string;
    nhsNumber: string;
    patientName: string | null;
    dateOfBirth: string | null;
    localPatientId: string | null;
  } | null;
}

export interface InboxRule {
  clinic: string;
  autoAcceptBookings: boolean;
  setBy: string;
  setAt: string;
}

export interface MessageSearch {
  nhsNumber?: string;
  localPatientId?: string;
  controlId?: string;
  messageType?: string;
  outcome?: MessageOutcome;
  /** Messages received before this message id (the next page). */
  before?: number;
  limit?: number;
}

interface MessageRow {
  message_id: number;
  received_at: string;
  sending_application: string;
  sending_facility: string;
  control_id: string;
  message_type: string;
  nhs_number: string | null;
  local_patient_id: string | null;
  outcome: MessageOutcome;
  detail: string;
  ack_code: AckCode;
  raw: string;
  purged_at: string | null;
}
interface ProposalRow {
  proposal_id: number;
  message_id: number;
  pathway_id: string;
  event: string;
  clinic: string | null;
  status: ProposalStatus;
  refusal: string | null;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  event_id: string | null;
  created_at: string;
}

const messageOf = (r: MessageRow): KeptMessage => ({
  messageId: r.message_id,
  receivedAt: r.received_at,
  sendingApplication: r.sending_application,
  sendingFacility: r.sending_facility,
  controlId: r.control_id,
  messageType: r.message_type,
  nhsNumber: r.nhs_number,
  localPatientId: r.local_patient_id,
  outcome: r.outcome,
  detail: r.detail,
  ackCode: r.ack_code,
  raw: r.raw,
  purgedAt: r.purged_at,
});
const proposalOf = (r: ProposalRow): Proposal => ({
  proposalId: r.proposal_id,
  messageId: r.message_id,
  pathwayId: r.pathway_id,
  event: JSON.parse(r.event) as Proposal['event'],
  clinic: r.clinic,
  status: r.status,
  refusal: r.refusal,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  reason: r.reason,
  eventId: r.event_id,
  createdAt: r.created_at,
});

export const INBOX_PAGE_MAX = 500;

export class Inbox {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  // ---- messages ------------------------------------------------------------------------------

  /** The message kept under this sender's control id (MSH-3, MSH-10), if one was. */
  earlier(sendingApplication: string, controlId: string): KeptMessage | undefined {
    const row = this.sql('SELECT * FROM inbound_messages WHERE sending_application = ? AND control_id = ?').get(
      sendingApplication,
      controlId,
    ) as MessageRow | undefined;
    return row && messageOf(row);
  }

  /** True when `raw` is the message kept (a resend): by its text, or once purged by the hash of it. */
  sameMessage(kept: KeptMessage, raw: string): boolean {
    if (kept.purgedAt === null) return normalised(kept.raw) === normalised(raw);
    const hash = this.sql('SELECT raw_sha256 FROM inbound_messages WHERE message_id = ?').pluck().get(kept.messageId);
    return hash === textHash(raw);
  }

  /**
   * Purges the messages that matched no open pathway (kept, or refused) received before `before`:
   * each cut to its header, its patient identifiers cleared, the hash of its text kept. In
   * transactions of a thousand; returns how many. The cut-off is noted first (the table's trigger
   * allows nothing older to be changed, and only so).
   */
  purge(before: string, at: string): number {
    const due = this.sql(
      "SELECT message_id, raw FROM inbound_messages WHERE purged_at IS NULL AND outcome IN ('kept', 'error') AND received_at < ? ORDER BY message_id LIMIT 1000",
    );
    const update = this.sql(
      'UPDATE inbound_messages SET raw = ?, raw_sha256 = ?, nhs_number = NULL, local_patient_id = NULL, purged_at = ? WHERE message_id = ?',
    );
    let purged = 0;
    for (;;) {
      const batch = this.db
        .transaction(() => {
          this.sql(
            "INSERT INTO meta (key, value) VALUES ('inbound_purged_before', @before) ON CONFLICT (key) DO UPDATE SET value = max(value, @before)",
          ).run({ before });
          const rows = due.all(before) as { message_id: number; raw: string }[];
          for (const r of rows) update.run(headerOf(r.raw), textHash(r.raw), at, r.message_id);
          return rows.length;
        })
        .immediate();
      purged += batch;
      if (batch < 1000) return purged;
    }
  }

  /** Keeps a message with its outcome (in the caller's transaction); returns its id. */
  keep(m: NewMessage): number {
    const result = this.sql(
      `INSERT INTO inbound_messages (received_at, sending_application, sending_facility, control_id, message_type, nhs_number, local_patient_id, outcome, detail, ack_code, raw)
      VALUES (@receivedAt, @sendingApplication, @sendingFacility, @controlId, @messageType, @nhsNumber, @localPatientId, @outcome, @detail, @ackCode, @raw)`,
    ).run(m);
    return Number(result.lastInsertRowid);
  }

  message(messageId: number): KeptMessage | undefined {
    const row = this.sql('SELECT * FROM inbound_messages WHERE message_id = ?').get(messageId) as
      MessageRow | undefined;
    return row && messageOf(row);
  }

  /** Kept messages, newest first, by patient, control id, type or outcome. */
  search(q: MessageSearch): { messages: KeptMessage[]; nextBefore: number | null } {
    const where: string[] = [];
    if (q.nhsNumber !== undefined) where.push('nhs_number = @nhsNumber');
    if (q.localPatientId !== undefined) where.push('local_patient_id = @localPatientId');
    if (q.controlId !== undefined) where.push('control_id = @controlId');
    if (q.messageType !== undefined) where.push('message_type = @messageType');
    if (q.outcome !== undefined) where.push('outcome = @outcome');
    if (q.before !== undefined) where.push('message_id < @before');
    const limit = Math.min(q.limit ?? 50, INBOX_PAGE_MAX);
    const params = Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'limit' && v !== undefined));
    const rows = this.sql(
      `SELECT * FROM inbound_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY message_id DESC LIMIT ${limit + 1}`,
    ).all(params) as MessageRow[];
    const page = rows.slice(0, limit).map(messageOf);
    return { messages: page, nextBefore: rows.length > limit ? page[page.length - 1]!.messageId : null };
  }

  messageCount(): number {
    return this.sql('SELECT count(*) FROM inbound_messages').pluck().get() as number;
  }

  // ---- proposals -----------------------------------------------------------------------------

  /** A new proposal: open, or already accepted by a clinic's rule (`accepted`), or open with the rules' refusal of that. */
  propose(p: {
    messageId: number;
    pathwayId: string;
    event: object;
    clinic: string | null;
    createdAt: string;
    accepted?: { by: string; eventId: string };
    refusal?: string;
  }): number {
    const result = this.sql(
      `INSERT INTO inbox_proposals (message_id, pathway_id, event, clinic, status, refusal, decided_by, decided_at, event_id, created_at)
      VALUES (@messageId, @pathwayId, @event, @clinic, @status, @refusal, @decidedBy, @decidedAt, @eventId, @createdAt)`,
    ).run({
      messageId: p.messageId,
      pathwayId: p.pathwayId,
      event: JSON.stringify(p.event),
      clinic: p.clinic,
      createdAt: p.createdAt,
      status: p.accepted ? 'accepted' : 'proposed',
      refusal: p.refusal ?? null,
      decidedBy: p.accepted?.by ?? null,
      decidedAt: p.accepted ? p.createdAt : null,
      eventId: p.accepted?.eventId ?? null,
    });
    return Number(result.lastInsertRowid);
  }

  /** Whether the same event is already proposed for the pathway and still open (a message repeating an earlier one's news). */
  isOpen(pathwayId: string, event: object): boolean {
    return (
      this.sql("SELECT 1 FROM inbox_proposals WHERE pathway_id = ? AND event = ? AND status = 'proposed'")
        .pluck()
        .get(pathwayId, JSON.stringify(event)) !== undefined
    );
  }

  proposal(proposalId: number): Proposal | undefined {
    const row = this.sql('SELECT * FROM inbox_proposals WHERE proposal_id = ?').get(proposalId) as
      ProposalRow | undefined;
    return row && proposalOf(row);
  }

  /** The proposals a message made, in the order made. */
  ofMessage(messageId: number): Proposal[] {
    return (
      this.sql('SELECT * FROM inbox_proposals WHERE message_id = ? ORDER BY proposal_id').all(
        messageId,
      ) as ProposalRow[]
    ).map(proposalOf);
  }

  /** How many proposals wait for a tracker (the count in the dashboard's header), within a scope when given. */
  openCount(scope: Scope = null): number {
    if (scope === null)
      return this.sql("SELECT count(*) FROM inbox_proposals WHERE status = 'proposed'").pluck().get() as number;
    return this.sql(`SELECT count(*) FROM inbox_proposals WHERE status = 'proposed' AND ${IN_SCOPE}`)
      .pluck()
      .get({ scope: scopeParam(scope) }) as number;
  }

  /** Open proposals, oldest first, with their message and their pathway as it now stands (within a scope when given). */
  open(limit = 100, after = 0, scope: Scope = null): InboxEntry[] {
    const within = scope === null ? '' : `AND p.${IN_SCOPE}`;
    const rows = this.sql(
      `SELECT p.*, m.message_type, m.control_id, m.sending_application, m.received_at,
        w.version AS pathway_version, w.stage, w.status AS pathway_status, w.tumour_site, w.nhs_number, w.patient_name,
        w.date_of_birth, w.local_patient_id
      FROM inbox_proposals p JOIN inbound_messages m USING (message_id) LEFT JOIN pathways w ON w.pathway_id = p.pathway_id
      WHERE p.status = 'proposed' AND p.proposal_id > @after ${within} ORDER BY p.proposal_id LIMIT @limit`,
    ).all({
      after,
      limit: Math.min(limit, INBOX_PAGE_MAX),
      ...(scope === null ? {} : { scope: scopeParam(scope) }),
    }) as (ProposalRow & {
      message_type: string;
      control_id: string;
      sending_application: string;
      received_at: string;
      pathway_version: number | null;
      stage: string;
      pathway_status: string;
      tumour_site: string;
      nhs_number: string;
      patient_name: string | null;
      date_of_birth: string | null;
      local_patient_id: string | null;
    })[];
    return rows.map((r) => ({
      ...proposalOf(r),
      message: {
        messageType: r.message_type,
        controlId: r.control_id,
        sendingApplication: r.sending_application,
        receivedAt: r.received_at,
      },
      pathway:
        r.pathway_version === null
          ? null
          : {
              version: r.pathway_version,
              stage: r.stage,
              status: r.pathway_status,
              tumourSite: r.tumour_site,
              nhsNumber: r.nhs_number,
              patientName: r.patient_name,
              dateOfBirth: r.date_of_birth,
              localPatientId: r.local_patient_id,
            },
    }));
  }

  /** Marks an open proposal accepted; false when it was not open any more (decided meanwhile). */
  accepted(proposalId: number, by: string, at: string, eventId: string): boolean {
    return (
      this.sql(
        "UPDATE inbox_proposals SET status = 'accepted', decided_by = ?, decided_at = ?, event_id = ?, refusal = NULL WHERE proposal_id = ? AND status = 'proposed'",
      ).run(by, at, eventId, proposalId).changes === 1
    );
  }

  /** Marks an open proposal rejected; false when it was not open any more. */
  rejected(proposalId: number, by: string, at: string, reason: string): boolean {
    return (
      this.sql(
        "UPDATE inbox_proposals SET status = 'rejected', decided_by = ?, decided_at = ?, reason = ? WHERE proposal_id = ? AND status = 'proposed'",
      ).run(by, at, reason, proposalId).changes === 1
    );
  }

  /** A try to accept that the rules refused: the proposal stays open, with the reason. */
  refused(proposalId: number, refusal: string): void {
    this.sql("UPDATE inbox_proposals SET refusal = ? WHERE proposal_id = ? AND status = 'proposed'").run(
      refusal,
      proposalId,
    );
  }

  // ---- clinic rules --------------------------------------------------------------------------

  rules(): InboxRule[] {
    return (
      this.sql('SELECT clinic, auto_accept_bookings, set_by, set_at FROM inbox_rules ORDER BY clinic').all() as {
        clinic: string;
        auto_accept_bookings: number;
        set_by: string;
        set_at: string;
      }[]
    ).map((r) => ({
      clinic: r.clinic,
      autoAcceptBookings: r.auto_accept_bookings === 1,
      setBy: r.set_by,
      setAt: r.set_at,
    }));
  }

  /** Whether this clinic's bookings are accepted without a tracker. */
  autoAcceptsBookings(clinic: string): boolean {
    return this.sql('SELECT auto_accept_bookings FROM inbox_rules WHERE clinic = ?').pluck().get(clinic) === 1;
  }

  setRule(rule: InboxRule): void {
    this.sql(
      `INSERT INTO inbox_rules (clinic, auto_accept_bookings, set_by, set_at) VALUES (@clinic, @auto, @setBy, @setAt)
      ON CONFLICT (clinic) DO UPDATE SET auto_accept_bookings = @auto, set_by = @setBy, set_at = @setAt`,
    ).run({ clinic: rule.clinic, auto: rule.autoAcceptBookings ? 1 : 0, setBy: rule.setBy, setAt: rule.setAt });
  }

  /** Removes a clinic's rule; false when there was none. */
  deleteRule(clinic: string): boolean {
    return this.sql('DELETE FROM inbox_rules WHERE clinic = ?').run(clinic).changes > 0;
  }
}

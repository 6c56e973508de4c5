// Messages from the PAS that matched no open pathway (issue #28): how many, which, and the link a
// tracker makes from one to the pathway it is for (table inbound_message_links, append-only). What a
// linked message proposes goes to the inbox like any other message's proposals (src/hl7/link.ts).
import { statementCache, type Db } from './db.ts';

/**
 * How the feed records a message for a patient with no open pathway (src/hl7/interpret.ts, "no open
 * pathway for this patient: kept"); test/api/inbox-links.int.test.ts holds the two to each other.
 */
const UNMATCHED = `outcome = 'kept' AND detail LIKE '%no open pathway for this patient: kept%'`;

/** A message that matched no open pathway, as the unmatched list shows it (the raw text, to read it again). */
export interface UnmatchedMessage {
  messageId: number;
  receivedAt: string;
  sendingApplication: string;
  messageType: string;
  controlId: string;
  nhsNumber: string | null;
  localPatientId: string | null;
  raw: string;
}

export interface MessageLink {
  messageId: number;
  pathwayId: string;
  linkedBy: string;
  linkedAt: string;
}

export class MessageLinks {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** How many messages matched no open pathway and are not linked yet. */
  unmatchedCount(): number {
    return this.sql(
      `SELECT count(*) FROM inbound_messages m WHERE ${UNMATCHED} AND NOT EXISTS (SELECT 1 FROM inbound_message_links l WHERE l.message_id = m.message_id)`,
    )
      .pluck()
      .get() as number;
  }

  /** Those messages, newest first. */
  unmatched(limit: number): UnmatchedMessage[] {
    return this.sql(
      `SELECT message_id AS messageId, received_at AS receivedAt, sending_application AS sendingApplication,
        message_type AS messageType, control_id AS controlId, nhs_number AS nhsNumber, local_patient_id AS localPatientId, raw
      FROM inbound_messages m WHERE ${UNMATCHED}
        AND NOT EXISTS (SELECT 1 FROM inbound_message_links l WHERE l.message_id = m.message_id)
      ORDER BY message_id DESC LIMIT ?`,
    ).all(limit) as UnmatchedMessage[];
  }

  /** The message, if it matched no open pathway (linked or not). */
  unmatchedMessage(messageId: number): UnmatchedMessage | undefined {
    return this.sql(
      `SELECT message_id AS messageId, received_at AS receivedAt, sending_application AS sendingApplication,
        message_type AS messageType, control_id AS controlId, nhs_number AS nhsNumber, local_patient_id AS localPatientId, raw
      FROM inbound_messages m WHERE message_id = ? AND ${UNMATCHED}`,
    ).get(messageId) as UnmatchedMessage | undefined;
  }

  linkOf(messageId: number): MessageLink | undefined {
    return this.sql(
      'SELECT message_id AS messageId, pathway_id AS pathwayId, linked_by AS linkedBy, linked_at AS linkedAt FROM inbound_message_links WHERE message_id = ?',
    ).get(messageId) as MessageLink | undefined;
  }

  /** Records the link (in the caller's unit of work). */
  link(l: MessageLink): void {
    this.sql(
      'INSERT INTO inbound_message_links (message_id, pathway_id, linked_by, linked_at) VALUES (@messageId, @pathwayId, @linkedBy, @linkedAt)',
    ).run(l);
  }
}

// One error type for every refusal OpenPTL makes, with a code a program can act on, the field at
// fault and a message a tracker understands. A refusal changes nothing. What a code means to HTTP
// is decided once, in src/api/errors.ts; the CLI turns any AppError into one line and exit 2.

export type ErrorCode =
  | 'invalid_request' // the request's shape: a query parameter, a header, a body that is not an event
  | 'invalid_event' // the event does not match the vocabulary
  | 'invalid_cursor' // a PTL cursor this server did not issue
  | 'unknown_pathway'
  | 'stale_version' // someone else appended first
  | 'not_allowed' // the stage does not allow the event
  | 'pathway_exists' // a referral for a pathway id already in use
  | 'invalid_timeline' // the event cannot stand: dated before the referral, in the future, a guard rail (R18), a bad void
  | 'idempotency_key_reused' // the key was used for a different event
  | 'invalid_user' // a user name, role or password that cannot be accepted
  | 'user_exists'
  | 'unknown_user'
  | 'unauthenticated'
  | 'forbidden'
  | 'too_many_attempts'
  | 'not_found' // no such route
  // ---- access and storage (issue #16) ----
  | 'last_admin' // the change would leave no admin who can sign in
  | 'unknown_token'
  | 'storage_full' // the database's disk (or its size limit) is full: nothing was written
  | 'storage_read_only' // the database cannot be written (a read-only file or disk)
  // ---- workspace (#15) ----
  | 'possible_duplicate' // an open pathway has the same NHS number and tumour site (asked for with checkDuplicates)
  | 'mdt_outcome_recorded' // the MDT's outcome for this patient at this meeting is already recorded
  // ---- national returns (#14) ----
  | 'invalid_return' // a national return that cannot be made: a week ending not a Sunday or not yet ended, a month not begun (issue #14)
  // ---- the inbox (issue #17) ----
  | 'unknown_proposal'
  | 'proposal_decided' // already accepted or rejected
  // ---- roles and scope (issue #25) ----
  | 'out_of_scope' // a pathway (or the whole trust's data) outside the providers the user sees
  | 'password_change_required' // a session signed in with a password too weak to keep: change it first
  // ---- the workspace, second round (issue #28) ----
  | 'message_linked' // a message that matched no pathway, already linked to one
  | 'needs_appointment'; // a missed appointment with no booking on its day: the tracker says which

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Extra facts for the answer (the stage and the allowed events, the current version). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...this.details,
    };
  }
}

// Refusals from the store, each with the HTTP status it maps to. A refusal writes nothing.

export type StoreErrorCode =
  | 'invalid_event' // 400: the event does not match the vocabulary
  | 'unknown_pathway' // 404
  | 'stale_version' // 409: someone else appended first
  | 'not_allowed' // 409: the stage does not allow the event
  | 'pathway_exists' // 409: a referral for a pathway id already in use
  | 'invalid_timeline' // 422: the event cannot stand (dated before the referral, in the future, a bad void)
  | 'idempotency_key_reused'; // 422: the key was used for a different event

const STATUS: Record<StoreErrorCode, 400 | 404 | 409 | 422> = {
  invalid_event: 400,
  unknown_pathway: 404,
  stale_version: 409,
  not_allowed: 409,
  pathway_exists: 409,
  invalid_timeline: 422,
  idempotency_key_reused: 422,
};

export class StoreError extends Error {
  readonly status: 400 | 404 | 409 | 422;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly field?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.field !== undefined ? { field: this.field } : {}), ...this.details };
  }
}

// The refusal of a timeline, or of the event that would extend it. In its own module so that the
// pure checks (guard-rails.ts) can raise it without importing the referral machine.

/** Why a timeline (or the event that would extend it) is refused. */
export class TimelineError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    readonly reason: string,
    /** 'not_allowed': the stage does not allow the event (a conflict); 'invalid': the event cannot stand. */
    readonly kind: 'not_allowed' | 'invalid',
    readonly stage?: string,
    readonly allowed?: string[],
  ) {
    super(`event ${index}: ${field ? `${field} ` : ''}${reason}`);
  }
}

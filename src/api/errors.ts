// What each refusal means to HTTP: the one status map (src/errors.ts has the codes).
import type { ErrorCode } from '../errors.ts';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_event: 400,
  invalid_cursor: 400,
  invalid_user: 400,
  unauthenticated: 401,
  forbidden: 403,
  unknown_pathway: 404,
  unknown_user: 404,
  not_found: 404,
  stale_version: 409,
  not_allowed: 409,
  pathway_exists: 409,
  user_exists: 409,
  invalid_timeline: 422,
  idempotency_key_reused: 422,
  too_many_attempts: 429,
  // ---- access and storage (issue #16) ----
  last_admin: 409,
  unknown_token: 404,
  storage_full: 507,
  storage_read_only: 503,
  // workspace (#15)
  possible_duplicate: 409,
  mdt_outcome_recorded: 409,
  // national returns (#14)
  invalid_return: 422,
  // ---- the inbox (issue #17) ----
  unknown_proposal: 404,
  proposal_decided: 409,
  // ---- roles and scope (issue #25) ----
  out_of_scope: 403,
  password_change_required: 403,
  message_linked: 409, // issue #28
  needs_appointment: 422, // issue #28
};

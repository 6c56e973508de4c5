// Who may do what (issue #25): six roles, each a set of permissions, and a scope of providers per
// user. A route names the one permission it needs and how the user's scope applies to it
// (src/api/route.ts); this table is the only place a role's permissions are written.
export const ROLES = ['viewer', 'steward', 'tracker', 'mdt_coordinator', 'data_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route may need:
 * - `signed_in`: any role (the backlog counts, performance, the lists the filters offer: no patient is named);
 * - `patients`: patient-level data, read only (the PTL, search, a pathway, MDT lists, the inbox);
 * - `record`: events on pathways, new referrals, assignments, the inbox's decisions;
 * - `record_items`: the national items a return lacks (`national_items_added`), or anything `record` may;
 * - `mdt`: MDT meetings, their lists and outcomes;
 * - `returns`: the national returns and their files, and the PAS feed's kept messages' purge;
 * - `code_lists`: the trust's own code lists corrected (a code's words, its confirmation);
 * - `kept_messages`: the PAS feed's messages as received (most are for patients with no cancer pathway);
 * - `admin`: users, tokens, the access log, clinic rules, trust settings.
 */
export const PERMISSIONS = [
  'signed_in',
  'patients',
  'record',
  'record_items',
  'mdt',
  'returns',
  'code_lists',
  'kept_messages',
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Each role's permissions: the one table (docs/security.md shows it; test/auth/roles.unit.test.ts reads both). */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['signed_in'],
  steward: ['signed_in', 'patients'],
  tracker: ['signed_in', 'patients', 'record', 'record_items', 'mdt', 'returns', 'kept_messages'],
  mdt_coordinator: ['signed_in', 'patients', 'mdt'],
  data_manager: ['signed_in', 'patients', 'record_items', 'returns', 'code_lists'],
  admin: [...PERMISSIONS],
};

/** What the user may see: the providers (ODS codes) of their scope, or null for every provider. */
export type Scope = string[] | null;

export interface User {
  userId: number;
  name: string;
  role: Role;
  /** The providers whose pathways this user sees and changes; null: all of them. */
  providers: Scope;
}

export function can(user: Pick<User, 'role'>, permission: Permission): boolean {
  return ROLE_PERMISSIONS[user.role].includes(permission);
}

/** The roles that have a permission, in the table's order ("tracker, admin"). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** An ODS code as a user's scope names it: letters and digits, upper-case (RAJ, RQ8, 7A1). */
export const PROVIDER_CODE = /^[A-Z0-9]{3,10}$/;

/** A scope as given (`RAJ,rq8`), upper-cased, each code checked; null for an empty list. */
export function parseProviders(text: string): string[] | string {
  const codes = [
    ...new Set(
      text
        .split(',')
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  if (codes.length === 0) return 'give at least one provider code (RAJ,RQ8)';
  const bad = codes.find((c) => !PROVIDER_CODE.test(c));
  if (bad) return `${bad} is not a provider's ODS code (3 to 10 letters and digits)`;
  return codes.sort();
}

// Who may do what: viewers read; trackers also record events; admins also manage users.
export const ROLES = ['viewer', 'tracker', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface User {
  userId: number;
  name: string;
  role: Role;
}

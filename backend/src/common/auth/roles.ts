/** Who may do what, lowest first: each role can do everything the ones before it can. */
export const USER_ROLES = ['viewer', 'operator', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** viewer < operator < admin. */
export function roleRank(role: UserRole): number {
  return USER_ROLES.indexOf(role);
}

export function hasRole(actual: UserRole, required: UserRole): boolean {
  return roleRank(actual) >= roleRank(required);
}

export function lowerRole(a: UserRole, b: UserRole): UserRole {
  return roleRank(a) <= roleRank(b) ? a : b;
}

export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);
}

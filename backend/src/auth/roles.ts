import { USER_ROLES, UserRole } from '../config/app-config';

export { USER_ROLES };
export type { UserRole };

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

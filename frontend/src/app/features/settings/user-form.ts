import { describeHttpError, formErrors, type FormErrors } from '../../core/api/api-errors';
import type { CreateUser, User, UserRole } from '../../core/api/api-types';

export const USER_ROLES: readonly UserRole[] = ['viewer', 'operator', 'admin'];

/** What each role may do, in the words the users page shows beside the role picker. */
export const ROLE_HINTS: Record<UserRole, string> = {
  viewer: 'sees hosts and their state',
  operator: 'also runs checks and resets host keys',
  admin: 'also edits hosts, settings, users and tokens',
};

export interface NewUserDraft {
  username: string;
  role: UserRole;
  password: string;
  is_service_account: boolean;
}

export const EMPTY_USER_DRAFT: NewUserDraft = {
  username: '',
  role: 'viewer',
  password: '',
  is_service_account: false,
};

/** The POST body: a service account has no password (it acts through API tokens). */
export function createUserBody(draft: NewUserDraft): CreateUser {
  const body: CreateUser = { username: draft.username.trim(), role: draft.role };
  if (draft.is_service_account) body.is_service_account = true;
  else body.password = draft.password;
  return body;
}

/**
 * The API's answer to a new user, filed by form field: its 400s name the field already; a 409
 * means the username is taken.
 */
export function newUserErrors(error: unknown): FormErrors {
  const out = formErrors(error);
  if ((error as { status?: number })?.status === 409) {
    return { fields: { username: [out.general.join(' ') || 'is taken'] }, general: [] };
  }
  return out;
}

/**
 * A refused change to an existing user, as one sentence to show above the list: the API's
 * own words when it gives them (a 409 names the last admin), else what to do.
 */
export function userChangeRefusal(action: string, user: Pick<User, 'username'>, error: unknown) {
  const status = (error as { status?: number })?.status;
  const reason = describeHttpError(error);
  if (status === 409) return `Cannot ${action} ${user.username}: ${reason}`;
  const fields = formErrors(error).fields;
  const problems = Object.values(fields).flat();
  return `Could not ${action} ${user.username}: ${problems.length ? problems.join('; ') : reason}`;
}

/** The user shown as "you": admins are warned before they take away their own access. */
export function isSelf(user: Pick<User, 'username'>, currentUsername: string | null | undefined) {
  return !!currentUsername && user.username.toLowerCase() === currentUsername.toLowerCase();
}

/**
 * The consequence, spelled out for the confirmation, when an admin demotes, disables or
 * deletes their own account; null when the change does not touch the admin's own access.
 */
export function selfLockoutWarning(
  change: { role?: UserRole; is_active?: boolean; delete?: boolean },
  user: Pick<User, 'username' | 'role'>,
  currentUsername: string | null | undefined,
): string | null {
  if (!isSelf(user, currentUsername)) return null;
  if (change.delete) return 'This is your own account: you will be signed out for good.';
  if (change.is_active === false)
    return 'This is your own account: you will be signed out and cannot sign in again until another admin enables it.';
  if (change.role !== undefined && user.role === 'admin' && change.role !== 'admin')
    return 'This is your own account: you will lose access to Settings, users and tokens.';
  return null;
}

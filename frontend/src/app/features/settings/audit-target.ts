import type { AuditEvent } from '../../core/api/api-types';

/** An audit entry's target as people know it: a name, and where to see it. */
export interface AuditTarget {
  type: string;
  /** The host's or user's name; the id when no name is known. */
  name: string;
  /** Whether `name` is a real name (else it is the id). */
  named: boolean;
  /** Router link to the target, when the console has a page for it. */
  link: string[] | null;
}

/**
 * Names a target from what the entry recorded (`details.hostname`, `details.username`) or,
 * for users, from the accounts the page knows; hosts link to their page, users to the users tab.
 */
export function auditTarget(
  entry: Pick<AuditEvent, 'target_type' | 'target_id' | 'details'>,
  userNames: ReadonlyMap<string, string>,
): AuditTarget | null {
  if (!entry.target_type || !entry.target_id) return null;
  const details = (entry.details ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const id = entry.target_id;
  if (entry.target_type === 'host') {
    const name = text(details['hostname']);
    return { type: 'host', name: name ?? id, named: name !== null, link: ['/hosts', id] };
  }
  if (entry.target_type === 'user') {
    const name = userNames.get(id) ?? text(details['username']);
    return { type: 'user', name: name ?? id, named: name !== null, link: ['/settings/users'] };
  }
  const name = text(details['name']);
  return { type: entry.target_type, name: name ?? id, named: name !== null, link: null };
}

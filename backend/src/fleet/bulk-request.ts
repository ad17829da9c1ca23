import type { FieldProblem } from '../common/validation';
import type { BulkAction, BulkHostsDto } from './dto/bulk.dto';

/** The fields each action takes beyond its selection; any other is refused. */
const ACTION_FIELDS: Record<
  BulkAction,
  readonly ('until' | 'reason' | 'tags' | 'credential_id')[]
> = {
  check: [],
  maintenance_on: ['until', 'reason'],
  maintenance_off: [],
  reset_state: [],
  set_tags: ['tags'],
  add_tags: ['tags'],
  remove_tags: ['tags'],
  set_credential: ['credential_id'],
  delete: [],
};

/**
 * What is wrong with a bulk request that its fields' own validation cannot see: the selection
 * (ids or filter, exactly one), fields the action does not take or needs, and an `until` in the
 * past. Empty when the request can run.
 */
export function bulkProblems(dto: BulkHostsDto, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (dto.ids === undefined && dto.filter === undefined) {
    problems.push({ field: 'ids', problem: 'give either ids or filter to select hosts' });
  }
  if (dto.ids !== undefined && dto.filter !== undefined) {
    problems.push({ field: 'filter', problem: 'give either ids or filter, not both' });
  }
  const takes = ACTION_FIELDS[dto.action] ?? [];
  for (const field of ['until', 'reason', 'tags', 'credential_id'] as const) {
    if (dto[field] !== undefined && !takes.includes(field)) {
      problems.push({ field, problem: `is not taken by the action ${dto.action}` });
    }
  }
  if (takes.includes('tags') && dto.tags === undefined) {
    problems.push({ field: 'tags', problem: `is required by the action ${dto.action}` });
  }
  if ((dto.action === 'add_tags' || dto.action === 'remove_tags') && dto.tags?.length === 0) {
    problems.push({ field: 'tags', problem: `must name at least one tag for ${dto.action}` });
  }
  if (dto.action === 'set_credential' && dto.credential_id === undefined) {
    problems.push({
      field: 'credential_id',
      problem: 'is required by the action set_credential (null for the default credential)',
    });
  }
  if (dto.action === 'maintenance_on' && dto.until !== undefined) {
    const until = Date.parse(dto.until);
    if (Number.isNaN(until)) problems.push({ field: 'until', problem: 'is not a valid date-time' });
    else if (until <= now.getTime())
      problems.push({ field: 'until', problem: 'must be in the future' });
  }
  return problems;
}

/** The lowest role that may run an action: as for the same action on one host. */
export function bulkRole(action: BulkAction): 'operator' | 'admin' {
  // A JIT check is the operator's; every other change goes through PATCH or DELETE (admin).
  return action === 'check' ? 'operator' : 'admin';
}

/**
 * Parents and jump hosts, as a host's edit proposes them: the rules a host's place in the
 * topology must keep, checked against the hosts above it. Pure; HostsService reads the rows
 * (HostsRepository.linksAbove) under the topology lock and writes nothing when a rule is broken.
 *
 * - a parent and a jump host exist, and are not the host itself;
 * - no loop: the host is not above itself, following parents and jump hosts alike;
 * - one level of jump host: a jump host is reached directly (has no jump host itself), so a
 *   host that is somebody's jump host cannot be given one.
 */
import type { FieldProblem } from '../common/validation';

/** A host's links to the hosts in front of it. */
export interface HostLinks {
  id: string;
  hostname: string;
  parentHostId: string | null;
  jumpHostId: string | null;
}

export interface ProposedLinks {
  /** The host being edited; null for a host being created. */
  hostId: string | null;
  parentHostId: string | null;
  jumpHostId: string | null;
  /** Hosts that use the edited host as their jump host. */
  jumpDependents: number;
}

/**
 * What is wrong with `proposed`, per field; none when it may be saved. `above`: every host
 * reachable upward from the proposed parent and jump host (their own links, and so on).
 */
export function topologyErrors(
  proposed: ProposedLinks,
  above: readonly HostLinks[],
): FieldProblem[] {
  const byId = new Map(above.map((h) => [h.id, h]));
  const errors: FieldProblem[] = [];
  const links = [
    ['parent_host_id', proposed.parentHostId],
    ['jump_host_id', proposed.jumpHostId],
  ] as const;
  for (const [field, id] of links) {
    if (id === null) continue;
    if (id === proposed.hostId) {
      errors.push({ field, problem: 'cannot be the host itself' });
      continue;
    }
    if (!byId.has(id)) {
      errors.push({ field, problem: `no host with id ${id}` });
      continue;
    }
    const path = proposed.hostId === null ? null : pathTo(id, proposed.hostId, byId);
    if (path) {
      errors.push({
        field,
        problem: `would make a loop: ${path[0].hostname} is behind this host (${[...path.map((h) => h.hostname), 'this host'].join(' → ')})`,
      });
    }
  }
  const jump = proposed.jumpHostId === null ? undefined : byId.get(proposed.jumpHostId);
  if (jump && jump.jumpHostId !== null) {
    const its = byId.get(jump.jumpHostId)?.hostname ?? jump.jumpHostId;
    errors.push({
      field: 'jump_host_id',
      problem: `${jump.hostname} is itself reached through jump host ${its}; a jump host must be reached directly (one level of jump host)`,
    });
  }
  if (proposed.jumpHostId !== null && proposed.jumpDependents > 0) {
    errors.push({
      field: 'jump_host_id',
      problem: `this host is the jump host of ${proposed.jumpDependents} host(s), so it must be reached directly (one level of jump host)`,
    });
  }
  return errors;
}

/**
 * The hosts from `from` up to the one whose parent or jump host is `target`, if `target` is
 * above `from` at all.
 */
function pathTo(
  from: string,
  target: string,
  byId: ReadonlyMap<string, HostLinks>,
): HostLinks[] | null {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const host = byId.get(id);
    if (!host) continue;
    for (const next of [host.parentHostId, host.jumpHostId]) {
      if (next === null || cameFrom.has(next)) continue;
      cameFrom.set(next, id);
      if (next === target) {
        const path: HostLinks[] = [];
        for (let at: string | null = id; at !== null; at = cameFrom.get(at) ?? null) {
          path.unshift(byId.get(at) as HostLinks);
        }
        return path;
      }
      queue.push(next);
    }
  }
  return null;
}

import type { RecentTransition, TransitionEvent } from '../../core/api/api-types';

type FeedItem = TransitionEvent | RecentTransition;

/**
 * The transitions feed after new items arrive (live, or read from history): one entry per
 * check, newest first, at most `size`. History read after live events never duplicates them.
 */
export function mergeFeed<T extends FeedItem>(
  current: readonly T[],
  added: readonly T[],
  size: number,
): T[] {
  const byTask = new Map<string, T>();
  for (const item of [...added, ...current])
    if (!byTask.has(item.task_id)) byTask.set(item.task_id, item);
  return [...byTask.values()].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, size);
}

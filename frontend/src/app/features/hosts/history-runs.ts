import type { HistoryItem } from '../../core/api/api-types';

/** Consecutive checks with the same outcome, shown as one row ("×30, 10:16–10:19"). */
export interface HistoryRun {
  /** The newest check of the run: what the row shows. */
  latest: HistoryItem;
  /** The oldest check of the run: the one that changed the state, when one did. */
  oldest: HistoryItem;
  count: number;
  /** check_time of the oldest and newest check of the run. */
  from: string;
  to: string;
  /** Whether the run's oldest check changed the state (a transition starts a run). */
  transition: boolean;
}

const changed = (item: HistoryItem) =>
  item.previous_state !== null && item.previous_state !== item.state;

const outcome = (item: HistoryItem) =>
  [item.success, item.error_type, item.stage, item.state, item.unreachable].join('|');

/**
 * Collapses history given newest first into runs of the same outcome (success, error type,
 * stage, state). A check that changed the state is the oldest of its run: the run begins
 * there, so transitions are never folded into the checks before them.
 */
export function collapseRuns(newestFirst: readonly HistoryItem[]): HistoryRun[] {
  const runs: HistoryRun[] = [];
  let open: HistoryRun | null = null;
  for (const item of newestFirst) {
    if (open && !open.transition && outcome(open.latest) === outcome(item)) {
      open.count += 1;
      open.oldest = item;
      open.from = item.check_time;
      open.transition = changed(item);
      continue;
    }
    open = {
      latest: item,
      oldest: item,
      count: 1,
      from: item.check_time,
      to: item.check_time,
      transition: changed(item),
    };
    runs.push(open);
  }
  return runs;
}

/** "10:16–10:19" within a day, else with the dates; UTC, as every time the console shows. */
export function formatRunSpan(run: HistoryRun): string {
  const from = new Date(run.from).toISOString();
  const to = new Date(run.to).toISOString();
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  const time = (iso: string) => iso.slice(11, 19);
  return sameDay
    ? `${time(from)}–${time(to)} UTC`
    : `${from.slice(0, 10)} ${time(from)} – ${to.slice(0, 10)} ${time(to)} UTC`;
}

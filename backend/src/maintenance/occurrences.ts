/**
 * When a maintenance window is on: its occurrences, computed purely from the window and a
 * moment. A recurring window starts at wall-clock times in its IANA time zone (a cron
 * expression, or weekdays at a start time) and lasts `duration_minutes` of real time, so an
 * occurrence that crosses a daylight-saving change still lasts exactly that long. Time zones
 * come from luxon (the platform's tz database), cron expressions from croner; no date
 * arithmetic by hand.
 */
import { Cron } from 'croner';
import { DateTime, IANAZone } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A recurring window: `cron`, or `weekdays` with `start_time`; then its length and zone. */
export interface Recurrence {
  cron?: string;
  weekdays?: Weekday[];
  /** HH:MM, local time in `time_zone`. */
  start_time?: string;
  duration_minutes: number;
  /** An IANA zone, e.g. Europe/Berlin. */
  time_zone: string;
}

/** When a window is: one-off (both times), or recurring. */
export interface WindowTiming {
  startsAt: Date | null;
  endsAt: Date | null;
  recurrence: Recurrence | null;
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

export interface FieldProblem {
  field: string;
  problem: string;
}

export const START_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Longest occurrence: 31 days. */
export const MAX_DURATION_MINUTES = 31 * 24 * 60;
/** How far ahead a recurrence is searched for its next occurrences. */
const HORIZON_DAYS = 400;

/**
 * What is wrong with a recurrence (field names as the API spells them, under `recurrence.`);
 * empty when it is sound. A cron expression has five fields (minute hour day month weekday)
 * and must occur at least once more.
 */
export function recurrenceProblems(r: Recurrence, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const zoneOk = IANAZone.isValidZone(r.time_zone);
  if (!zoneOk) {
    problems.push({
      field: 'recurrence.time_zone',
      problem: `'${r.time_zone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`,
    });
  }
  const hasCron = r.cron !== undefined;
  const hasWeekdays = r.weekdays !== undefined || r.start_time !== undefined;
  if (hasCron && hasWeekdays) {
    problems.push({
      field: 'recurrence',
      problem: 'give either cron, or weekdays with start_time, not both',
    });
  } else if (!hasCron && !hasWeekdays) {
    problems.push({
      field: 'recurrence',
      problem: 'give cron, or weekdays with start_time',
    });
  } else if (hasCron) {
    const cronProblem = cronError(r.cron!, zoneOk ? r.time_zone : 'UTC', now);
    if (cronProblem) problems.push({ field: 'recurrence.cron', problem: cronProblem });
  } else {
    if (r.weekdays === undefined || r.weekdays.length === 0) {
      problems.push({ field: 'recurrence.weekdays', problem: 'must name at least one weekday' });
    }
    if (r.start_time === undefined) {
      problems.push({ field: 'recurrence.start_time', problem: 'is required with weekdays' });
    }
  }
  return problems;
}

function cronError(expression: string, zone: string, now: Date): string | null {
  let cron: Cron;
  try {
    cron = new Cron(expression, { timezone: zone, mode: '5-part' });
  } catch (error) {
    return `'${expression}' is not a cron expression of five fields (minute hour day month weekday): ${(error as Error).message}`;
  }
  if (cron.nextRun(now) === null) return `'${expression}' never occurs again`;
  return null;
}

/**
 * The window's next `count` occurrences that have not ended at `now`, earliest start first;
 * the first may be in progress. A one-off window has at most one.
 */
export function upcomingOccurrences(w: WindowTiming, now: Date, count: number): Occurrence[] {
  if (!w.recurrence) {
    if (!w.startsAt || !w.endsAt || w.endsAt.getTime() <= now.getTime()) return [];
    return [{ startsAt: w.startsAt, endsAt: w.endsAt }];
  }
  const r = w.recurrence;
  const durationMs = r.duration_minutes * 60_000;
  // An occurrence has not ended when it starts after now - duration.
  const after = new Date(now.getTime() - durationMs);
  const starts =
    r.cron !== undefined ? cronStarts(r, after, count) : weekdayStarts(r, after, count);
  return starts.map((s) => ({ startsAt: s, endsAt: new Date(s.getTime() + durationMs) }));
}

/**
 * The occurrence in progress at `now`, or null. Occurrences of a window all last as long, so of
 * overlapping ones this is the one that started last (and ends last).
 */
export function activeOccurrence(w: WindowTiming, now: Date): Occurrence | null {
  if (!w.recurrence) {
    const [o] = upcomingOccurrences(w, now, 1);
    return o && o.startsAt.getTime() <= now.getTime() ? o : null;
  }
  const r = w.recurrence;
  const start = r.cron !== undefined ? lastCronStart(r, now) : lastWeekdayStart(r, now);
  if (!start) return null;
  const endsAt = new Date(start.getTime() + r.duration_minutes * 60_000);
  return endsAt.getTime() > now.getTime() ? { startsAt: start, endsAt } : null;
}

/**
 * The latest cron start at or before `now`. Five-field starts fall on whole minutes, so of the
 * two latest before now + 1 minute, at most one is after now.
 */
function lastCronStart(r: Recurrence, now: Date): Date | null {
  if (!IANAZone.isValidZone(r.time_zone)) return null;
  try {
    const cron = new Cron(r.cron!, { timezone: r.time_zone, mode: '5-part' });
    const runs = cron.previousRuns(2, new Date(now.getTime() + 60_000));
    return runs.find((d) => d.getTime() <= now.getTime()) ?? null;
  } catch {
    return null;
  }
}

/** The latest weekday start at or before `now` (within the last eight days). */
function lastWeekdayStart(r: Recurrence, now: Date): Date | null {
  if (!IANAZone.isValidZone(r.time_zone) || !r.start_time || !r.weekdays?.length) return null;
  let day = DateTime.fromJSDate(now, { zone: r.time_zone }).startOf('day').plus({ days: 1 });
  for (let i = 0; i < 9; i++, day = day.minus({ days: 1 })) {
    const start = weekdayStartOn(r, day);
    if (start && start.getTime() <= now.getTime()) return start;
  }
  return null;
}

/** The start on this local day, if it is one of the recurrence's weekdays. */
function weekdayStartOn(r: Recurrence, day: DateTime): Date | null {
  if (!r.weekdays!.includes(WEEKDAYS[day.weekday - 1])) return null;
  const [hour, minute] = r.start_time!.split(':').map(Number);
  const local = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: r.time_zone },
  );
  return local
    .getPossibleOffsets()
    .reduce((a, b) => (b < a ? b : a), local)
    .toJSDate();
}

/** Cron start times strictly after `after`, in the recurrence's zone. */
function cronStarts(r: Recurrence, after: Date, count: number): Date[] {
  if (!IANAZone.isValidZone(r.time_zone)) return [];
  try {
    return new Cron(r.cron!, { timezone: r.time_zone, mode: '5-part' }).nextRuns(count, after);
  } catch {
    return [];
  }
}

/**
 * Start times strictly after `after`: each listed weekday at `start_time`, wall clock in the
 * zone. A start time that does not exist that day (clocks go forward across it) moves forward
 * by the gap; one that exists twice (clocks go back) is the first of the two, as with cron.
 */
function weekdayStarts(r: Recurrence, after: Date, count: number): Date[] {
  if (!IANAZone.isValidZone(r.time_zone) || !r.start_time || !r.weekdays?.length) return [];
  const out: Date[] = [];
  // From the day before `after` (in the zone), so no start just after it is skipped.
  let day = DateTime.fromJSDate(after, { zone: r.time_zone }).startOf('day').minus({ days: 1 });
  for (let i = 0; i < HORIZON_DAYS && out.length < count; i++, day = day.plus({ days: 1 })) {
    const start = weekdayStartOn(r, day);
    if (start && start.getTime() > after.getTime()) out.push(start);
  }
  return out;
}

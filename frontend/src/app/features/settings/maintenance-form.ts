import type {
  CreateMaintenanceWindow,
  MaintenanceWindow,
  Occurrence,
  Weekday,
} from '../../core/api/api-types';
import { parseTags } from '../../shared/tags';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The maintenance form's fields, as typed. */
export interface MaintenanceDraft {
  name: string;
  reason: string;
  /** Comma-separated. */
  tags: string;
  /** Hosts named one by one (picked by name). */
  host_ids: string[];
  kind: 'once' | 'weekly' | 'cron';
  /** datetime-local values, read in the browser's zone. */
  starts_at: string;
  ends_at: string;
  weekdays: Weekday[];
  start_time: string;
  cron: string;
  duration_minutes: string;
  time_zone: string;
}

export function emptyMaintenanceDraft(zone: string): MaintenanceDraft {
  return {
    name: '',
    reason: '',
    tags: '',
    host_ids: [],
    kind: 'once',
    starts_at: '',
    ends_at: '',
    weekdays: ['sat'],
    start_time: '22:00',
    cron: '0 2 * * 0',
    duration_minutes: '120',
    time_zone: zone,
  };
}

/** A datetime-local value (browser zone) as an ISO instant; anything else as typed (a 400). */
function instant(local: string): string {
  const d = new Date(local);
  return local && !Number.isNaN(d.getTime()) ? d.toISOString() : local;
}

/** POST /api/maintenance-windows from the form: one-off times, or a recurrence. */
export function maintenanceBody(draft: MaintenanceDraft): CreateMaintenanceWindow {
  const body: CreateMaintenanceWindow = {
    name: draft.name.trim(),
    tags: parseTags(draft.tags),
  };
  if (draft.reason.trim()) body.reason = draft.reason.trim();
  if (draft.host_ids.length > 0) body.host_ids = [...draft.host_ids];
  if (draft.kind === 'once') {
    body.starts_at = instant(draft.starts_at);
    body.ends_at = instant(draft.ends_at);
    return body;
  }
  const duration = Number(draft.duration_minutes);
  body.recurrence =
    draft.kind === 'cron'
      ? { cron: draft.cron.trim(), duration_minutes: duration, time_zone: draft.time_zone.trim() }
      : {
          weekdays: WEEKDAYS.filter((d) => draft.weekdays.includes(d)),
          start_time: draft.start_time,
          duration_minutes: duration,
          time_zone: draft.time_zone.trim(),
        };
  return body;
}

/** How a window recurs, in words: "once", "Sat at 22:00 for 8 h (Europe/Berlin)", a cron line. */
export function describeSchedule(w: MaintenanceWindow): string {
  const r = w.recurrence;
  if (!r) return 'once';
  const length = durationText(r.duration_minutes);
  if (r.cron) return `cron "${r.cron}" for ${length} (${r.time_zone})`;
  const days = (r.weekdays ?? []).map((d) => WEEKDAY_LABELS[d]).join(', ');
  return `${days} at ${r.start_time} for ${length} (${r.time_zone})`;
}

function durationText(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return minutes > 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** One occurrence as a calendar line in `zone`: "Sat, 27 Mar 2027, 22:00 – Sun 28 Mar, 07:00". */
export function occurrenceLine(o: Occurrence, zone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: zone,
  });
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone,
  });
  const endDay = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: zone,
  });
  const start = new Date(o.starts_at);
  const end = new Date(o.ends_at);
  const sameDay = day.format(start) === day.format(end);
  return `${day.format(start)}, ${time.format(start)} – ${sameDay ? '' : `${endDay.format(end)}, `}${time.format(end)}`;
}

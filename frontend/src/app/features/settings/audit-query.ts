import type { Params } from '@angular/router';
import type { AuditEvent, AuditQuery } from '../../core/api/api-types';
import { auditActionValues } from '../../core/api/openapi.gen';

/**
 * The actions the audit log records, for the filter's choices: the API schema's AuditAction
 * enum, as generated from openapi.json, so a new action shows up here with no edit.
 */
export const AUDIT_ACTIONS = auditActionValues;

/** The target types the API filters by (AuditQueryDto.target_type). */
export const AUDIT_TARGET_TYPES = [
  'host',
  'credential',
  'user',
  'api_token',
  'settings',
  'session',
] as const;

export const PAGE_SIZES = [25, 50, 100] as const;

/** The audit viewer's filters, kept in the URL. Times are UTC `YYYY-MM-DDTHH:MM` strings. */
export interface AuditFilters {
  page: number;
  page_size: number;
  actor: string;
  action: string;
  target_type: string;
  since: string;
  until: string;
}

export const DEFAULT_AUDIT_FILTERS: AuditFilters = {
  page: 1,
  page_size: 50,
  actor: '',
  action: '',
  target_type: '',
  since: '',
  until: '',
};

const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const ACTION = /^[a-z_]+\.[a-z_]+$/;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** A `datetime-local` value read as UTC, or '' when it is not one. */
export function utcMinute(value: unknown): string {
  const v = text(value).slice(0, 16);
  return MINUTE.test(v) && !Number.isNaN(Date.parse(`${v}:00Z`)) ? v : '';
}

/**
 * A time typed as "YYYY-MM-DD HH:MM" (24-hour, UTC; "T" between works too) as a filter minute:
 * '' when empty, null when it is not such a time.
 */
export function typedUtcMinute(value: string): string | null {
  const v = value.trim();
  if (v === '') return '';
  return utcMinute(v.replace(/^(\d{4}-\d{2}-\d{2})[ T]+/, '$1T')) || null;
}

/** A filter minute as the time field shows it: "2026-12-06 14:30". */
export function shownMinute(minute: string): string {
  return minute.replace('T', ' ');
}

/** The filters from the URL (links and reloads keep them), dropping what the API would refuse. */
export function auditFiltersFromParams(params: Params): AuditFilters {
  const page = Number(params['page']);
  const size = Number(params['page_size']);
  const action = text(params['action']);
  const target = text(params['target_type']);
  return {
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    page_size: (PAGE_SIZES as readonly number[]).includes(size)
      ? size
      : DEFAULT_AUDIT_FILTERS.page_size,
    actor: text(params['actor']).slice(0, 200),
    action: ACTION.test(action) ? action : '',
    target_type: (AUDIT_TARGET_TYPES as readonly string[]).includes(target) ? target : '',
    since: utcMinute(params['since']),
    until: utcMinute(params['until']),
  };
}

/** The URL form: defaults left out. */
export function paramsFromAuditFilters(f: AuditFilters): Params {
  const out: Params = {};
  if (f.page !== 1) out['page'] = f.page;
  if (f.page_size !== DEFAULT_AUDIT_FILTERS.page_size) out['page_size'] = f.page_size;
  for (const key of ['actor', 'action', 'target_type', 'since', 'until'] as const) {
    if (f[key]) out[key] = f[key];
  }
  return out;
}

/** What the API is asked: times as ISO 8601 in UTC; `until` includes its whole minute. */
export function auditApiQuery(f: AuditFilters): AuditQuery {
  return {
    page: f.page,
    page_size: f.page_size,
    actor: f.actor || undefined,
    action: f.action || undefined,
    target_type: (f.target_type || undefined) as AuditQuery['target_type'],
    since: f.since ? new Date(`${f.since}:00Z`).toISOString() : undefined,
    until: f.until ? new Date(Date.parse(`${f.until}:00Z`) + 60_000).toISOString() : undefined,
  };
}

/** Said before asking: a range that ends before it starts. */
export function auditFilterProblem(f: AuditFilters): string | null {
  if (f.since && f.until && f.until < f.since) return 'The "to" time is before the "from" time.';
  return null;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * An entry's details as readable lines: `role: viewer → admin` for changes, the value as it
 * came otherwise. The API has already replaced anything secret; nothing here undoes that.
 */
export function detailLines(details: AuditEvent['details']): { key: string; value: string }[] {
  if (!details) return [];
  return Object.entries(details).map(([key, value]) => {
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'from' in value &&
      'to' in value
    ) {
      const change = value as { from: unknown; to: unknown };
      return { key, value: `${show(change.from)} → ${show(change.to)}` };
    }
    return { key, value: show(value) };
  });
}

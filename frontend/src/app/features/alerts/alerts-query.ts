import type { Params } from '@angular/router';
import type { ListAlertsQuery } from '../../core/api/api-types';

/** All: open problems first, resolved ones below; or one of the two. */
export type AlertStatusFilter = 'all' | 'open' | 'resolved';
export const ALERT_STATUS_FILTERS: readonly AlertStatusFilter[] = ['all', 'open', 'resolved'];

export interface AlertsQuery {
  status: AlertStatusFilter;
  tag: string;
  /** Page of the open section. */
  open_page: number;
  /** Page of the resolved section. */
  page: number;
  page_size: number;
}

export const DEFAULT_ALERTS_QUERY: AlertsQuery = {
  status: 'all',
  tag: '',
  open_page: 1,
  page: 1,
  page_size: 25,
};

function positive(value: unknown, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

/** The Alerts page's query from the URL (filters survive reloads and links), ignoring junk. */
export function alertsQueryFromParams(params: Params): AlertsQuery {
  const status = ALERT_STATUS_FILTERS.find((s) => s === params['status']) ?? 'all';
  return {
    status,
    tag: typeof params['tag'] === 'string' ? params['tag'].trim() : '',
    open_page: positive(params['open_page'], 1, 1_000_000),
    page: positive(params['page'], 1, 1_000_000),
    page_size: positive(params['page_size'], DEFAULT_ALERTS_QUERY.page_size, 500),
  };
}

/** The URL form of a query: defaults left out. */
export function paramsFromAlertsQuery(query: AlertsQuery): Params {
  const out: Params = {};
  if (query.status !== 'all') out['status'] = query.status;
  if (query.tag) out['tag'] = query.tag;
  if (query.open_page !== 1) out['open_page'] = query.open_page;
  if (query.page !== 1) out['page'] = query.page;
  if (query.page_size !== DEFAULT_ALERTS_QUERY.page_size) out['page_size'] = query.page_size;
  return out;
}

/** What the API is asked for the open section; null when the filter hides it. */
export function openAlertsRequest(query: AlertsQuery): ListAlertsQuery | null {
  if (query.status === 'resolved') return null;
  return {
    status: 'open',
    tag: query.tag || undefined,
    page: query.open_page,
    page_size: query.page_size,
  };
}

/** What the API is asked for the resolved section; null when the filter hides it. */
export function resolvedAlertsRequest(query: AlertsQuery): ListAlertsQuery | null {
  if (query.status === 'open') return null;
  return {
    status: 'resolved',
    tag: query.tag || undefined,
    page: query.page,
    page_size: query.page_size,
  };
}

import type { Params } from '@angular/router';
import {
  MONITORING_STATES,
  type HostSortField,
  type ListHostsQuery,
  type MonitoringState,
} from '../../core/api/api-types';

const SORTS: readonly HostSortField[] = [
  'hostname',
  'ip_address',
  'monitoring_state',
  'check_priority',
  'next_check_at',
  'last_check_at',
  'response_time_ms',
  'created_at',
];

export interface HostsQuery {
  page: number;
  page_size: number;
  sort: HostSortField;
  order: 'asc' | 'desc';
  state: MonitoringState[];
  tag: string;
  q: string;
}

/** Worst first: the list opens on what is broken (states sort by severity, DOWN first). */
export const DEFAULT_QUERY: HostsQuery = {
  page: 1,
  page_size: 25,
  sort: 'monitoring_state',
  order: 'asc',
  state: [],
  tag: '',
  q: '',
};

function positive(value: unknown, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

/** The host list's query from the URL (so filters survive reloads and links), ignoring junk. */
export function queryFromParams(params: Params): HostsQuery {
  const states = String(params['state'] ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is MonitoringState => (MONITORING_STATES as readonly string[]).includes(s));
  const sort = SORTS.find((s) => s === params['sort']) ?? DEFAULT_QUERY.sort;
  return {
    page: positive(params['page'], 1, 1_000_000),
    page_size: positive(params['page_size'], DEFAULT_QUERY.page_size, 500),
    sort,
    order: params['order'] === 'desc' ? 'desc' : 'asc',
    state: [...new Set(states)],
    tag: typeof params['tag'] === 'string' ? params['tag'] : '',
    q: typeof params['q'] === 'string' ? params['q'] : '',
  };
}

/** The URL form of a query: defaults left out, so links stay short. */
export function paramsFromQuery(query: HostsQuery): Params {
  const out: Params = {};
  if (query.page !== 1) out['page'] = query.page;
  if (query.page_size !== DEFAULT_QUERY.page_size) out['page_size'] = query.page_size;
  if (query.sort !== DEFAULT_QUERY.sort) out['sort'] = query.sort;
  if (query.order !== DEFAULT_QUERY.order) out['order'] = query.order;
  if (query.state.length > 0) out['state'] = query.state.join(',');
  if (query.tag) out['tag'] = query.tag;
  if (query.q) out['q'] = query.q;
  return out;
}

/** What the API is asked. */
export function apiQuery(query: HostsQuery): ListHostsQuery {
  return {
    page: query.page,
    page_size: query.page_size,
    sort: query.sort,
    order: query.order,
    state: query.state.length > 0 ? query.state : undefined,
    tag: query.tag.trim() || undefined,
    q: query.q.trim() || undefined,
  };
}

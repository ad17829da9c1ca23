import type { Host } from '../../core/api/api-types';

let seq = 0;

/** A host as the API lists it, for specs: ids ascend in the order hosts are made. */
export function fakeHost(hostname: string, extra: Partial<Host> = {}): Host {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    hostname,
    ip_address: '10.0.0.1',
    port: 22,
    tags: [],
    is_active: true,
    monitoring_state: 'HEALTHY',
    last_check_at: null,
    response_time_ms: null,
    created_at: '2026-11-28T12:00:00.000Z',
    updated_at: '2026-11-28T12:00:00.000Z',
    ...extra,
  } as Host;
}

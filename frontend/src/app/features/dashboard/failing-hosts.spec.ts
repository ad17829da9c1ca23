import type { Host, HostHeartbeats } from '../../core/api/api-types';
import { failingHosts } from './failing-hosts';

const host = (hostname: string, state: string, changed: string | null) =>
  ({
    id: `id-${hostname}`,
    hostname,
    monitoring_state: state,
    last_state_change_at: changed,
  }) as Host;
const beat = (h: Host, since: string | null): [string, HostHeartbeats] => [
  h.id,
  { host_id: h.id, failing_since: since, results: [] },
];

describe('failing hosts', () => {
  it('lists the worst first, then the one failing longest, from the start of its failing run', () => {
    const down1 = host('db-1', 'DOWN', '2026-12-06T11:00:00Z');
    const down2 = host('db-2', 'DOWN', '2026-12-06T10:00:00Z');
    const crit = host('web-1', 'CRITICAL', '2026-12-06T08:00:00Z');
    const deg = host('web-2', 'DEGRADED', '2026-12-06T07:00:00Z');
    // db-1 became DOWN later, but has been failing since 09:00: it has failed longest.
    const beats = new Map([
      beat(down1, '2026-12-06T09:00:00Z'),
      beat(down2, '2026-12-06T09:30:00Z'),
    ]);
    const list = failingHosts([deg, crit, down2, down1], beats);
    expect(list.map((f) => [f.host.hostname, f.since])).toEqual([
      ['db-1', '2026-12-06T09:00:00Z'],
      ['db-2', '2026-12-06T09:30:00Z'],
      ['web-1', '2026-12-06T08:00:00Z'],
      ['web-2', '2026-12-06T07:00:00Z'],
    ]);
  });
});

import type { MonitoringState } from '../state-machine';
import { currentStatus } from './host-status.mapper';

describe('currentStatus', () => {
  it.each([
    ['HEALTHY', 'online'],
    ['DEGRADED', 'degraded'],
    ['CRITICAL', 'critical'],
    ['DOWN', 'offline'],
    ['MAINTENANCE', 'maintenance'],
    ['UNKNOWN', 'unknown'],
  ] as [MonitoringState, string][])('%s -> %s', (state, status) => {
    expect(currentStatus(state)).toBe(status);
  });
});

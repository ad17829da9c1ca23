import type { CheckOutcome, HostHeartbeats } from '../../core/api/api-types';
import { applyToHeartbeats } from './live-heartbeats';

const beats = (over: Partial<HostHeartbeats> = {}): HostHeartbeats => ({
  host_id: 'h1',
  failing_since: null,
  results: [
    {
      check_time: '2026-12-06T10:00:00.000Z',
      success: true,
      state: 'HEALTHY',
      response_time_ms: 40,
      error_type: null,
    },
  ],
  ...over,
});
const outcome = (over: Partial<CheckOutcome> = {}): CheckOutcome =>
  ({
    host_id: 'h1',
    success: false,
    new_state: 'DEGRADED',
    checked_at: '2026-12-06T10:05:00.000Z',
    response_time_ms: 3,
    error_type: 'refused',
    state_applied: true,
    ...over,
  }) as CheckOutcome;

describe('live heartbeats', () => {
  it('puts a new result first and starts the failing run at the first failure', () => {
    const next = applyToHeartbeats(beats(), outcome());
    expect(next.results.map((r) => r.success)).toEqual([false, true]);
    expect(next.failing_since).toBe('2026-12-06T10:05:00.000Z');
    const later = applyToHeartbeats(next, outcome({ checked_at: '2026-12-06T10:07:00.000Z' }));
    expect(later.failing_since).toBe('2026-12-06T10:05:00.000Z');
  });

  it('ends the failing run at a success and keeps only the latest results', () => {
    const failing = beats({ failing_since: '2026-12-06T09:00:00.000Z' });
    const next = applyToHeartbeats(failing, outcome({ success: true, new_state: 'DEGRADED' }), 1);
    expect(next.failing_since).toBeNull();
    expect(next.results).toHaveLength(1);
    expect(next.results[0].success).toBe(true);
  });

  it('ignores another host’s result, one already shown, and one not applied', () => {
    const b = beats();
    expect(applyToHeartbeats(b, outcome({ host_id: 'h2' }))).toBe(b);
    expect(applyToHeartbeats(b, outcome({ checked_at: '2026-12-06T10:00:00.000Z' }))).toBe(b);
    expect(applyToHeartbeats(b, outcome({ state_applied: false }))).toBe(b);
  });
});

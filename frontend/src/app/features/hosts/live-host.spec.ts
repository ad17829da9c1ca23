import type { CheckOutcome, Host } from '../../core/api/api-types';
import { parseTags } from './host-form';
import { applyOutcome, RecentOutcomes } from './live-host';

const host = {
  id: 'h1',
  hostname: 'db-7',
  monitoring_state: 'HEALTHY',
  consecutive_failures: 0,
  consecutive_successes: 4,
  last_check_at: '2026-11-28T12:00:00.000Z',
  last_state_change_at: '2026-11-28T10:00:00.000Z',
  host_key_fingerprint: 'SHA256:abc',
} as Host;

const failure = {
  host_id: 'h1',
  task_id: 'jit-1',
  success: false,
  error_type: 'connection_refused',
  error_message: 'refused',
  stage: 'connect',
  previous_state: 'HEALTHY',
  new_state: 'DEGRADED',
  state_changed: true,
  response_time_ms: 3,
  checked_at: '2026-11-28T12:05:00.000Z',
  next_check_at: '2026-11-28T12:10:00.000Z',
  host_key_fingerprint: null,
  host_key_pinned: true,
} as CheckOutcome;

describe('applyOutcome (a row updated in place by a live result)', () => {
  it('moves state, counters, times and error to what the check found', () => {
    const row = applyOutcome(host, failure);
    expect(row).toMatchObject({
      monitoring_state: 'DEGRADED',
      consecutive_failures: 1,
      consecutive_successes: 0,
      last_check_at: failure.checked_at,
      next_check_at: failure.next_check_at,
      last_state_change_at: failure.checked_at,
      last_error_type: 'connection_refused',
      last_check_stage: 'connect',
      host_key_fingerprint: 'SHA256:abc',
    });
  });

  it('ignores a result older than what the row shows (a REST read overtook the event)', () => {
    const newer = { ...host, last_check_at: '2026-11-28T12:06:00.000Z' };
    expect(applyOutcome(newer, failure)).toBe(newer);
  });

  it('leaves other hosts alone', () => {
    const other = { ...host, id: 'h2' };
    expect(applyOutcome(other, failure)).toBe(other);
  });
});

describe('parseTags', () => {
  it('splits on commas, trims, drops empties and duplicates', () => {
    expect(parseTags(' prod, db ,, prod,web ')).toEqual(['prod', 'db', 'web']);
    expect(parseTags('')).toEqual([]);
  });
});

describe('RecentOutcomes', () => {
  const outcome = (task_id: string) => ({ ...failure, task_id });

  it('finds a result that landed before its task id was known', () => {
    const recent = new RecentOutcomes();
    recent.add(outcome('jit-9'));
    expect(recent.get('jit-9')?.task_id).toBe('jit-9');
    expect(recent.get('jit-10')).toBeUndefined();
  });

  it('keeps only the latest `limit` results', () => {
    const recent = new RecentOutcomes(2);
    recent.add(outcome('a'));
    recent.add(outcome('b'));
    recent.add(outcome('a')); // seen again: now the newest
    recent.add(outcome('c'));
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('a')).toBeDefined();
    expect(recent.get('c')).toBeDefined();
  });
});

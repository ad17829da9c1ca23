import type { CheckOutcome, CheckQueued, Host } from '../../core/api/api-types';
import { parseTags } from '../../shared/tags';
import { applyOutcome, RecentOutcomes, scanAnswer } from './live-host';

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

  it('leaves the row as it was for a result that was reported but not applied', () => {
    expect(applyOutcome(host, { ...failure, state_applied: false })).toBe(host);
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

describe('scanAnswer ("Ready for scan?" once its waited-for check answers)', () => {
  const queued = (status: string, message: string) =>
    ({ check_queued: true, task_id: 'jit-2', status, message }) as CheckQueued;

  it('says yes only for an authenticated check with a pinned key, and why not otherwise', () => {
    const success = { ...failure, success: true, stage: 'auth', error_type: null } as CheckOutcome;
    expect(scanAnswer(success, 30)).toMatchObject({ kind: 'answer', ready: true });
    expect(scanAnswer({ ...success, host_key_pinned: false }, 30)).toMatchObject({
      kind: 'answer',
      ready: false,
      reason: 'the host key is not pinned',
    });
    expect(scanAnswer(failure, 30)).toMatchObject({ kind: 'answer', ready: false });
  });

  it('shows a check still on its way as pending, and one that could not be completed as an error', () => {
    expect(scanAnswer(queued('running', 'not yet'), 30)).toEqual({
      kind: 'pending',
      message: 'The check has not finished within 30 s; its result will show below when it lands.',
    });
    expect(scanAnswer(queued('failed', 'The check could not be completed: db down'), 30)).toEqual({
      kind: 'error',
      message: 'The check could not be completed: db down',
    });
  });
});

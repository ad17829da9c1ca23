import type { CheckOutcomeDto } from '../monitoring/dto/check-outcome.dto';
import { appliedOutcomes, eventsForOutcome } from './events.service';

const outcome: CheckOutcomeDto = {
  task_id: 'jit-1',
  host_id: '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11',
  hostname: 'db-7',
  checked_by: 'jit',
  success: false,
  error_type: 'connection_refused',
  error_message: 'refused',
  response_time_ms: 3,
  stage: 'connect',
  previous_state: 'HEALTHY',
  new_state: 'DEGRADED',
  state_changed: true,
  checked_at: '2026-11-28T12:00:00.000Z',
  next_check_at: '2026-11-28T12:05:00.000Z',
  host_key_fingerprint: null,
  host_key_pinned: false,
  state_applied: true,
  unreachable: false,
  flapping: false,
};

describe('live events from applied checks', () => {
  it('sends the result, then the transition it caused', () => {
    expect(eventsForOutcome(outcome)).toEqual([
      { type: 'check', outcome },
      {
        type: 'transition',
        host_id: outcome.host_id,
        hostname: 'db-7',
        from: 'HEALTHY',
        to: 'DEGRADED',
        at: outcome.checked_at,
        task_id: 'jit-1',
      },
    ]);
  });

  it('sends only the result when the state did not change', () => {
    const steady = { ...outcome, state_changed: false, previous_state: 'DEGRADED' as const };
    expect(eventsForOutcome(steady)).toEqual([{ type: 'check', outcome: steady }]);
  });

  it('reads the job return value as BullMQ hands it over (object or JSON text)', () => {
    const applied = { status: 'applied', outcome };
    expect(appliedOutcomes(applied)).toEqual([outcome]);
    expect(appliedOutcomes(JSON.stringify(applied))).toEqual([outcome]);
  });

  it("reads the applied outcomes of a scheduled job's checks, and skips the rest", () => {
    const second = {
      ...outcome,
      task_id: 'sched-2',
      host_id: 'f1e5a4a8-5a11-4c5e-8f4e-0b8f0d3c2b11',
    };
    const job = [
      { status: 'applied', outcome },
      { status: 'skipped', reason: 'host deleted' },
      { status: 'applied', outcome: second },
    ];
    expect(appliedOutcomes(job)).toEqual([outcome, second]);
    expect(appliedOutcomes(JSON.stringify(job))).toEqual([outcome, second]);
  });

  it('ignores skipped jobs and anything it cannot read', () => {
    expect(appliedOutcomes({ status: 'skipped', reason: 'host deleted' })).toEqual([]);
    expect(appliedOutcomes('not json')).toEqual([]);
    expect(appliedOutcomes(null)).toEqual([]);
    expect(appliedOutcomes(42)).toEqual([]);
    expect(appliedOutcomes([null, 'x', { status: 'applied' }])).toEqual([]);
  });
});

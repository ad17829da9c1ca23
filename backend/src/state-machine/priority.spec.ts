import fc from 'fast-check';
import { MONITORING_STATES } from './monitoring-state';
import { DEFAULT_POLICY, validatePolicy } from './policy';
import {
  JIT_QUEUE_PRIORITY,
  QUEUE_PRIORITIES_IN_USE,
  fromQueuePriority,
  jitPriority,
  priorityFor,
  toQueuePriority,
} from './priority';

describe('priorityFor', () => {
  it.each([
    ['HEALTHY', 3],
    ['DEGRADED', 6],
    ['CRITICAL', 9],
    ['DOWN', 4],
    ['UNKNOWN', 7],
    ['MAINTENANCE', 0],
  ] as const)('default %s -> %i', (state, expected) => {
    expect(priorityFor(state, DEFAULT_POLICY)).toBe(expected);
  });

  it('follows the policy', () => {
    const r = validatePolicy({ priorities: { HEALTHY: 1, DOWN: 8, UNKNOWN: 2, JIT: 5 } });
    if (!r.ok) throw new Error('test policy should be valid');
    expect(priorityFor('HEALTHY', r.policy)).toBe(1);
    expect(priorityFor('DOWN', r.policy)).toBe(8);
    expect(priorityFor('UNKNOWN', r.policy)).toBe(2);
    expect(priorityFor('MAINTENANCE', r.policy)).toBe(0);
    expect(jitPriority(r.policy)).toBe(5);
  });

  it('is on the 0..9 scale for every state', () => {
    for (const state of MONITORING_STATES) {
      const p = priorityFor(state, DEFAULT_POLICY);
      expect(Number.isInteger(p) && p >= 0 && p <= 9).toBe(true);
    }
  });

  it('JIT defaults to 9', () => {
    expect(jitPriority(DEFAULT_POLICY)).toBe(9);
  });
});

describe('toQueuePriority', () => {
  it.each([
    [9, 2],
    [8, 3],
    [7, 4],
    [6, 5],
    [5, 6],
    [4, 7],
    [3, 8],
    [2, 9],
    [1, 10],
    [0, 11],
  ])('scheduled API %i -> BullMQ %i', (api, queue) => {
    expect(toQueuePriority(api, 'scheduled')).toBe(queue);
  });

  it.each([0, 3, 9, -4, 42, Number.NaN])('jit with API %p -> BullMQ 1', (api) => {
    expect(toQueuePriority(api, 'jit')).toBe(1);
    expect(JIT_QUEUE_PRIORITY).toBe(1);
  });

  it.each([
    [-1, 11],
    [-1000, 11],
    [10, 2],
    [1e9, 2],
    [Number.POSITIVE_INFINITY, 2],
    [Number.NEGATIVE_INFINITY, 11],
    [Number.NaN, 11],
    [4.4, 7],
    [4.6, 6],
  ])('clamps/rounds scheduled API %p -> BullMQ %i', (api, queue) => {
    expect(toQueuePriority(api, 'scheduled')).toBe(queue);
  });

  it('puts JIT ahead of a scheduled 9 (lower BullMQ number runs first)', () => {
    expect(toQueuePriority(9, 'jit')).toBeLessThan(toQueuePriority(9, 'scheduled'));
  });

  it('keeps "more urgent in the API" = "runs earlier in BullMQ"', () => {
    for (let p = 0; p < 9; p++) {
      expect(toQueuePriority(p + 1, 'scheduled')).toBeLessThan(toQueuePriority(p, 'scheduled'));
    }
  });
});

describe('fromQueuePriority', () => {
  it.each([
    [1, { apiPriority: 9, kind: 'jit' }],
    [2, { apiPriority: 9, kind: 'scheduled' }],
    [5, { apiPriority: 6, kind: 'scheduled' }],
    [11, { apiPriority: 0, kind: 'scheduled' }],
    [0, { apiPriority: 9, kind: 'jit' }],
    [-3, { apiPriority: 9, kind: 'jit' }],
    [12, { apiPriority: 0, kind: 'scheduled' }],
    [2.2, { apiPriority: 9, kind: 'scheduled' }],
    [Number.NaN, { apiPriority: 0, kind: 'scheduled' }],
  ])('BullMQ %p -> %j', (queue, expected) => {
    expect(fromQueuePriority(queue)).toEqual(expected);
  });
});

describe('QUEUE_PRIORITIES_IN_USE', () => {
  it('is 1..11 and frozen', () => {
    expect(QUEUE_PRIORITIES_IN_USE).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Object.isFrozen(QUEUE_PRIORITIES_IN_USE)).toBe(true);
  });

  it('contains every priority toQueuePriority can return', () => {
    fc.assert(
      fc.property(fc.double(), fc.constantFrom('scheduled' as const, 'jit' as const), (p, kind) =>
        QUEUE_PRIORITIES_IN_USE.includes(toQueuePriority(p, kind)),
      ),
    );
  });
});

describe('priority properties', () => {
  it('JIT queue priority is strictly more urgent than any scheduled one', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (jitApi, scheduledApi) => {
        expect(toQueuePriority(jitApi, 'jit')).toBeLessThan(
          toQueuePriority(scheduledApi, 'scheduled'),
        );
      }),
    );
  });

  it('toQueuePriority/fromQueuePriority round-trip from the API side', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), (p) => {
        expect(fromQueuePriority(toQueuePriority(p, 'scheduled'))).toEqual({
          apiPriority: p,
          kind: 'scheduled',
        });
        expect(fromQueuePriority(toQueuePriority(p, 'jit')).kind).toBe('jit');
      }),
    );
  });

  it('toQueuePriority/fromQueuePriority round-trip from the queue side', () => {
    fc.assert(
      fc.property(fc.constantFrom(...QUEUE_PRIORITIES_IN_USE), (q) => {
        const { apiPriority, kind } = fromQueuePriority(q);
        expect(toQueuePriority(apiPriority, kind)).toBe(q);
      }),
    );
  });
});

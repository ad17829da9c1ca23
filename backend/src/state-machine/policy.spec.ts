import fc from 'fast-check';
import { DEFAULT_POLICY, POLICY_LIMITS, validatePolicy, type PolicyError } from './policy';

function errorsOf(input: unknown, base = DEFAULT_POLICY): PolicyError[] {
  const r = validatePolicy(input, base);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return r.errors;
}

function policyOf(input: unknown, base = DEFAULT_POLICY) {
  const r = validatePolicy(input, base);
  if (!r.ok) throw new Error(`expected valid, got ${JSON.stringify(r.errors)}`);
  return r.policy;
}

const fieldsOf = (errors: PolicyError[]) => errors.map((e) => e.field);

describe('DEFAULT_POLICY', () => {
  it('has the documented values', () => {
    expect(DEFAULT_POLICY).toEqual({
      thresholds: {
        degraded_after_failures: 1,
        critical_after_failures: 2,
        down_after_failures: 3,
        healthy_after_successes: 3,
      },
      intervals_seconds: { HEALTHY: 1800, DEGRADED: 300, CRITICAL: 120, DOWN: 1800 },
      priorities: { HEALTHY: 3, DEGRADED: 6, CRITICAL: 9, DOWN: 4, UNKNOWN: 7, JIT: 9 },
      jitter_ratio: 0.1,
      problem_states: ['CRITICAL', 'DOWN'],
      flapping: { start_percent: 30, stop_percent: 25 },
      history_retention_days: null,
    });
  });

  it('is valid', () => {
    expect(validatePolicy(DEFAULT_POLICY)).toEqual({ ok: true, policy: DEFAULT_POLICY });
    expect(validatePolicy({})).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it.each([
    ['the policy', () => DEFAULT_POLICY],
    ['thresholds', () => DEFAULT_POLICY.thresholds],
    ['intervals_seconds', () => DEFAULT_POLICY.intervals_seconds],
    ['priorities', () => DEFAULT_POLICY.priorities],
  ])('%s is frozen', (_name, get) => {
    const obj = get();
    expect(Object.isFrozen(obj)).toBe(true);
    expect(() => {
      (obj as Record<string, unknown>).jitter_ratio = 0.3;
    }).toThrow(TypeError);
  });
});

describe('validatePolicy: partial merge', () => {
  it('keeps base values for missing keys', () => {
    const p = policyOf({ intervals_seconds: { HEALTHY: 60 }, priorities: { DOWN: 5 } });
    expect(p).toEqual({
      ...DEFAULT_POLICY,
      intervals_seconds: { ...DEFAULT_POLICY.intervals_seconds, HEALTHY: 60 },
      priorities: { ...DEFAULT_POLICY.priorities, DOWN: 5 },
    });
  });

  it('replaces jitter_ratio alone', () => {
    expect(policyOf({ jitter_ratio: 0 })).toEqual({ ...DEFAULT_POLICY, jitter_ratio: 0 });
  });

  it('merges over a custom base, not the defaults', () => {
    const base = policyOf({ intervals_seconds: { DEGRADED: 10 }, jitter_ratio: 0.5 });
    const p = policyOf({ intervals_seconds: { CRITICAL: 5 } }, base);
    expect(p.intervals_seconds).toEqual({ HEALTHY: 1800, DEGRADED: 10, CRITICAL: 5, DOWN: 1800 });
    expect(p.jitter_ratio).toBe(0.5);
  });

  it('treats an explicit undefined as "not given"', () => {
    expect(
      policyOf({ jitter_ratio: undefined, thresholds: { down_after_failures: undefined } }),
    ).toEqual(DEFAULT_POLICY);
  });

  it('returns a fresh frozen object and never touches the input or the base', () => {
    const input = { thresholds: { down_after_failures: 5 } };
    const p = policyOf(input);
    expect(p).not.toBe(DEFAULT_POLICY);
    expect(p.thresholds).not.toBe(DEFAULT_POLICY.thresholds);
    expect(Object.isFrozen(p.thresholds)).toBe(true);
    expect(input).toEqual({ thresholds: { down_after_failures: 5 } });
    expect(DEFAULT_POLICY.thresholds.down_after_failures).toBe(3);
  });

  it('accepts the boundary values', () => {
    expect(
      policyOf({
        thresholds: {
          degraded_after_failures: 1,
          critical_after_failures: 1,
          down_after_failures: 1000,
          healthy_after_successes: 1000,
        },
        intervals_seconds: { HEALTHY: 604800, DEGRADED: 1, CRITICAL: 1, DOWN: 604800 },
        priorities: { HEALTHY: 0, DEGRADED: 9, CRITICAL: 0, DOWN: 9, UNKNOWN: 0, JIT: 9 },
        jitter_ratio: 0.5,
      }).thresholds.down_after_failures,
    ).toBe(1000);
  });
});

describe('validatePolicy: shape errors', () => {
  it.each([
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a string', 'policy', 'a string ("policy")'],
    ['a number', 42, '42'],
    ['an array', [], 'an array'],
    ['a boolean', true, 'a boolean (true)'],
  ])('rejects %s as the policy', (_name, input, shown) => {
    expect(errorsOf(input)).toEqual([
      { field: 'policy', problem: `must be an object, got ${shown}` },
    ]);
  });

  it.each([
    ['a Date', new Date(0)],
    ['a Map', new Map([['jitter_ratio', 0.2]])],
    ['a class instance', new (class Policy {})()],
    ['an object inheriting settings', Object.create({ jitter_ratio: 0.2 })],
  ])('rejects %s as the policy', (_name, input) => {
    expect(fieldsOf(errorsOf(input))).toEqual(['policy']);
  });

  it('rejects a Date as a section', () => {
    expect(fieldsOf(errorsOf({ thresholds: new Date(0) }))).toEqual(['thresholds']);
  });

  it('accepts an object without a prototype', () => {
    const input = Object.assign(Object.create(null) as object, { jitter_ratio: 0.2 });
    expect(policyOf(input).jitter_ratio).toBe(0.2);
  });

  it.each(['thresholds', 'intervals_seconds', 'priorities'])(
    'rejects a non-object %s section',
    (section) => {
      for (const bad of [null, 5, 'x', [], true]) {
        const errors = errorsOf({ [section]: bad });
        expect(errors).toHaveLength(1);
        expect(errors[0].field).toBe(section);
        expect(errors[0].problem).toMatch(/^must be an object, got /);
      }
    },
  );

  it.each([
    [{ foo: 1 }, 'foo'],
    [{ thresholds: { up_after_successes: 2 } }, 'thresholds.up_after_successes'],
    [{ intervals_seconds: { MAINTENANCE: 60 } }, 'intervals_seconds.MAINTENANCE'],
    [{ intervals_seconds: { healthy: 60 } }, 'intervals_seconds.healthy'],
    [{ priorities: { MAINTENANCE: 1 } }, 'priorities.MAINTENANCE'],
    [JSON.parse('{"__proto__": {"x": 1}}'), '__proto__'],
  ])('names the unknown key in %j', (input, field) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe(field);
    expect(errors[0].problem).toMatch(/is not a known setting/);
  });
});

type Section = 'thresholds' | 'intervals_seconds' | 'priorities';
const INTEGER_FIELDS: [Section, string][] = [
  ...Object.keys(DEFAULT_POLICY.thresholds).map((k): [Section, string] => ['thresholds', k]),
  ...Object.keys(DEFAULT_POLICY.intervals_seconds).map((k): [Section, string] => [
    'intervals_seconds',
    k,
  ]),
  ...Object.keys(DEFAULT_POLICY.priorities).map((k): [Section, string] => ['priorities', k]),
];

describe('validatePolicy: every bad value is named by its field', () => {
  const badValues: [string, (min: number, max: number) => unknown][] = [
    ['below the minimum', (min) => min - 1],
    ['above the maximum', (_min, max) => max + 1],
    ['fractional', (min) => min + 0.5],
    ['NaN', () => Number.NaN],
    ['Infinity', () => Number.POSITIVE_INFINITY],
    ['a numeric string', (min) => String(min)],
    ['a boolean', () => true],
    ['null', () => null],
    ['an object', () => ({})],
    ['an array', () => [1]],
  ];
  const cases = INTEGER_FIELDS.flatMap(([section, key]) =>
    badValues.map(([label, make]) => [section, key, label, make] as const),
  );

  it.each(cases)('%s.%s: %s', (section, key, _label, make) => {
    const { min, max } = POLICY_LIMITS[section];
    const value = make(min, max);
    const errors = errorsOf({ [section]: { [key]: value } });
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe(`${section}.${key}`);
    expect(errors[0].problem).toMatch(
      new RegExp(`^must be an integer between ${min} and ${max} \\(.+\\), got .+`),
    );
  });

  it('writes a human sentence', () => {
    expect(errorsOf({ intervals_seconds: { HEALTHY: 0 } })).toEqual([
      {
        field: 'intervals_seconds.HEALTHY',
        problem: 'must be an integer between 1 and 604800 (seconds), got 0',
      },
    ]);
    expect(errorsOf({ priorities: { JIT: '9' } })).toEqual([
      {
        field: 'priorities.JIT',
        problem: 'must be an integer between 0 and 9 (9 is most urgent), got a string ("9")',
      },
    ]);
  });

  it.each([
    ['negative', -0.1, '-0.1'],
    ['above 0.5', 0.51, '0.51'],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['a string', '0.1', 'a string ("0.1")'],
    ['a boolean', false, 'a boolean (false)'],
    ['null', null, 'null'],
  ])('jitter_ratio: %s', (_label, value, shown) => {
    expect(errorsOf({ jitter_ratio: value })).toEqual([
      {
        field: 'jitter_ratio',
        problem: `must be a number between 0 and 0.5 (fraction of the interval), got ${shown}`,
      },
    ]);
  });

  it('also checks values that come from an invalid base', () => {
    const badBase = { ...DEFAULT_POLICY, jitter_ratio: 2 };
    expect(fieldsOf(errorsOf({}, badBase))).toEqual(['jitter_ratio']);
  });
});

describe('validatePolicy: all errors are collected', () => {
  it('reports every problem in one pass', () => {
    const errors = errorsOf({
      nonsense: true,
      thresholds: { degraded_after_failures: 0, healthy_after_successes: 'three', extra: 1 },
      intervals_seconds: { HEALTHY: 0, DOWN: 1.5 },
      priorities: { JIT: 10, UNKNOWN: -1 },
      jitter_ratio: 1,
    });
    expect(fieldsOf(errors).sort()).toEqual(
      [
        'nonsense',
        'thresholds.extra',
        'thresholds.degraded_after_failures',
        'thresholds.healthy_after_successes',
        'intervals_seconds.HEALTHY',
        'intervals_seconds.DOWN',
        'priorities.UNKNOWN',
        'priorities.JIT',
        'jitter_ratio',
      ].sort(),
    );
  });

  it('reports a bad section and keeps checking the others', () => {
    expect(fieldsOf(errorsOf({ thresholds: 'x', priorities: { JIT: 99 } }))).toEqual([
      'thresholds',
      'priorities.JIT',
    ]);
  });
});

describe('validatePolicy: threshold ordering', () => {
  const ORDER = /degraded_after_failures <= critical_after_failures <= down_after_failures/;

  it.each([
    // [input thresholds, blamed field]
    [{ degraded_after_failures: 5 }, 'thresholds.degraded_after_failures'],
    [{ critical_after_failures: 5 }, 'thresholds.critical_after_failures'],
    [
      { critical_after_failures: 1, degraded_after_failures: 2 },
      'thresholds.critical_after_failures',
    ],
    [{ down_after_failures: 1 }, 'thresholds.down_after_failures'],
    [{ down_after_failures: 2, critical_after_failures: 3 }, 'thresholds.down_after_failures'],
  ])('%j is out of order: blames %s', (thresholds, field) => {
    const errors = errorsOf({ thresholds });
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0].field).toBe(field);
    for (const e of errors) expect(e.problem).toMatch(ORDER);
  });

  it('says which neighbour it must not exceed', () => {
    expect(errorsOf({ thresholds: { degraded_after_failures: 5 } })).toEqual([
      {
        field: 'thresholds.degraded_after_failures',
        problem:
          'must be at most critical_after_failures (2), got 5; thresholds must satisfy degraded_after_failures <= critical_after_failures <= down_after_failures',
      },
    ]);
  });

  it('reports both broken pairs', () => {
    const errors = errorsOf({
      thresholds: {
        degraded_after_failures: 9,
        critical_after_failures: 5,
        down_after_failures: 1,
      },
    });
    expect(fieldsOf(errors)).toEqual([
      'thresholds.critical_after_failures',
      'thresholds.down_after_failures',
    ]);
  });

  it('allows equal thresholds', () => {
    expect(
      policyOf({
        thresholds: {
          degraded_after_failures: 4,
          critical_after_failures: 4,
          down_after_failures: 4,
        },
      }).thresholds,
    ).toMatchObject({
      degraded_after_failures: 4,
      critical_after_failures: 4,
      down_after_failures: 4,
    });
  });

  it('does not add an ordering error on top of an invalid value', () => {
    expect(errorsOf({ thresholds: { critical_after_failures: 'x' } })).toHaveLength(1);
  });

  it('is accepted exactly when the thresholds are ordered (property)', () => {
    const t = fc.integer({ min: 1, max: 1000 });
    fc.assert(
      fc.property(t, t, t, (d, c, down) => {
        const r = validatePolicy({
          thresholds: {
            degraded_after_failures: d,
            critical_after_failures: c,
            down_after_failures: down,
          },
        });
        expect(r.ok).toBe(d <= c && c <= down);
      }),
    );
  });
});

describe('problem_states', () => {
  it('takes any distinct choice of DEGRADED, CRITICAL and DOWN, in canonical order', () => {
    expect(policyOf({ problem_states: ['DOWN', 'DEGRADED'] }).problem_states).toEqual([
      'DEGRADED',
      'DOWN',
    ]);
    expect(policyOf({ problem_states: [] }).problem_states).toEqual([]);
    expect(policyOf({ jitter_ratio: 0.2 }).problem_states).toEqual(['CRITICAL', 'DOWN']);
  });

  it.each([
    ['HEALTHY', ['HEALTHY']],
    ['an unknown state', ['BROKEN']],
    ['a duplicate', ['DOWN', 'DOWN']],
    ['a string', 'DOWN'],
    ['null', null],
    ['lower case', ['down']],
  ])('refuses %s, naming problem_states', (_name, value) => {
    const r = validatePolicy({ problem_states: value });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['problem_states']);
  });
});

describe('flapping thresholds', () => {
  it('merge a partial section and keep stop at most start', () => {
    const merged = validatePolicy({ flapping: { start_percent: 50 } });
    expect(merged).toMatchObject({
      ok: true,
      policy: { flapping: { start_percent: 50, stop_percent: 25 } },
    });
    expect(validatePolicy({ flapping: { stop_percent: 40 } })).toEqual({
      ok: false,
      errors: [
        {
          field: 'flapping.stop_percent',
          problem: 'stop_percent (40) must be at most start_percent (30)',
        },
      ],
    });
  });

  it.each([
    [{ flapping: [] }, 'flapping', /must be an object/],
    [{ flapping: { start_percent: 101 } }, 'flapping.start_percent', /between 0 and 100/],
    [{ flapping: { stop_percent: 'x' } }, 'flapping.stop_percent', /between 0 and 100/],
    [{ flapping: { start: 10 } }, 'flapping.start', /not a known setting/],
  ])('refuse %j naming %s', (input, field, problem) => {
    const result = validatePolicy(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field, problem: expect.stringMatching(problem) }),
        ]),
      );
    }
  });
});

/**
 * The monitoring policy: thresholds, intervals, priorities and jitter in one validated object.
 * Keys are snake_case because this is also the API JSON and the stored JSON.
 */
import type { CheckedState } from './monitoring-state';

/** States that may count as a problem (HEALTHY is what resolves one). */
export const PROBLEM_STATE_CHOICES = ['DEGRADED', 'CRITICAL', 'DOWN'] as const;
export type ProblemState = (typeof PROBLEM_STATE_CHOICES)[number];

export interface MonitoringPolicy {
  thresholds: {
    degraded_after_failures: number;
    critical_after_failures: number;
    down_after_failures: number;
    healthy_after_successes: number;
  };
  intervals_seconds: Record<CheckedState, number>;
  priorities: Record<CheckedState | 'UNKNOWN' | 'JIT', number>;
  jitter_ratio: number;
  /**
   * A host entering one of these states opens a problem (an alert), which resolves when it is
   * HEALTHY again. Empty: state changes open no problem (a changed host key still does).
   */
  problem_states: ProblemState[];
  /**
   * Flap detection (see flapping.ts): a host flaps once its flap percentage is above
   * start_percent and stops at or below stop_percent (stop_percent <= start_percent).
   */
  flapping: { start_percent: number; stop_percent: number };
  /** Days of check history kept; null: HISTORY_RETENTION_DAYS. */
  history_retention_days: number | null;
}

export interface PolicyError {
  /** Dotted path of the offending setting, e.g. `thresholds.down_after_failures`. */
  field: string;
  /** A human sentence saying what is wrong. */
  problem: string;
}

export type PolicyValidationResult =
  { ok: true; policy: MonitoringPolicy } | { ok: false; errors: PolicyError[] };

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Allowed ranges, exported so API docs and DTOs can quote the same numbers. */
export const POLICY_LIMITS = deepFreeze({
  thresholds: { min: 1, max: 1000 },
  intervals_seconds: { min: 1, max: 604800 },
  priorities: { min: 0, max: 9 },
  jitter_ratio: { min: 0, max: 0.5 },
  flapping: { min: 0, max: 100 },
  history_retention_days: { min: 1, max: 36500 },
} as const);

export const DEFAULT_POLICY: MonitoringPolicy = deepFreeze({
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

type IntegerSection = 'thresholds' | 'intervals_seconds' | 'priorities';

const SECTION_KEYS: { readonly [S in IntegerSection]: readonly (keyof MonitoringPolicy[S])[] } = {
  thresholds: [
    'degraded_after_failures',
    'critical_after_failures',
    'down_after_failures',
    'healthy_after_successes',
  ],
  intervals_seconds: ['HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN'],
  priorities: ['HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN', 'UNKNOWN', 'JIT'],
};

const SECTION_UNITS: { readonly [S in IntegerSection]: string } = {
  thresholds: 'checks',
  intervals_seconds: 'seconds',
  priorities: '9 is most urgent',
};

const SECTIONS = Object.keys(SECTION_KEYS) as IntegerSection[];
const TOP_LEVEL_KEYS: readonly string[] = [
  ...SECTIONS,
  'jitter_ratio',
  'problem_states',
  'flapping',
  'history_retention_days',
];
const FLAPPING_KEYS = ['start_percent', 'stop_percent'] as const;

/** Failure thresholds that must not decrease, in this order. */
const ORDERED_THRESHOLDS = [
  'degraded_after_failures',
  'critical_after_failures',
  'down_after_failures',
] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** `undefined` counts as "not given" (JSON cannot carry it; a TS Partial may). */
function given(obj: Record<string, unknown>, key: string): boolean {
  return hasOwn(obj, key) && obj[key] !== undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
      return `a string (${JSON.stringify(shown)})`;
    }
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'number':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function unknownKeyErrors(obj: Record<string, unknown>, known: readonly string[], prefix: string) {
  return Object.keys(obj)
    .filter((key) => !known.includes(key))
    .map((key): PolicyError => ({
      field: prefix ? `${prefix}.${key}` : key,
      problem: `is not a known setting (expected one of: ${known.join(', ')})`,
    }));
}

/**
 * Deep-merges a PARTIAL policy over `base` and validates the result. Every problem is reported,
 * not just the first. On success the returned policy is a fresh, deeply frozen object.
 */
export function validatePolicy(
  input: unknown,
  base: MonitoringPolicy = DEFAULT_POLICY,
): PolicyValidationResult {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      errors: [{ field: 'policy', problem: `must be an object, got ${describeValue(input)}` }],
    };
  }

  const errors: PolicyError[] = unknownKeyErrors(input, TOP_LEVEL_KEYS, '');
  const merged: Record<string, unknown> = {};

  for (const section of SECTIONS) {
    const keys = SECTION_KEYS[section] as readonly string[];
    const baseSection = base[section] as unknown as Record<string, unknown>;
    let override: Record<string, unknown> = {};
    if (given(input, section)) {
      const raw = input[section];
      if (!isPlainObject(raw)) {
        errors.push({ field: section, problem: `must be an object, got ${describeValue(raw)}` });
      } else {
        override = raw;
        errors.push(...unknownKeyErrors(raw, keys, section));
      }
    }

    const { min, max } = POLICY_LIMITS[section];
    const out: Record<string, unknown> = {};
    const valid = new Set<string>();
    for (const key of keys) {
      const value = given(override, key) ? override[key] : baseSection[key];
      out[key] = value;
      if (Number.isInteger(value) && (value as number) >= min && (value as number) <= max) {
        valid.add(key);
      } else {
        errors.push({
          field: `${section}.${key}`,
          problem: `must be an integer between ${min} and ${max} (${SECTION_UNITS[section]}), got ${describeValue(value)}`,
        });
      }
    }
    merged[section] = out;

    if (section === 'thresholds') {
      errors.push(...orderingErrors(out, valid, override));
    }
  }

  const jitter = given(input, 'jitter_ratio') ? input.jitter_ratio : base.jitter_ratio;
  const { min: jMin, max: jMax } = POLICY_LIMITS.jitter_ratio;
  if (!(
    typeof jitter === 'number' &&
    Number.isFinite(jitter) &&
    jitter >= jMin &&
    jitter <= jMax
  )) {
    errors.push({
      field: 'jitter_ratio',
      problem: `must be a number between ${jMin} and ${jMax} (fraction of the interval), got ${describeValue(jitter)}`,
    });
  }
  merged.jitter_ratio = jitter;

  const problemStates = given(input, 'problem_states') ? input.problem_states : base.problem_states;
  const states = problemStatesOf(problemStates);
  if (states === null) {
    errors.push({
      field: 'problem_states',
      problem: `must be a list of distinct states among ${PROBLEM_STATE_CHOICES.join(', ')}, got ${describeValue(problemStates)}`,
    });
  }
  merged.problem_states = states ?? problemStates;

  merged.flapping = flappingOf(input, base, errors);

  const retention = given(input, 'history_retention_days')
    ? input.history_retention_days
    : (base.history_retention_days ?? null);
  const { min: rMin, max: rMax } = POLICY_LIMITS.history_retention_days;
  if (
    retention !== null &&
    !(Number.isInteger(retention) && (retention as number) >= rMin && (retention as number) <= rMax)
  ) {
    errors.push({
      field: 'history_retention_days',
      problem: `must be null (HISTORY_RETENTION_DAYS) or an integer between ${rMin} and ${rMax} (days), got ${describeValue(retention)}`,
    });
  }
  merged.history_retention_days = retention;

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policy: deepFreeze(merged as unknown as MonitoringPolicy) };
}

/** The flapping section merged over base's, each percentage checked, stop <= start. */
function flappingOf(
  input: Record<string, unknown>,
  base: MonitoringPolicy,
  errors: PolicyError[],
): Record<string, unknown> {
  let override: Record<string, unknown> = {};
  if (given(input, 'flapping')) {
    const raw = input.flapping;
    if (!isPlainObject(raw)) {
      errors.push({ field: 'flapping', problem: `must be an object, got ${describeValue(raw)}` });
    } else {
      override = raw;
      errors.push(...unknownKeyErrors(raw, FLAPPING_KEYS, 'flapping'));
    }
  }
  const { min, max } = POLICY_LIMITS.flapping;
  const out: Record<string, unknown> = {};
  let valid = true;
  for (const key of FLAPPING_KEYS) {
    const value = given(override, key) ? override[key] : base.flapping[key];
    out[key] = value;
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max)) {
      valid = false;
      errors.push({
        field: `flapping.${key}`,
        problem: `must be a number between ${min} and ${max} (percent), got ${describeValue(value)}`,
      });
    }
  }
  if (valid && (out.stop_percent as number) > (out.start_percent as number)) {
    const field = given(override, 'stop_percent') ? 'stop_percent' : 'start_percent';
    errors.push({
      field: `flapping.${field}`,
      problem: `stop_percent (${String(out.stop_percent)}) must be at most start_percent (${String(out.start_percent)})`,
    });
  }
  return out;
}

/** The states in canonical order, or null when the value is not a list of distinct choices. */
function problemStatesOf(value: unknown): ProblemState[] | null {
  if (!Array.isArray(value)) return null;
  const choices = PROBLEM_STATE_CHOICES as readonly unknown[];
  if (value.some((v) => !choices.includes(v)) || new Set(value).size !== value.length) return null;
  return PROBLEM_STATE_CHOICES.filter((s) => value.includes(s));
}

/**
 * degraded_after_failures <= critical_after_failures <= down_after_failures. When a pair is out of
 * order the error names the field the caller supplied (the later one if both or neither were).
 * Pairs with an individually invalid value are skipped: that value already has its own error.
 */
function orderingErrors(
  values: Record<string, unknown>,
  valid: ReadonlySet<string>,
  override: Record<string, unknown>,
): PolicyError[] {
  const errors: PolicyError[] = [];
  const rule = ORDERED_THRESHOLDS.join(' <= ');
  for (let i = 0; i + 1 < ORDERED_THRESHOLDS.length; i++) {
    const lower = ORDERED_THRESHOLDS[i];
    const upper = ORDERED_THRESHOLDS[i + 1];
    if (!valid.has(lower) || !valid.has(upper)) continue;
    const lo = values[lower] as number;
    const hi = values[upper] as number;
    if (lo <= hi) continue;
    const blameLower = given(override, lower) && !given(override, upper);
    errors.push(
      blameLower
        ? {
            field: `thresholds.${lower}`,
            problem: `must be at most ${upper} (${hi}), got ${lo}; thresholds must satisfy ${rule}`,
          }
        : {
            field: `thresholds.${upper}`,
            problem: `must be at least ${lower} (${lo}), got ${hi}; thresholds must satisfy ${rule}`,
          },
    );
  }
  return errors;
}

/**
 * The simulated fleet's vocabulary: behaviours, the `--mix` syntax, and the loopback address of
 * each simulated host. Pure: no I/O, so the launcher, the shards, the load test and the bench
 * agree on who is who.
 */
export const BEHAVIOURS = [
  'healthy',
  'slow',
  'refused',
  'silent',
  'not_ssh',
  'drop',
  'auth_fail',
  'flapping',
  'rotate_key',
  'dies_after',
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/** Knobs shared by every host of a fleet (each can also be set per host at run time). */
export interface BehaviourParams {
  /** slow: added latency before the banner and before answering authentication (ms). */
  slowMs: number;
  /** flapping: up/down phase length in connections (used when flapPeriodMs is 0). */
  flapEvery: number;
  /** flapping: up/down phase length in milliseconds; 0 = count connections instead. */
  flapPeriodMs: number;
  /** rotate_key: a new host key after this many completed handshakes. */
  rotateEvery: number;
  /** dies_after: connections served before the host stops listening for good. */
  diesAfter: number;
}

export const DEFAULT_PARAMS: BehaviourParams = {
  slowMs: 200,
  flapEvery: 1,
  flapPeriodMs: 0,
  rotateEvery: 1,
  diesAfter: 3,
};

export type Mix = ReadonlyArray<{ behaviour: Behaviour; percent: number }>;

/**
 * Parses `healthy=70,refused=10,...`. Percentages must add up to 100; a behaviour may be
 * given once. Throws an Error whose message says what to fix.
 */
export function parseMix(text: string): Mix {
  const mix: Array<{ behaviour: Behaviour; percent: number }> = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const m = /^([a-z_]+)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) throw new Error(`--mix: "${part}" is not <behaviour>=<percent>`);
    const behaviour = m[1] as Behaviour;
    if (!BEHAVIOURS.includes(behaviour)) {
      throw new Error(`--mix: unknown behaviour "${m[1]}" (known: ${BEHAVIOURS.join(', ')})`);
    }
    if (mix.some((e) => e.behaviour === behaviour)) {
      throw new Error(`--mix: "${behaviour}" is given twice`);
    }
    mix.push({ behaviour, percent: Number(m[2]) });
  }
  const total = mix.reduce((sum, e) => sum + e.percent, 0);
  if (mix.length === 0 || Math.abs(total - 100) > 1e-9) {
    throw new Error(`--mix: percentages must add up to 100, got ${total}`);
  }
  return mix;
}

/**
 * Assigns a behaviour to each of `hosts` hosts: exact counts by largest remainder, laid out
 * in blocks in mix order, so host i's behaviour is reproducible.
 */
/** The range each behaviour parameter may take through the control API. */
export const PARAM_RANGES: Record<keyof BehaviourParams, [number, number]> = {
  slowMs: [0, 3_600_000],
  flapEvery: [1, 1_000_000],
  flapPeriodMs: [0, 86_400_000],
  rotateEvery: [1, 1_000_000],
  diesAfter: [1, 1_000_000_000],
};

/** A control API change of one host: a new behaviour, new parameters, or both. */
export interface HostChange {
  behaviour?: Behaviour;
  params?: Partial<BehaviourParams>;
}

/**
 * Reads a `PUT /hosts/<address>` body, refusing anything but `{behaviour?, params?}` with
 * known names and whole numbers in range, with a message that names the field.
 */
export function parseHostChange(body: unknown): HostChange {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('body: a JSON object {"behaviour": ..., "params": {...}}');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'behaviour' && key !== 'params') {
      throw new Error(`${key}: unknown field (known: behaviour, params)`);
    }
  }
  if (record.behaviour === undefined && record.params === undefined) {
    throw new Error('body: name a behaviour, params, or both');
  }
  const change: HostChange = {};
  if (record.behaviour !== undefined) {
    if (!(BEHAVIOURS as readonly unknown[]).includes(record.behaviour)) {
      throw new Error(
        `behaviour: unknown behaviour ${JSON.stringify(record.behaviour)} (known: ${BEHAVIOURS.join(', ')})`,
      );
    }
    change.behaviour = record.behaviour as Behaviour;
  }
  if (record.params !== undefined) {
    const params = record.params;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new Error('params: a JSON object, e.g. {"slowMs": 500}');
    }
    change.params = {};
    for (const [name, value] of Object.entries(params)) {
      const range = PARAM_RANGES[name as keyof BehaviourParams];
      if (!range) {
        throw new Error(
          `params.${name}: unknown parameter (known: ${Object.keys(PARAM_RANGES).join(', ')})`,
        );
      }
      if (
        !Number.isInteger(value) ||
        (value as number) < range[0] ||
        (value as number) > range[1]
      ) {
        throw new Error(
          `params.${name}: a whole number from ${range[0]} to ${range[1]}, got ${JSON.stringify(value)}`,
        );
      }
      change.params[name as keyof BehaviourParams] = value as number;
    }
  }
  return change;
}

export function assignBehaviours(hosts: number, mix: Mix): Behaviour[] {
  const exact = mix.map((e) => (hosts * e.percent) / 100);
  const counts = exact.map(Math.floor);
  let left = hosts - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    counts[i]++;
  }
  const out: Behaviour[] = [];
  mix.forEach((e, i) => {
    for (let k = 0; k < counts[i]; k++) out.push(e.behaviour);
  });
  return out;
}

/** First octets of the simulated range: 127.10.0.1 upwards, clear of 127.0.0.x services. */
const BASE = 10 << 16;

/** The loopback address of host `index` (0-based): 127.10.0.1, 127.10.0.2, ... */
export function hostAddress(index: number, base = BASE): string {
  const n = base + index + 1;
  if (!Number.isInteger(index) || index < 0 || n >= 1 << 24) {
    throw new Error(`host index ${index} does not fit in 127.0.0.0/8`);
  }
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The host name registered for host `index`. */
export function hostName(index: number, behaviour: Behaviour): string {
  return `sim-${String(index + 1).padStart(6, '0')}-${behaviour.replace('_', '-')}`;
}

/**
 * What hostwatch should conclude about a host after `checks` checks of it (UNKNOWN first,
 * default thresholds), given its behaviour under count-based schedules. Used by the load test.
 */
export function expectedSuccesses(
  behaviour: Behaviour,
  checks: number,
  params: BehaviourParams,
): boolean[] {
  const out: boolean[] = [];
  for (let k = 0; k < checks; k++) {
    switch (behaviour) {
      case 'healthy':
      case 'slow':
        out.push(true);
        break;
      case 'flapping':
        out.push(Math.floor(k / params.flapEvery) % 2 === 0);
        break;
      case 'rotate_key':
        // The first key is pinned; every later one is a mismatch (rotation after each handshake
        // when rotateEvery is 1).
        out.push(k < params.rotateEvery);
        break;
      case 'dies_after':
        out.push(k < params.diesAfter);
        break;
      default:
        out.push(false);
    }
  }
  return out;
}

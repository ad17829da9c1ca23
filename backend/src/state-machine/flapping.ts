/**
 * Flap detection, after Icinga: of the last 21 check results, the 20 changes between them
 * (a result up where the one before was down, or the other way) are weighted from 0.8 (oldest)
 * to 1.2 (newest); the weighted share of changes is the flap percentage. A host starts flapping
 * above the policy's start percentage and stops at or below its stop percentage, so it does not
 * go in and out of flapping on every check near one threshold.
 */

/** Changes remembered: the last 21 results. */
export const FLAP_WINDOW = 20;
const ALL = (1 << FLAP_WINDOW) - 1;
const WEIGHTS = Array.from({ length: FLAP_WINDOW }, (_, i) => 1.2 - (0.4 * i) / (FLAP_WINDOW - 1));
const TOTAL = WEIGHTS.reduce((a, b) => a + b, 0);

export interface FlapThresholds {
  start_percent: number;
  stop_percent: number;
}

/** A host's flap history: bit i set when the result i checks ago changed from the one before. */
export interface FlapState {
  changes: number;
  flapping: boolean;
  /** 0..100, one decimal. */
  percent: number;
}

/** The weighted share of changes in `changes`, in percent with one decimal. */
export function flapPercent(changes: number): number {
  let weighted = 0;
  for (let i = 0; i < FLAP_WINDOW; i++) if (changes & (1 << i)) weighted += WEIGHTS[i];
  return Math.round((weighted / TOTAL) * 1000) / 10;
}

/**
 * The flap state after one more result. `changed`: whether it differs (up or down) from the
 * result before it; a host's first result (or its first after a reset) changes nothing.
 */
export function nextFlapState(
  previous: Pick<FlapState, 'changes' | 'flapping'>,
  changed: boolean,
  thresholds: FlapThresholds,
): FlapState {
  const changes = ((previous.changes << 1) | (changed ? 1 : 0)) & ALL;
  const percent = flapPercent(changes);
  const flapping = previous.flapping
    ? percent > thresholds.stop_percent
    : percent > thresholds.start_percent;
  return { changes, flapping, percent };
}

import fc from 'fast-check';
import { FLAP_WINDOW, flapPercent, nextFlapState } from './flapping';

const THRESHOLDS = { start_percent: 30, stop_percent: 25 };

/** Feeds results (true up, false down) in order; the first result changes nothing. */
function feed(results: boolean[], thresholds = THRESHOLDS) {
  let state = { changes: 0, flapping: false, percent: 0 };
  const seen: Array<typeof state> = [];
  results.forEach((up, i) => {
    state = nextFlapState(state, i > 0 && up !== results[i - 1], thresholds);
    seen.push(state);
  });
  return seen;
}

describe('flap detection (weighted changes over the last 21 results)', () => {
  it('is 0 without changes and 100 when every result changes', () => {
    expect(flapPercent(0)).toBe(0);
    expect(flapPercent((1 << FLAP_WINDOW) - 1)).toBe(100);
  });

  it('weighs the newest change 1.2 and the oldest 0.8', () => {
    // 20 weights from 1.2 to 0.8 sum to 20: each share is weight / 20.
    expect(flapPercent(1)).toBe(6);
    expect(flapPercent(1 << (FLAP_WINDOW - 1))).toBe(4);
  });

  it('starts flapping above the start percentage on a host that alternates, and stops after it settles', () => {
    const alternating = Array.from({ length: 12 }, (_, i) => i % 2 === 0);
    const states = feed([...alternating, ...Array(21).fill(true)]);
    const startedAt = states.findIndex((s) => s.flapping);
    expect(startedAt).toBeGreaterThan(0);
    expect(states[startedAt].percent).toBeGreaterThan(30);
    expect(states[startedAt - 1].percent).toBeLessThanOrEqual(30);
    const stoppedAt = states.findIndex((s, i) => i > startedAt && !s.flapping);
    expect(states[stoppedAt].percent).toBeLessThanOrEqual(25);
    expect(states[stoppedAt - 1].percent).toBeGreaterThan(25);
    expect(states[states.length - 1]).toEqual({ changes: 0, flapping: false, percent: 0 });
  });

  it('keeps flapping between the two thresholds (hysteresis)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }), (results) => {
        const states = feed(results);
        states.forEach((s, i) => {
          const before = i > 0 ? states[i - 1].flapping : false;
          if (s.percent > 30) expect(s.flapping).toBe(true);
          if (s.percent <= 25) expect(s.flapping).toBe(false);
          if (s.percent > 25 && s.percent <= 30) expect(s.flapping).toBe(before);
          expect(s.percent).toBeGreaterThanOrEqual(0);
          expect(s.percent).toBeLessThanOrEqual(100);
        });
      }),
    );
  });

  it('remembers only the last 20 changes', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 21, maxLength: 60 }), (results) => {
        const last = feed(results).at(-1)!;
        const recent = feed(results.slice(-21)).at(-1)!;
        expect(last.percent).toBe(recent.percent);
      }),
    );
  });
});

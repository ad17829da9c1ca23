import { readyForScan, STATE_STYLES, stateStyle } from './state';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('state styles', () => {
  it('covers every state the API knows, each with its own label and symbol', () => {
    const states = ['HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN', 'UNKNOWN', 'MAINTENANCE'];
    expect(Object.keys(STATE_STYLES).sort()).toEqual([...states].sort());
    const labels = states.map((s) => stateStyle(s).label);
    const symbols = states.map((s) => stateStyle(s).symbol);
    expect(new Set(labels).size).toBe(states.length);
    expect(new Set(symbols).size).toBe(states.length);
  });

  it('keeps badge text readable: contrast of at least 4.5:1 (WCAG AA)', () => {
    for (const [state, style] of Object.entries(STATE_STYLES)) {
      expect([state, contrast(style.background, style.foreground) >= 4.5]).toEqual([state, true]);
    }
  });

  it('never uses the same colour for two states', () => {
    const colours = Object.values(STATE_STYLES).map((s) => s.background);
    expect(new Set(colours).size).toBe(colours.length);
  });

  it('falls back to UNKNOWN for a missing or unexpected state', () => {
    expect(stateStyle(null).label).toBe('Unknown');
    expect(stateStyle('SOMETHING_NEW').label).toBe('Unknown');
  });
});

describe('readyForScan', () => {
  it('is yes only when authentication succeeded and the host key is pinned', () => {
    expect(readyForScan({ success: true, stage: 'auth', host_key_pinned: true }).ready).toBe(true);
    expect(readyForScan({ success: true, stage: 'auth', host_key_pinned: false })).toEqual({
      ready: false,
      reason: 'the host key is not pinned',
    });
    expect(readyForScan({ success: true, stage: 'kex', host_key_pinned: true }).reason).toMatch(
      /no credential/,
    );
    expect(readyForScan({ success: false, stage: 'auth', host_key_pinned: true }).ready).toBe(
      false,
    );
  });
});

import { formatPercent, heartbeatSummary, heartbeatTicks, uptimePercent } from './heartbeat';

const result = (minute: number, success: boolean) => ({
  check_time: `2026-12-06T10:${String(minute).padStart(2, '0')}:00.000Z`,
  success,
  state: success ? 'HEALTHY' : 'DEGRADED',
  response_time_ms: success ? 41.6 : 3,
  error_type: success ? null : 'refused',
});

describe('heartbeat strip', () => {
  it('puts the newest result on the right and pads the left with empty ticks', () => {
    const ticks = heartbeatTicks([result(3, false), result(2, true), result(1, true)], 5);
    expect(ticks.map((t) => t.kind)).toEqual(['none', 'none', 'up', 'up', 'down']);
    expect(ticks[2].title).toBe('2026-12-06 10:01:00 UTC: ok in 42 ms');
    expect(ticks[4].title).toBe('2026-12-06 10:03:00 UTC: refused');
  });

  it('shows only the latest results when there are more', () => {
    const many = Array.from({ length: 40 }, (_, i) => result(59 - i, i % 2 === 0));
    const ticks = heartbeatTicks(many, 30);
    expect(ticks).toHaveLength(30);
    expect(ticks[29].title).toContain('10:59:00');
    expect(ticks.some((t) => t.kind === 'none')).toBe(false);
  });

  it('computes uptime from the results and never rounds a failure up to 100%', () => {
    expect(uptimePercent([])).toBeNull();
    expect(formatPercent(uptimePercent([]))).toBe('—');
    const mostly = [...Array.from({ length: 999 }, () => ({ success: true })), { success: false }];
    expect(formatPercent(uptimePercent(mostly))).toBe('99.9%');
    expect(formatPercent(uptimePercent([{ success: true }]))).toBe('100%');
    expect(formatPercent(uptimePercent([{ success: true }, { success: false }]))).toBe('50.0%');
  });

  it('summarises the strip in words', () => {
    expect(heartbeatSummary([])).toBe('no checks yet');
    expect(heartbeatSummary([result(2, false), result(1, true), result(0, true)])).toBe(
      '2 up, 1 down of the last 3 checks',
    );
  });
});

import {
  formatCountdown,
  formatDuration,
  formatErrorType,
  formatMs,
  formatRelative,
  formatSince,
  formatTimestamp,
} from './format';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

describe('formatting', () => {
  it('shows response times in ms below a second, in seconds above', () => {
    expect([
      formatMs(null),
      formatMs(4.4),
      formatMs(999),
      formatMs(1234),
      formatMs(65_000),
    ]).toEqual(['—', '4 ms', '999 ms', '1.23 s', '65.0 s']);
  });

  it('keeps durations to their two largest units', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7500)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86400 + 7200 + 59)).toBe('3 d 2 h');
    expect(formatDuration(3600)).toBe('1 h');
  });

  it('says past and future plainly', () => {
    expect(formatRelative(at(250), NOW)).toBe('in 4 min 10 s');
    expect(formatRelative(at(-12), NOW)).toBe('12 s ago');
    expect(formatRelative(at(0), NOW)).toBe('now');
    expect(formatRelative(null, NOW)).toBe('—');
    expect(formatRelative('not a date', NOW)).toBe('—');
  });

  it('counts down to the next check and says when it is overdue', () => {
    expect(formatCountdown(at(90), NOW)).toBe('in 1 min 30 s');
    expect(formatCountdown(at(-2), NOW)).toBe('due now');
    expect(formatCountdown(at(-600), NOW)).toBe('overdue by 10 min');
    expect(formatCountdown(null, NOW)).toBe('not scheduled');
  });

  it('prints absolute times in UTC, whatever the browser zone', () => {
    expect(formatTimestamp('2026-11-28T21:04:05.123Z')).toBe('2026-11-28 21:04:05 UTC');
    expect(formatTimestamp(null)).toBe('—');
  });

  it('spells probe error types as words', () => {
    expect(formatErrorType('connection_refused')).toBe('connection refused');
    expect(formatErrorType(null)).toBe('—');
  });

  it('says "now" for an event stamped a little ahead of a slow display clock', () => {
    expect(formatSince(at(-75), NOW)).toBe('1 min 15 s ago');
    expect(formatSince(at(3), NOW)).toBe('just now');
    expect(formatSince(at(-0.4), NOW)).toBe('just now');
    expect(formatSince(at(-1), NOW)).toBe('1 s ago');
    expect(formatSince('not a date', NOW)).toBe('—');
    expect(formatSince(null, NOW)).toBe('—');
  });
});

import { checkOnOpen, FRESH_WINDOW_MS } from './fresh-check';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const host = (over: Partial<Parameters<typeof checkOnOpen>[0]> = {}) => ({
  is_active: true,
  monitoring_state: 'HEALTHY',
  last_check_at: ago(FRESH_WINDOW_MS + 1000),
  ...over,
});

describe('checking a host when its page opens', () => {
  it('checks an active host whose last result is stale or missing', () => {
    expect(checkOnOpen(host(), NOW, true)).toEqual({ check: true });
    expect(checkOnOpen(host({ last_check_at: null }), NOW, true)).toEqual({ check: true });
  });

  it('shows a fresh result instead of checking again', () => {
    expect(checkOnOpen(host({ last_check_at: ago(59_000) }), NOW, true)).toEqual({
      check: false,
      why: 'fresh',
    });
  });

  it('never checks an inactive host or one in maintenance, however old its result', () => {
    expect(checkOnOpen(host({ is_active: false, last_check_at: null }), NOW, true)).toEqual({
      check: false,
      why: 'inactive',
    });
    expect(checkOnOpen(host({ monitoring_state: 'MAINTENANCE' }), NOW, true)).toEqual({
      check: false,
      why: 'maintenance',
    });
  });

  it('leaves checks to those allowed to queue them', () => {
    expect(checkOnOpen(host(), NOW, false)).toEqual({ check: false, why: 'viewer' });
  });
});

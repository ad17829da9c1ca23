import { describeNextCheck } from './next-check';

const NOW = Date.parse('2026-12-06T12:00:00Z');

describe('next check in words', () => {
  it('says an inactive host is not scheduled, even with a next check in the past', () => {
    const host = {
      is_active: false,
      monitoring_state: 'UNKNOWN',
      next_check_at: '2026-12-06T11:57:00Z',
    };
    expect(describeNextCheck(host, NOW)).toBe('not scheduled: inactive');
  });

  it('says a host in maintenance is not scheduled', () => {
    const host = { is_active: true, monitoring_state: 'MAINTENANCE', next_check_at: null };
    expect(describeNextCheck(host, NOW)).toBe('not scheduled: maintenance');
  });

  it('counts down to an active host’s next check, and says when it is overdue', () => {
    const at = (iso: string) => ({
      is_active: true,
      monitoring_state: 'HEALTHY',
      next_check_at: iso,
    });
    expect(describeNextCheck(at('2026-12-06T12:04:10Z'), NOW)).toBe('in 4 min 10 s');
    expect(describeNextCheck(at('2026-12-06T11:57:00Z'), NOW)).toBe('overdue by 3 min');
  });
});

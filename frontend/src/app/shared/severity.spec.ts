import { isFailing, SEVERITY_ORDER, severityRank, worstAndOldestFirst } from './severity';

describe('severity', () => {
  it('ranks DOWN, CRITICAL, DEGRADED, UNKNOWN, HEALTHY, MAINTENANCE', () => {
    const shuffled = ['HEALTHY', 'MAINTENANCE', 'DEGRADED', 'UNKNOWN', 'DOWN', 'CRITICAL'];
    expect([...shuffled].sort((a, b) => severityRank(a) - severityRank(b))).toEqual(SEVERITY_ORDER);
    expect(severityRank('SOMETHING')).toBe(severityRank('UNKNOWN'));
  });

  it('says which states are failing', () => {
    expect(SEVERITY_ORDER.filter(isFailing)).toEqual(['DOWN', 'CRITICAL', 'DEGRADED']);
  });

  it('puts the worst first, then the one failing longest, then by name', () => {
    const items = [
      { name: 'b', state: 'DEGRADED', since: '2026-12-01T10:00:00Z' },
      { name: 'a', state: 'DOWN', since: '2026-12-01T12:00:00Z' },
      { name: 'c', state: 'DOWN', since: '2026-12-01T09:00:00Z' },
      { name: 'e', state: 'DOWN', since: null },
      { name: 'd', state: 'CRITICAL', since: '2026-12-01T08:00:00Z' },
      { name: 'f', state: 'DOWN', since: null },
    ];
    expect(worstAndOldestFirst(items).map((i) => i.name)).toEqual(['c', 'a', 'e', 'f', 'd', 'b']);
  });
});

import { withDistinctHosts, type AppliedCheck } from './alerts.repository';

const result = (hostId: string, taskId: string): AppliedCheck => ({
  hostId,
  taskId,
  checkedAt: new Date(0),
  previousState: 'HEALTHY',
  state: 'DEGRADED',
  success: false,
  errorType: 'timeout',
  errorMessage: null,
  stage: 'connect',
  suppressedBy: null,
  flapChange: null,
  flapPercent: 0,
});

describe('a batch of applied results, for one statement each part', () => {
  it('keeps a batch whole when no host repeats', () => {
    const batch = [result('a', '1'), result('b', '2'), result('c', '3')];
    expect(withDistinctHosts(batch)).toEqual([batch]);
  });

  it("splits where a host repeats, so each host's results are recorded in order", () => {
    const parts = withDistinctHosts([
      result('a', '1'),
      result('b', '2'),
      result('a', '3'),
      result('c', '4'),
      result('a', '5'),
    ]);
    expect(parts.map((p) => p.map((r) => r.taskId))).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('gives nothing for nothing', () => {
    expect(withDistinctHosts([])).toEqual([]);
  });
});

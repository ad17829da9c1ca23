import { lostSince, staleNotice } from './stale';

describe('stale data', () => {
  it('dates the data from the first failure until the stream is open again', () => {
    let lost = lostSince(null, 'connecting', 1000);
    expect(lost).toBeNull();
    lost = lostSince(lost, 'reconnecting', 5000);
    expect(lost).toBe(5000);
    lost = lostSince(lost, 'connecting', 9000);
    lost = lostSince(lost, 'reconnecting', 12000);
    expect(lost).toBe(5000);
    expect(lostSince(lost, 'open', 20000)).toBeNull();
  });

  it('says how old the data is', () => {
    expect(staleNotice(null, 10_000)).toBeNull();
    expect(staleNotice(10_000, 135_000)).toBe(
      'Live updates stopped 2 min 5 s ago: states shown here may be out of date. Reconnecting…',
    );
  });
});

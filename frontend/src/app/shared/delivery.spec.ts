import { describeDelivery, deliveryStyle } from './delivery';

describe('delivery results in words', () => {
  it("leads with the receiver's answer and the time it took", () => {
    expect(
      describeDelivery({ status: 'delivered', response: 'HTTP 200', latency_ms: 12, error: null }),
    ).toBe('Delivered: HTTP 200 in 12 ms');
    expect(
      describeDelivery({
        status: 'delivered',
        response: '250 2.0.0 OK',
        latency_ms: 1500,
        error: null,
      }),
    ).toBe('Delivered: 250 2.0.0 OK in 1.50 s');
  });

  it('says why an attempt failed, and whether another follows', () => {
    expect(
      describeDelivery({
        status: 'failed',
        response: 'HTTP 410',
        latency_ms: 4,
        error: 'the receiver answered 410: gone',
      }),
    ).toBe('Failed: HTTP 410 in 4 ms (the receiver answered 410: gone)');
    expect(
      describeDelivery({
        status: 'retrying',
        response: null,
        latency_ms: 3000,
        error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
      }),
    ).toBe('Failed, retrying: in 3.00 s (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)');
  });

  it('never shows an unknown status as delivered', () => {
    expect(deliveryStyle('exploded').label).toBe('Failed');
  });
});

import { parseHostEvent } from './host-events.bus';

describe('host events read from the Redis channel', () => {
  const host = { id: '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11', hostname: 'db-7' };

  it('passes on the three host events', () => {
    for (const type of ['host_created', 'host_updated', 'host_deleted']) {
      const event = { type, host, at: '2026-11-28T12:00:00.000Z' };
      expect(parseHostEvent(JSON.stringify(event))).toEqual(event);
    }
  });

  it('drops anything else: other types, no host, not JSON', () => {
    expect(parseHostEvent(JSON.stringify({ type: 'check', host }))).toBeNull();
    expect(parseHostEvent(JSON.stringify({ type: 'host_created' }))).toBeNull();
    expect(parseHostEvent(JSON.stringify({ type: 'host_deleted', host: { id: 7 } }))).toBeNull();
    expect(parseHostEvent('not json')).toBeNull();
    expect(parseHostEvent('null')).toBeNull();
  });
});

import {
  assignBehaviours,
  expectedSuccesses,
  hostAddress,
  parseHostChange,
  parseMix,
  DEFAULT_PARAMS,
} from './behaviours';

describe('fleet behaviours', () => {
  it('parses a mix and says what is wrong with a bad one', () => {
    expect(parseMix('healthy=70, refused=30')).toEqual([
      { behaviour: 'healthy', percent: 70 },
      { behaviour: 'refused', percent: 30 },
    ]);
    expect(() => parseMix('healthy=70,refused=20')).toThrow('add up to 100, got 90');
    expect(() => parseMix('healthy=50,sleepy=50')).toThrow('unknown behaviour "sleepy"');
    expect(() => parseMix('healthy=50,healthy=50')).toThrow('given twice');
    expect(() => parseMix('healthy')).toThrow('not <behaviour>=<percent>');
  });

  it('assigns exact counts that add up to the fleet size', () => {
    const hosts = assignBehaviours(1001, parseMix('healthy=33.3,slow=33.3,drop=33.4'));
    expect(hosts).toHaveLength(1001);
    const count = (b: string) => hosts.filter((h) => h === b).length;
    expect(count('healthy') + count('slow') + count('drop')).toBe(1001);
    expect(count('drop')).toBe(335);
  });

  it('gives every host its own loopback address, clear of 127.0.0.x', () => {
    expect(hostAddress(0)).toBe('127.10.0.1');
    expect(hostAddress(254)).toBe('127.10.0.255');
    expect(hostAddress(255)).toBe('127.10.1.0');
    expect(hostAddress(99_999)).toBe('127.11.134.160');
    const seen = new Set(Array.from({ length: 70_000 }, (_, i) => hostAddress(i)));
    expect(seen.size).toBe(70_000);
    expect(() => hostAddress(-1)).toThrow();
  });

  it('predicts each behaviour check by check', () => {
    const p = { ...DEFAULT_PARAMS, flapEvery: 2, diesAfter: 1, rotateEvery: 1 };
    expect(expectedSuccesses('flapping', 5, p)).toEqual([true, true, false, false, true]);
    expect(expectedSuccesses('dies_after', 3, p)).toEqual([true, false, false]);
    expect(expectedSuccesses('rotate_key', 2, p)).toEqual([true, false]);
    expect(expectedSuccesses('silent', 1, p)).toEqual([false]);
  });
});

describe('parseHostChange (the control API body)', () => {
  it('takes a behaviour, params, or both', () => {
    expect(parseHostChange({ behaviour: 'slow' })).toEqual({ behaviour: 'slow' });
    expect(parseHostChange({ params: { slowMs: 0, diesAfter: 5 } })).toEqual({
      params: { slowMs: 0, diesAfter: 5 },
    });
    expect(parseHostChange({ behaviour: 'flapping', params: { flapPeriodMs: 2000 } })).toEqual({
      behaviour: 'flapping',
      params: { flapPeriodMs: 2000 },
    });
  });

  it.each([
    [undefined, /^body: a JSON object/],
    [null, /^body: a JSON object/],
    [[1, 2], /^body: a JSON object/],
    ['slow', /^body: a JSON object/],
    [{}, /^body: name a behaviour, params, or both/],
    [{ behaviour: 'bogus' }, /^behaviour: unknown behaviour "bogus" \(known: healthy, /],
    [{ behaviour: null }, /^behaviour: unknown behaviour null/],
    [{ behaviour: 'slow', slow_ms: 5 }, /^slow_ms: unknown field \(known: behaviour, params\)/],
    [{ params: 'x' }, /^params: a JSON object/],
    [{ params: [1] }, /^params: a JSON object/],
    [{ params: { bogus: 1 } }, /^params\.bogus: unknown parameter \(known: slowMs, /],
    [{ params: { slowMs: -5 } }, /^params\.slowMs: a whole number from 0 to 3600000, got -5/],
    [{ params: { slowMs: 1.5 } }, /^params\.slowMs: a whole number/],
    [{ params: { slowMs: '500' } }, /^params\.slowMs: a whole number .* got "500"/],
    [{ params: { flapEvery: 0 } }, /^params\.flapEvery: a whole number from 1 to/],
    [{ params: { diesAfter: 1e12 } }, /^params\.diesAfter: a whole number from 1 to 1000000000/],
  ])('refuses %j, naming the field', (body, message) => {
    expect(() => parseHostChange(body)).toThrow(message);
  });
});

import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DependencyStatus } from './dependency-status';

class StepClock extends Clock {
  constructor(private ms: number) {
    super();
  }
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

describe('DependencyStatus', () => {
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs once when a dependency goes away and once when it comes back, however often it is told', () => {
    const clock = new StepClock(Date.parse('2026-01-01T10:42:00Z'));
    const status = new DependencyStatus(clock);
    status.describe('redis', 'Redis at 10.0.0.5:6379');

    expect(status.down('redis', 'connect ECONNREFUSED')).toBe(true);
    for (let job = 0; job < 50; job++) status.down('redis', 'Connection is closed.');
    clock.advance(12_500);
    expect(status.state('redis')).toMatchObject({
      up: false,
      since: new Date('2026-01-01T10:42:00Z'),
      reason: 'Connection is closed.',
      outages: 1,
      downSeconds: 12.5,
    });
    expect(status.up('redis')).toBe(true);
    expect(status.up('redis')).toBe(false);

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(
      /^Redis at 10\.0\.0\.5:6379 went away \(connect ECONNREFUSED\): checks are paused, JIT checks answer 503/,
    );
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(/^Redis at 10\.0\.0\.5:6379 is back after 12\.5 s/);
    expect(status.state('redis')).toMatchObject({ up: true, outages: 1, downSeconds: 12.5 });
    expect(status.isUp('database')).toBe(true);
  });

  it('counts each outage and wakes whoever waits for the dependency to come back', async () => {
    const clock = new StepClock(0);
    const status = new DependencyStatus(clock);
    status.down('database', 'terminating connection due to administrator command');
    expect(status.allUp()).toBe(false);
    const waiting = status.waitUntilUp('database', 60_000);
    clock.advance(3000);
    status.up('database');
    await expect(waiting).resolves.toBe(true);
    await expect(status.waitUntilUp('database', 1)).resolves.toBe(true);
    status.down('database', 'ECONNREFUSED');
    await expect(status.waitUntilUp('database', 10)).resolves.toBe(false);
    expect(status.state('database')).toMatchObject({ outages: 2, downSeconds: 3 });
  });
});

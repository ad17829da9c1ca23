import { Clock } from '../../src/common/clock';

/** A clock a spec sets and moves by hand (the app's "now" for schedules and stats). */
export class ManualClock extends Clock {
  constructor(private t: number) {
    super();
  }

  now(): Date {
    return new Date(this.t);
  }

  advance(ms: number): void {
    this.t += ms;
  }
}
